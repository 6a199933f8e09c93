"""Flow 3, the "Upload contacts from a CSV file" dialog: upload, review the rows, write the message, import."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from shared.imports import ImportPublic, ImportRow, ImportSelection, ImportStatus, RowVerdict
from shared.limits import MAX_CSV_BYTES, MAX_CSV_MB, MESSAGE_MAX

from ..api import ApiError, TalentPoolApi
from .contact_form import field_errors
from .invite import default_message
from .pool import PoolState
from .session import SessionState

UPLOAD_ID = "csv-upload"
ROWS_PER_PAGE = 50
POLL_SECONDS = 0.5
# Polls that may fail in a row (the BFF restarting, say) before the dialog stops following the import.
POLL_FAILURES_MAX = 60
# What react-dropzone lets through; the BFF reads the bytes and has the final word.
ACCEPTED_CSV: dict[str, list[str]] = {
    "text/csv": [".csv"],
    "application/vnd.ms-excel": [".csv"],
    "text/plain": [".txt", ".csv"],
    "text/tab-separated-values": [".tsv", ".txt"],
}

# Badge colours per verdict (Radix accent colour names).
VERDICT_COLORS: dict[str, str] = {
    RowVerdict.NEW.value: "green",
    RowVerdict.IN_POOL.value: "blue",
    RowVerdict.INVALID_EMAIL.value: "red",
    RowVerdict.MISSING_NAME.value: "orange",
    RowVerdict.INVALID_NAME.value: "orange",
    RowVerdict.INVALID_TAGS.value: "orange",
    RowVerdict.DUPLICATE.value: "amber",
}
# What importing a row would do, for importable rows the BFF gives no reason for.
VERDICT_OUTCOMES: dict[str, str] = {
    RowVerdict.NEW.value: "Will be invited",
    RowVerdict.IN_POOL.value: "Not imported again",
}


@dataclasses.dataclass
class ReviewRow:
    """One row of the uploaded file in the review table."""

    line: int
    name: str
    email: str
    tags: list[str]
    verdict: str
    verdict_label: str
    note: str
    importable: bool
    selected: bool


@dataclasses.dataclass
class VerdictFilter:
    """A verdict with its row count, as a filter button above the table."""

    value: str
    label: str
    count: str


def review_row(row: ImportRow) -> ReviewRow:
    """Format a row of the preview for the table."""
    return ReviewRow(
        line=row.line,
        name=row.name,
        email=row.email,
        tags=list(row.tags),
        verdict=row.verdict.value,
        verdict_label=row.verdict.label,
        note=row.reason or VERDICT_OUTCOMES.get(row.verdict.value, ""),
        importable=row.verdict.importable,
        selected=row.selected,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def rejected_csv_message(rejected: list[dict[str, Any]]) -> str:
    """Why the browser refused a dropped or picked file."""
    for item in rejected:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "The file")
        codes = {str(code) for code in item.get("codes") or []}
        if "file-too-large" in codes:
            return f"“{name}” is larger than {MAX_CSV_MB} MB. Split it into smaller files and upload them one by one."
        if "too-many-files" in codes:
            return "Upload one file at a time."
        if "file-invalid-type" in codes:
            return f"“{name}” is not a CSV file. Save your spreadsheet as CSV (.csv) and upload that file."
        return f"“{name}” cannot be uploaded."
    return ""


class CsvImportState(SessionState):
    """The CSV upload dialog, and the banner that follows an import running in the background."""

    dialog_open: bool = False
    # "upload", "review" (rows and message) or "progress" (running, then the result).
    step: str = "upload"
    uploading: bool = False
    file_error: str = ""

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

    verdict: str = ""
    page: int = 1
    rows_total: int = 0
    rows: list[ReviewRow] = []
    rows_loading: bool = False
    rows_error: str = ""
    selecting: bool = False

    message: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    previewing: bool = False
    preview_to: str = ""
    preview_subject: str = ""
    preview_html: str = ""
    preview_text: str = ""
    preview_format: str = "html"
    starting: bool = False
    downloading: bool = False

    # The banner on the Talent Pool page: an import runs (or just ended) while the dialog is closed.
    banner_dismissed: bool = False

    # Each progress watcher knows its number; a newer watcher replaces an older one.
    _watch_seq: int = 0

    # -- derived values ------------------------------------------------------

    @rx.var
    def message_error(self) -> str:
        """Field message for the invitation message."""
        return self.errors.get("message", "")

    @rx.var
    def message_count_text(self) -> str:
        """E.g. "312 / 5,000"."""
        return f"{len(self.message):,} / {MESSAGE_MAX:,}"

    @rx.var
    def message_too_long(self) -> bool:
        """Whether the message is over the limit."""
        return len(self.message) > MESSAGE_MAX

    @rx.var
    def file_facts(self) -> str:
        """E.g. "UTF-8 · comma-separated · 1,204 rows"."""
        if not self.import_id:
            return ""
        return f"{self.encoding} · {self.delimiter}-separated · {_plural(self.total_rows, 'row', 'rows')}"

    @rx.var
    def filters(self) -> list[VerdictFilter]:
        """ "All", then every verdict some row has, with its count."""
        found = [VerdictFilter(value="", label="All", count=f"{self.total_rows:,}")]
        for verdict in RowVerdict:
            count = self.verdict_counts.get(verdict.value, 0)
            if count:
                found.append(VerdictFilter(value=verdict.value, label=verdict.label, count=f"{count:,}"))
        return found

    @rx.var
    def importable_rows(self) -> int:
        """Rows that could be imported (new people and existing workers)."""
        return sum(count for value, count in self.verdict_counts.items() if RowVerdict(value).importable)

    @rx.var
    def selected_text(self) -> str:
        """E.g. "12 selected"."""
        return f"{self.selected:,} selected"

    @rx.var
    def importable_text(self) -> str:
        """E.g. "of 14 that can be imported"."""
        return f"of {self.importable_rows:,} that can be imported"

    @rx.var
    def import_summary_text(self) -> str:
        """The sentence beside Import selected."""
        if not self.selected:
            return "Select at least one row to import."
        return f"{_plural(self.selected, 'person', 'people')} will be added to your Talent Pool and emailed."

    @rx.var
    def page_count(self) -> int:
        """How many pages the current filter gives."""
        return max(1, -(-self.rows_total // ROWS_PER_PAGE))

    @rx.var
    def page_text(self) -> str:
        """E.g. "Page 2 of 7"."""
        return f"Page {self.page:,} of {self.page_count:,}"

    @rx.var
    def showing_text(self) -> str:
        """E.g. "Rows 51–100 of 312"."""
        if not self.rows_total:
            return "No rows"
        first = (self.page - 1) * ROWS_PER_PAGE + 1
        last = min(self.page * ROWS_PER_PAGE, self.rows_total)
        return f"Rows {first:,}–{last:,} of {self.rows_total:,}"

    @rx.var
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page * ROWS_PER_PAGE < self.rows_total

    @rx.var
    def page_has_importable(self) -> bool:
        """Whether any row on this page can be ticked."""
        return any(row.importable for row in self.rows)

    @rx.var
    def page_all_selected(self) -> bool:
        """Whether every row that can be ticked on this page is ticked."""
        rows = [row for row in self.rows if row.importable]
        return bool(rows) and all(row.selected for row in rows)

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

    @rx.var
    def progress_percent(self) -> int:
        """How far the import is, 0–100."""
        if not self.selected:
            return 100 if self.finished else 0
        return min(100, round(self.processed * 100 / self.selected))

    @rx.var
    def progress_text(self) -> str:
        """E.g. "Imported 1,200 of 5,000"."""
        return f"Imported {self.processed:,} of {self.selected:,}"

    @rx.var
    def imported(self) -> int:
        """Contacts the import created."""
        return self.invited

    @rx.var
    def result_numbers(self) -> dict[str, str]:
        """The result's numbers with thousands separators."""
        return {
            "invited": f"{self.invited:,}",
            "skipped": f"{self.skipped:,}",
            "not_imported": f"{self.not_imported:,}",
        }

    @rx.var
    def result_title(self) -> str:
        """The result's headline."""
        if self.failed:
            return "The import stopped"
        return f"Imported {_plural(self.invited, 'contact', 'contacts')}"

    @rx.var
    def show_banner(self) -> bool:
        """The Talent Pool page shows the banner: an import runs or just ended, and the dialog is closed."""
        return (
            bool(self.import_id)
            and not self.dialog_open
            and not self.banner_dismissed
            and self.status in (ImportStatus.IMPORTING.value, ImportStatus.DONE.value, ImportStatus.FAILED.value)
        )

    @rx.var
    def banner_text(self) -> str:
        """E.g. "Importing contacts.csv: 1,200 of 5,000"."""
        if self.status == ImportStatus.DONE.value:
            return f"Imported {self.filename}: {_plural(self.imported, 'contact', 'contacts')} added"
        if self.status == ImportStatus.FAILED.value:
            return f"The import of {self.filename} stopped after {self.processed:,} of {self.selected:,}"
        return f"Importing {self.filename}: {self.processed:,} of {self.selected:,}"

    # -- helpers ---------------------------------------------------------------------

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

    def _start_over(self) -> None:
        self.step = "upload"
        self.uploading = False
        self.file_error = ""
        self.import_id = 0
        self.filename = ""
        self.status = ""
        self.verdict_counts = {}
        self.total_rows = 0
        self.selected = 0
        self.verdict = ""
        self.page = 1
        self.rows = []
        self.rows_total = 0
        self.rows_error = ""
        self.errors = {}
        self.form_error = ""
        self._clear_preview()
        self.message = default_message(self.company_name)
        self.starting = False
        self.banner_dismissed = False

    def _clear_preview(self) -> None:
        self.preview_to = ""
        self.preview_subject = ""
        self.preview_html = ""
        self.preview_text = ""

    async def _load_rows(self):
        """Fetch the current page of rows for the current filter."""
        self.rows_loading = True
        self.rows_error = ""
        yield
        try:
            page = await self.api().import_rows(
                self.import_id, verdict=self.verdict or None, page=self.page, page_size=ROWS_PER_PAGE
            )
        except ApiError as err:
            self.rows_loading = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            self.rows_error = err.message()
            return
        self.rows = [review_row(row) for row in page.rows]
        self.rows_total = page.total
        self.rows_loading = False

    async def _change_selection(self, change: ImportSelection, *, reload_rows: bool = False):
        """Send a selection change to the BFF and show its counts; on failure show the rows as they are."""
        self.selecting = True
        yield
        try:
            self._show(await self.api().select_import_rows(self.import_id, change))
        except ApiError as err:
            self.selecting = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            yield rx.toast.error(err.message())
            reload_rows = True
        else:
            self.selecting = False
            self.form_error = ""
        if reload_rows:
            async for update in self._load_rows():
                yield update

    def _clear_error(self, field: str) -> None:
        if field in self.errors:
            self.errors = {key: value for key, value in self.errors.items() if key != field}

    # -- opening and closing ---------------------------------------------------------------

    @rx.event
    def open_dialog(self):
        """Upload CSV in the ⋯ menu: a fresh dialog at the upload step (a running import shows its progress)."""
        self.dialog_open = True
        if self.running:
            self.step = "progress"
            return None
        self._start_over()
        return None

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

    @rx.event
    async def load_recent(self):
        """On load of the Talent Pool page: follow an import that is still running."""
        self.dialog_open = False
        if not self.token:
            return
        try:
            recent = await self.api().recent_imports()
        except ApiError:
            return  # the page's own load reports a lost session or an unreachable service
        running = next((item for item in recent if item.status is ImportStatus.IMPORTING), None)
        if running is None:
            # Only a running import gets the banner on a fresh visit.
            self.banner_dismissed = True
            if self.running:
                self.status = ""
            return
        self._show(running)
        self.step = "progress"
        self.banner_dismissed = False
        yield CsvImportState.watch_import

    # -- step 1: upload --------------------------------------------------------------

    @rx.event
    def upload_progress(self, progress: dict[str, Any]):
        """The browser is sending the file: show that it is busy at once."""
        if self.step == "upload" and float(progress.get("progress") or 0) < 1:
            self.uploading = True
            self.file_error = ""

    @rx.event
    def file_rejected(self, rejected: list[dict[str, Any]]):
        """The browser refused the file (type or size): say why, beside the field."""
        message = rejected_csv_message(rejected)
        if message:
            self.file_error = message

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        """Send the picked or dropped file to the BFF; show its problem beside the field, or the review."""
        if not files:
            return
        self.uploading = True
        self.file_error = ""
        yield
        file = files[0]
        name = file.name or file.filename or "contacts.csv"
        data = await file.read()
        if len(data) > MAX_CSV_BYTES:
            self.uploading = False
            self.file_error = rejected_csv_message([{"name": name, "codes": ["file-too-large"]}])
            return
        try:
            found = await self.api().upload_csv(name, data)
        except ApiError as err:
            self.uploading = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            self.file_error = field_errors(err).get("file") or err.message()
            return
        self._show(found)
        self.step = "review"
        self.verdict = ""
        self.page = 1
        self.uploading = False
        async for update in self._load_rows():
            yield update

    @rx.event
    def upload_another(self):
        """Back to the upload step with another file (the current upload is simply left)."""
        self._start_over()

    @rx.event
    async def download_template(self):
        """The template CSV, as a download."""
        try:
            download = await self.api().import_template_csv()
        except ApiError as err:
            yield self._failed(err)
            return
        yield rx.download(data=download.data, filename=download.filename, mime_type="text/csv")

    # -- step 2: review ----------------------------------------------------------------

    @rx.event
    async def filter_verdict(self, value: str):
        """Show only the rows with this verdict ("" for all)."""
        if value == self.verdict:
            return
        self.verdict = value
        self.page = 1
        async for update in self._load_rows():
            yield update

    @rx.event
    async def previous_page(self):
        """Show the page before."""
        if self.page > 1:
            self.page -= 1
            async for update in self._load_rows():
                yield update

    @rx.event
    async def next_page(self):
        """Show the page after."""
        if self.page * ROWS_PER_PAGE < self.rows_total:
            self.page += 1
            async for update in self._load_rows():
                yield update

    @rx.event
    async def retry_rows(self):
        """Fetch the rows again after a failure."""
        async for update in self._load_rows():
            yield update

    @rx.event
    async def toggle_row(self, line: int, checked: bool):
        """Tick or untick one row; the BFF keeps the selection and counts it."""
        self.rows = [dataclasses.replace(row, selected=checked) if row.line == line else row for row in self.rows]
        change = ImportSelection(select=[line]) if checked else ImportSelection(deselect=[line])
        async for update in self._change_selection(change):
            yield update

    @rx.event
    async def toggle_page(self, checked: bool):
        """Tick or untick every importable row on this page."""
        lines = [row.line for row in self.rows if row.importable]
        if not lines:
            return
        self.rows = [dataclasses.replace(row, selected=checked) if row.importable else row for row in self.rows]
        change = ImportSelection(select=lines) if checked else ImportSelection(deselect=lines)
        async for update in self._change_selection(change):
            yield update

    @rx.event
    async def select_all(self):
        """Tick every importable row of the file."""
        self.rows = [dataclasses.replace(row, selected=True) if row.importable else row for row in self.rows]
        async for update in self._change_selection(ImportSelection(reset="all")):
            yield update

    @rx.event
    async def select_none(self):
        """Untick every row of the file."""
        self.rows = [dataclasses.replace(row, selected=False) for row in self.rows]
        async for update in self._change_selection(ImportSelection(reset="none")):
            yield update

    # -- step 3: message, preview and start ---------------------------------------------

    @rx.event
    def set_message(self, value: str):
        """Keep the typed message; an earlier preview no longer matches it."""
        self.message = value
        self._clear_error("message")

    @rx.event
    def set_preview_format(self, value: str | list[str]):
        """Show the preview as the HTML email or as its plain-text part."""
        self.preview_format = "text" if value == "text" else "html"

    @rx.event
    def close_preview(self):
        """Hide the email preview."""
        self._clear_preview()

    @rx.event
    async def preview_email(self):
        """The invitation email with this message, as the first selected person will get it."""
        if self.previewing:
            return
        self.previewing = True
        self._clear_error("message")
        yield
        try:
            preview = await self.api().import_email_preview(self.import_id, self.message)
        except ApiError as err:
            self.previewing = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            self.errors = {**self.errors, "message": field_errors(err).get("message") or err.message()}
            return
        self.previewing = False
        self.preview_to = preview.to
        self.preview_subject = preview.subject
        self.preview_html = preview.html
        self.preview_text = preview.text

    @rx.event
    async def start_import(self):
        """Import selected: the BFF imports in the background; the dialog follows the progress."""
        if self.starting:
            return
        self.errors = {}
        self.form_error = ""
        self.starting = True
        yield
        try:
            found = await self.api().start_import(self.import_id, self.message)
        except ApiError as err:
            self.starting = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            message = field_errors(err).get("message")
            if message:
                self.errors = {"message": message}
            else:
                self.form_error = err.message()
            return
        self.starting = False
        self._show(found)
        self.step = "progress"
        self.banner_dismissed = False
        if self.running:
            yield CsvImportState.watch_import
        else:
            async for update in self._finish():
                yield update

    async def _finish(self):
        """The import ended: refresh the table behind the dialog; say so if the dialog is closed."""
        if not self.dialog_open:
            if self.failed:
                yield rx.toast.error(f"The import of {self.filename} stopped", description=self.import_error)
            else:
                yield rx.toast.success(self.banner_text)
        yield PoolState.reload

    @rx.event(background=True)
    async def watch_import(self):
        """Follow the running import about twice a second until it is done or failed."""
        async with self:
            self._watch_seq += 1
            seq = self._watch_seq
            import_id = self.import_id
            api = TalentPoolApi(self.token)
        failures = 0
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                found = await api.get_import(import_id)
            except ApiError as err:
                failures += 1
                if err.is_unauthorized or err.is_not_found or failures >= POLL_FAILURES_MAX:
                    async with self:
                        if self._watch_seq != seq or self.import_id != import_id:
                            return
                        if err.is_unauthorized:
                            ended = self._session_ended()
                        else:
                            ended = None
                            self.status = ImportStatus.FAILED.value
                            self.import_error = "We lost track of this import. Reload the page to see where it is."
                    if ended is not None:
                        yield ended
                    return
                continue
            failures = 0
            async with self:
                if self._watch_seq != seq or self.import_id != import_id:
                    return
                self._show(found)
                if self.running:
                    continue
                updates = [update async for update in self._finish()]
            for update in updates:
                yield update
            return

    # -- step 4: the result ------------------------------------------------------------------

    @rx.event
    async def download_not_imported(self):
        """The rows that did not become contacts, with the reason for each, as a CSV download."""
        if self.downloading or not self.import_id:
            return
        self.downloading = True
        yield
        try:
            download = await self.api().not_imported_csv(self.import_id)
        except ApiError as err:
            self.downloading = False
            yield self._failed(err)
            return
        self.downloading = False
        yield rx.download(data=download.data, filename=download.filename, mime_type="text/csv")

    @rx.event
    def done(self):
        """Done: close the dialog and show the Talent Pool with the new contacts."""
        self.dialog_open = False
        self.banner_dismissed = True
        return PoolState.reload
