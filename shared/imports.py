"""Bulk upload from CSV on the wire: the preview's verdict for each row."""

import enum

import msgspec


class RowVerdict(str, enum.Enum):
    """What importing one CSV row would do, or why it can't."""

    NEW = "new"
    IN_POOL = "in_pool"
    EXISTING_WORKER = "existing_worker"
    INVALID_EMAIL = "invalid_email"
    MISSING_NAME = "missing_name"
    DUPLICATE = "duplicate"

    @property
    def importable(self) -> bool:
        """Rows with this verdict can be imported (and are selected by default)."""
        return self in (RowVerdict.NEW, RowVerdict.EXISTING_WORKER)


class PreviewRow(msgspec.Struct, kw_only=True):
    """One row of the file with its verdict; `reason` explains invalid and duplicate rows."""

    line: int
    name: str
    email: str
    tags: list[str]
    verdict: RowVerdict
    reason: str = ""
