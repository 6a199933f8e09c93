"""Step 2 of the CSV upload dialog: every row with its verdict, the selection, and the invitation message."""

from __future__ import annotations

import dataclasses

import reflex as rx

from shared.imports import ImportRow, ImportSelection, RowVerdict
from shared.limits import MESSAGE_MAX

from ..api import ApiError
from .csv_import import CsvImportState, plural
from .csv_progress import CsvProgressState
from .invite import default_message
from .session import FORM, field_errors, form_errors

ROWS_PER_PAGE = 50
MESSAGE_FIELDS = ("message",)

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


class CsvReviewState(CsvImportState):
    """Step 2: a page of rows for one verdict filter, ticking rows, and the message with its preview."""

    verdict: str = ""
    page: int = 1
    rows_total: int = 0
    rows: list[ReviewRow] = []
    rows_loading: bool = False
    rows_error: str = ""
    selecting: bool = False

    message: str = ""
    # The message's error under "message", any other problem of Import selected under "form".
    errors: dict[str, str] = {}
    previewing: bool = False
    preview_to: str = ""
    preview_subject: str = ""
    preview_html: str = ""
    preview_text: str = ""
    preview_format: str = "html"
    starting: bool = False

    # -- derived values ------------------------------------------------------

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
        return f"{self.encoding} · {self.delimiter}-separated · {plural(self.total_rows, 'row', 'rows')}"

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
        return f"{plural(self.selected, 'person', 'people')} will be added to your Talent Pool and emailed."

    @rx.var
    def page_text(self) -> str:
        """E.g. "Page 2 of 7"."""
        return f"Page {self.page:,} of {max(1, -(-self.rows_total // ROWS_PER_PAGE)):,}"

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

    # -- helpers ---------------------------------------------------------------------

    def _start_over(self) -> None:
        """No rows, no errors, no preview, and the prefilled message."""
        self.reset()
        self.message = default_message(self.company_name)

    async def _first_page(self):
        """A new upload: its first page of rows, all verdicts."""
        self.verdict = ""
        self.page = 1
        async for update in self._load_rows():
            yield update

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
            self.rows_error = err.message()
            yield self._failed(err, inline=True)
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
            ended = self._failed(err, inline=True)
            if ended is not None:
                yield ended
                return
            yield rx.toast.error(err.message())
            reload_rows = True
        else:
            self.selecting = False
            self._clear_error(FORM)
        if reload_rows:
            async for update in self._load_rows():
                yield update

    def _clear_error(self, field: str) -> None:
        if field in self.errors:
            self.errors = {key: value for key, value in self.errors.items() if key != field}

    def _tick(self, checked: bool, lines: set[int] | None = None) -> None:
        """Show rows ticked at once (those of `lines`, or every importable row), before the BFF answers."""
        self.rows = [
            dataclasses.replace(row, selected=checked)
            if (row.line in lines if lines is not None else row.importable or not checked)
            else row
            for row in self.rows
        ]

    # -- rows: filter, pages, selection ------------------------------------------------

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
        self._tick(checked, {line})
        change = ImportSelection(select=[line]) if checked else ImportSelection(deselect=[line])
        async for update in self._change_selection(change):
            yield update

    @rx.event
    async def toggle_page(self, checked: bool):
        """Tick or untick every importable row on this page."""
        lines = [row.line for row in self.rows if row.importable]
        if not lines:
            return
        self._tick(checked, set(lines))
        change = ImportSelection(select=lines) if checked else ImportSelection(deselect=lines)
        async for update in self._change_selection(change):
            yield update

    @rx.event
    async def select_all(self):
        """Tick every importable row of the file."""
        self._tick(True)
        async for update in self._change_selection(ImportSelection(reset="all")):
            yield update

    @rx.event
    async def select_none(self):
        """Untick every row of the file."""
        self._tick(False)
        async for update in self._change_selection(ImportSelection(reset="none")):
            yield update

    # -- the message, its preview, and Import selected ---------------------------------------

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
        self.preview_to = ""
        self.preview_subject = ""
        self.preview_html = ""
        self.preview_text = ""

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
            self.errors = {**self.errors, "message": field_errors(err).get("message") or err.message()}
            yield self._failed(err, inline=True)
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
        self.starting = True
        yield
        try:
            found = await self.api().start_import(self.import_id, self.message)
        except ApiError as err:
            self.starting = False
            self.errors = form_errors(err, MESSAGE_FIELDS)
            yield self._failed(err, inline=True)
            return
        self.starting = False
        self._show(found)
        self.step = "progress"
        self.banner_dismissed = False
        progress = await self.get_state(CsvProgressState)
        async for update in progress._follow():
            yield update
