"""Pieces of UI shared by the pages."""
