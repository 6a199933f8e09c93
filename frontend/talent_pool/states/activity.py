"""The Activity page: the company's log, newest first, filtered by person, kind and date range, and its CSV export."""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from shared.activity import ACTIVITY_LABELS, ActivityEntry, ActivityKind, ActivityPage

from ..api import ApiError
from ..display import date_and_time, relative_date
from .session import SessionState

ALL = "all"
PAGE_SIZE = 25
# The kind filter's choices: (value, words), in the order the select lists them.
KIND_OPTIONS = [(ActivityKind(kind).value, label) for kind, label in ACTIVITY_LABELS.items()]


@dataclasses.dataclass
class ActivityRow:
    """One line of the log, formatted for display."""

    id: int
    label: str
    actor: str
    subject: str
    detail: str
    when: str
    when_exact: str


def activity_row(entry: ActivityEntry) -> ActivityRow:
    """Format a log line: a teammate who has left still shows by name."""
    return ActivityRow(
        id=entry.id,
        label=entry.label,
        actor=entry.actor_name or "Talent Pool",
        subject=entry.subject,
        detail=entry.detail,
        when=relative_date(entry.at),
        when_exact=date_and_time(entry.at),
    )


def _valid_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class ActivityState(SessionState):
    """The rows on the Activity page and its filters."""

    rows: list[ActivityRow] = []
    total: int = 0
    page: int = 1
    loading: bool = False
    load_error: str = ""
    exporting: bool = False
    people: list[list[str]] = []
    actor: str = ALL
    kind: str = ALL
    date_from: str = ""
    date_to: str = ""
    errors: dict[str, str] = {}

    @rx.var
    def kind_options(self) -> list[list[str]]:
        """The kinds the log can be filtered by: [value, words]."""
        return [[value, label] for value, label in KIND_OPTIONS]

    @rx.var
    def has_previous(self) -> bool:
        """Whether there is a newer page."""
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        """Whether there is an older page."""
        return self.page * PAGE_SIZE < self.total

    @rx.var
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return self.actor != ALL or self.kind != ALL or bool(self.date_from or self.date_to)

    @rx.var
    def range_text(self) -> str:
        """Which lines the page shows, of how many."""
        if not self.total:
            return ""
        first = (self.page - 1) * PAGE_SIZE + 1
        last = min(self.page * PAGE_SIZE, self.total)
        return f"{first:,}–{last:,} of {self.total:,}"

    def _filters(self) -> dict | None:
        errors = {}
        for name in ("date_from", "date_to"):
            value = getattr(self, name).strip()
            if value and not _valid_day(value):
                errors[name] = "Pick a date."
        if not errors and self.date_from and self.date_to and self.date_from > self.date_to:
            errors["date_to"] = "The end date must not be before the start date."
        self.errors = errors
        if errors:
            return None
        return {
            "actor": int(self.actor) if self.actor.isdigit() else None,
            "kind": "" if self.kind == ALL else self.kind,
            "date_from": self.date_from.strip(),
            "date_to": self.date_to.strip(),
        }

    async def _fetch(self):
        filters = self._filters()
        if filters is None:
            return
        self.loading = True
        self.load_error = ""
        yield
        api = self.api()
        try:
            page: ActivityPage = await api.list_activity(**filters, page=self.page)
            if not self.people:
                self.people = [[str(person.id), person.name] for person in await api.activity_people()]
            if self._needs_me():
                self._remember_me(await api.me())
        except ApiError as err:
            self.loading = False
            self.errors = {k: v for k, v in err.field_messages().items() if k in ("date_from", "date_to")}
            self.load_error = "" if self.errors else err.message()
            yield self._failed(err, inline=True)
            return
        self.rows = [activity_row(entry) for entry in page.items]
        self.total = page.total
        self.loading = False

    @rx.event
    async def load_activity(self):
        """On load of /activity: the newest page with no filter."""
        if not self.token:
            yield self._login_redirect()
            return
        self.page, self.actor, self.kind, self.date_from, self.date_to = 1, ALL, ALL, "", ""
        self.people = []
        async for update in self._fetch():
            yield update

    @rx.event
    async def reload(self):
        """Fetch the current page again."""
        async for update in self._fetch():
            yield update

    async def _refilter(self):
        self.page = 1
        async for update in self._fetch():
            yield update

    @rx.event
    async def set_actor(self, value: str):
        """Show one teammate's changes (or everyone's)."""
        self.actor = value
        async for update in self._refilter():
            yield update

    @rx.event
    async def set_kind(self, value: str):
        """Show one kind of change (or all)."""
        self.kind = value
        async for update in self._refilter():
            yield update

    @rx.event
    async def set_date_from(self, value: str):
        """Show changes from this day on."""
        self.date_from = value
        async for update in self._refilter():
            yield update

    @rx.event
    async def set_date_to(self, value: str):
        """Show changes up to this day."""
        self.date_to = value
        async for update in self._refilter():
            yield update

    @rx.event
    async def clear_filters(self):
        """Back to every change."""
        self.actor, self.kind, self.date_from, self.date_to = ALL, ALL, "", ""
        async for update in self._refilter():
            yield update

    @rx.event
    async def previous_page(self):
        """Newer changes."""
        if self.page > 1:
            self.page -= 1
            async for update in self._fetch():
                yield update

    @rx.event
    async def next_page(self):
        """Older changes."""
        if self.page * PAGE_SIZE < self.total:
            self.page += 1
            async for update in self._fetch():
                yield update

    @rx.event
    async def export_csv(self):
        """The filtered log as a CSV download."""
        filters = self._filters()
        if filters is None or self.exporting:
            return
        self.exporting = True
        yield
        try:
            download = await self.api().activity_csv(**filters)
        except ApiError as err:
            self.exporting = False
            yield self._failed(err)
            return
        self.exporting = False
        yield rx.download(data=download.data, filename=download.filename, mime_type="text/csv")
