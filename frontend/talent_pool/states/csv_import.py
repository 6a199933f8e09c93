"""Flow 3, the "Upload contacts from a CSV file" dialog: what its three steps share (the dialog, the upload's summary).

The steps have their own substates: `CsvUploadState` (the file), `CsvReviewState` (rows, selection, message)
and `CsvProgressState` (the running import, its result and the banner on the Talent Pool page).
"""

from __future__ import annotations

import reflex as rx

from shared.imports import ImportPublic, ImportStatus

from .session import SessionState


def plural(count: int, one: str, many: str) -> str:
    """E.g. "1 row", "1,204 rows"."""
    return f"{count:,} {one if count == 1 else many}"


class CsvImportState(SessionState):
    """The CSV upload dialog: which step it shows, and the upload's summary and progress as the BFF reports them."""

    dialog_open: bool = False
    # "upload", "review" (rows and message) or "progress" (running, then the result).
    step: str = "upload"

    import_id: int = 0
    filename: str = ""
    encoding: str = ""
    delimiter: str = ""
    total_rows: int = 0
    verdict_counts: dict[str, int] = {}
    selected: int = 0
    status: str = ""
    processed: int = 0
    invited: int = 0
    skipped: int = 0
    not_imported: int = 0
    import_error: str = ""

    # The banner on the Talent Pool page: an import runs (or just ended) while the dialog is closed.
    banner_dismissed: bool = False

    @rx.var
    def running(self) -> bool:
        """Whether the import is under way."""
        return self.status == ImportStatus.IMPORTING.value

    @rx.var
    def finished(self) -> bool:
        """Whether the import ended (done or failed)."""
        return self.status in (ImportStatus.DONE.value, ImportStatus.FAILED.value)

    @rx.var
    def failed(self) -> bool:
        """Whether the import stopped on an error."""
        return self.status == ImportStatus.FAILED.value

    def _show(self, found: ImportPublic) -> None:
        """Keep an upload's summary and progress."""
        self.import_id = found.id
        self.filename = found.filename
        self.encoding = found.encoding
        self.delimiter = found.delimiter
        self.total_rows = found.total_rows
        self.verdict_counts = {item.verdict.value: item.count for item in found.counts}
        self.selected = found.selected
        self.status = found.status.value
        self.processed = found.processed
        self.invited = found.invited
        self.skipped = found.skipped
        self.not_imported = found.not_imported
        self.import_error = found.error

    def _forget_upload(self) -> None:
        """No upload yet: the dialog at step 1."""
        self.step = "upload"
        self.import_id = 0
        self.filename = ""
        self.status = ""
        self.verdict_counts = {}
        self.total_rows = 0
        self.selected = 0
        self.banner_dismissed = False

    @rx.event
    def show_progress(self):
        """The banner's View progress / View result: the dialog at the progress step."""
        self.dialog_open = True
        self.step = "progress"

    @rx.event
    def set_dialog_open(self, is_open: bool):
        """Close (Escape, the × or the overlay); a running import goes on and the banner follows it."""
        self.dialog_open = is_open
        if not is_open and self.finished:
            self.banner_dismissed = True

    @rx.event
    def dismiss_banner(self):
        """Hide the banner about a finished import."""
        self.banner_dismissed = True
