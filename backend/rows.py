"""Rows that must be there: the caller's own company, a row it just wrote, the row a foreign key names."""

from __future__ import annotations

from typing import Any


class MissingRow(LookupError):
    """A row the code relies on is gone: the data changed underneath (a bug or a race), never bad input."""


def present(row: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The row, or MissingRow naming `what` (a server error: no caller can cause it on purpose)."""
    if row is None:
        raise MissingRow(f"{what} is missing")
    return row
