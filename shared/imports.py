"""Bulk upload from CSV on the wire: the preview's verdicts, the selection, and the import's progress."""

import enum
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from shared.fields import Id, id_list, text
from shared.limits import MESSAGE_MAX, raw_input

# A message is checked by the BFF (5,000 characters); this bound only stops absurd bodies early.
Message = Annotated[str, text(raw_input(MESSAGE_MAX))]
Lines = Annotated[list[Id], id_list(0, 10_000)]


class RowVerdict(str, enum.Enum):
    """What importing one CSV row would do, or why it can't.

    An email with a worker account is `new` like any other: the preview must not tell a company
    which emails are on the platform (the person gets a connection request, the company sees `invited`).
    """

    NEW = "new"
    IN_POOL = "in_pool"
    INVALID_EMAIL = "invalid_email"
    MISSING_NAME = "missing_name"
    INVALID_NAME = "invalid_name"
    INVALID_TAGS = "invalid_tags"
    DUPLICATE = "duplicate"

    @property
    def importable(self) -> bool:
        """Rows with this verdict can be imported (and are selected by default)."""
        return self is RowVerdict.NEW

    @property
    def label(self) -> str:
        """The verdict as people read it."""
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    RowVerdict.NEW: "New",
    RowVerdict.IN_POOL: "Already in your Talent Pool",
    RowVerdict.INVALID_EMAIL: "Invalid email",
    RowVerdict.MISSING_NAME: "Missing name",
    RowVerdict.INVALID_NAME: "Invalid name",
    RowVerdict.INVALID_TAGS: "Invalid tags",
    RowVerdict.DUPLICATE: "Duplicate in file",
}


class ImportStatus(str, enum.Enum):
    """Where an uploaded file is: previewed, being imported, or finished."""

    PREVIEW = "preview"
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"


class PreviewRow(msgspec.Struct, kw_only=True):
    """One row of the file with its verdict; `reason` explains rows that cannot be imported."""

    line: int
    name: str
    email: str
    tags: list[str]
    verdict: RowVerdict
    reason: str = ""


class ImportRow(PreviewRow, kw_only=True):
    """A preview row as the review table shows it, with whether it is selected for import."""

    selected: bool = False


class ImportRowPage(msgspec.Struct, kw_only=True):
    """One page of the preview, filtered by verdict; `total` counts every matching row."""

    rows: list[ImportRow]
    total: int
    page: int
    page_size: int


class VerdictCount(msgspec.Struct, kw_only=True):
    """How many rows of the file got one verdict."""

    verdict: RowVerdict
    count: int


class ImportPublic(msgspec.Struct, kw_only=True):
    """An uploaded file: what was detected, the verdict counts, the selection and the import's progress."""

    id: int
    filename: str
    status: ImportStatus
    encoding: str
    delimiter: str
    total_rows: int
    counts: list[VerdictCount]
    selected: int
    message: str
    # Selected rows handled so far; `invited` became contacts (each got an invitation or, unknown to the
    # company, a connection request); `skipped` were selected but not imported (e.g. the email joined
    # the Talent Pool after the preview).
    processed: int
    invited: int
    skipped: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""

    @property
    def imported(self) -> int:
        """Contacts created by the import."""
        return self.invited

    @property
    def not_imported(self) -> int:
        """Rows of the file that did not become contacts (invalid, unselected or skipped)."""
        return self.total_rows - self.imported if self.status is ImportStatus.DONE else self.total_rows - self.selected


class ImportSelection(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Change the selection: `all` (every importable row) or `none` first, then select and deselect lines."""

    reset: Literal["all", "none"] | None = None
    select: Lines = []
    deselect: Lines = []


class ImportMessage(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The invitation message every imported person gets."""

    message: Message


class EmailPreview(msgspec.Struct, kw_only=True):
    """An email as its recipient will see it."""

    to: str
    subject: str
    text: str
    html: str
