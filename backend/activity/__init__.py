"""The company's activity log: one append-only line per change, written in the change's transaction."""
