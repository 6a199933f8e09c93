"""Staged uploads: files sent one by one before the invitation that attaches them."""
