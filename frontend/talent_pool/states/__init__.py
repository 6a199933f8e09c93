"""Reflex states: the session, the Talent Pool table, contact forms and profiles."""
