"""The Talent Pool page: one page of contacts, its filters, sorting, paging and bulk actions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import reflex as rx

from shared.contacts import ContactPage, ContactStatus, StatusCount
from shared.links import ApplicantCounts

from ..api import ApiError, TalentPoolApi
from ..display import PAGE_SIZES, SORT_OPTIONS, count_text, status_label
from ..session_cookie import token_hash
from .pool_rows import ContactRow, StatusOption, contact_row
from .pool_url import (
    COLUMN_SORTS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_SORT,
    MAX_QUERY_LENGTH,
    PoolView,
    history_script,
    search_box_script,
    view_from_query,
)
from .session import SessionState

SEARCH_DEBOUNCE_MS = 300


class PoolState(SessionState):
    """What the Talent Pool table shows and how it is filtered."""

    query: str = ""
    statuses: list[str] = []
    tags: list[str] = []
    # Only contacts hired before ("Worked with before").
    worked_before: bool = False
    # Only contacts with an email that could not be delivered ("Email failed"), and how many there are.
    email_failed: bool = False
    email_failure_count: int = 0
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    rows: list[ContactRow] = []
    # Exact when `total_exact`; otherwise more than `total` contacts match (the BFF stops counting there).
    total: int = 0
    total_exact: bool = True
    status_counts: dict[str, int] = {}
    # Statuses with more contacts than their count says (the BFF stops counting there).
    inexact_statuses: list[str] = []
    loading: bool = True
    loaded: bool = False
    error: str = ""

    # The ticked rows (PoolBulkState acts on them); only rows still shown stay ticked.
    selected_ids: list[int] = []

    # The hash of the session token the filters belong to: a new login starts with a clean table.
    _filters_token_hash: str = ""
    # The BFF's stamp of the pool when the rows and counts were read (PoolLiveState compares it).
    _pool_stamp: str = ""

    # -- derived values ------------------------------------------------------

    @rx.var
    def pool_total(self) -> int:
        """How many contacts the company has, before any filter."""
        return sum(self.status_counts.values())

    @rx.var
    def pool_total_text(self) -> str:
        """The subtitle under the page title."""
        if not self.loaded:
            return "Loading your trusted contacts…"
        total = self.pool_total
        if self.inexact_statuses:
            return f"More than {total:,} trusted contacts"
        return f"{total:,} trusted contact{'' if total == 1 else 's'}"

    @rx.var
    def has_filters(self) -> bool:
        """Whether any search or filter narrows the list."""
        return bool(self.query.strip() or self.statuses or self.tags or self.worked_before or self.email_failed)

    @rx.var
    def pool_is_empty(self) -> bool:
        """The company has no contacts at all (not just none matching)."""
        return self.loaded and not self.error and self.total == 0 and not self.has_filters

    @rx.var
    def no_matches(self) -> bool:
        """Filters are on and nothing matches them."""
        return self.loaded and not self.error and self.total == 0 and self.has_filters

    @rx.var
    def showing_text(self) -> str:
        """E.g. "Showing 1–25 of 1,234"."""
        if self.total == 0:
            return "Showing 0 of 0"
        first = (self.page - 1) * self.page_size + 1
        last = min(self.page * self.page_size, self.total)
        if not self.total_exact:
            return f"Showing {first:,}–{last:,} of more than {self.total:,}"
        return f"Showing {first:,}–{last:,} of {self.total:,}"

    @rx.var
    def page_count(self) -> int:
        """How many pages the current filters give (more than this when the total is not exact)."""
        if not self.total_exact:
            return max(1, self.total // self.page_size)
        return max(1, -(-self.total // self.page_size))

    @rx.var
    def page_text(self) -> str:
        """E.g. "Page 2 of 50", or "Page 2 of more than 400"."""
        if not self.total_exact:
            return f"Page {self.page:,} of more than {self.page_count:,}"
        return f"Page {self.page:,} of {self.page_count:,}"

    @rx.var
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page * self.page_size < self.total or not self.total_exact

    @rx.var
    def page_size_value(self) -> str:
        """The page size as the select shows it."""
        return str(self.page_size)

    @rx.var
    def status_options(self) -> list[StatusOption]:
        """Every status with its count, for the status filter."""
        return [
            StatusOption(
                value=status.value,
                label=status.label,
                count=count_text(self.status_counts.get(status.value, 0), status.value not in self.inexact_statuses),
            )
            for status in ContactStatus
        ]

    @rx.var
    def status_filter_text(self) -> str:
        """The status filter button's text."""
        if not self.statuses:
            return "Status"
        if len(self.statuses) == 1:
            return f"Status: {status_label(self.statuses[0])}"
        return f"Status: {len(self.statuses)} selected"

    @rx.var
    def selected_statuses(self) -> list[StatusOption]:
        """The chosen statuses, as removable chips."""
        return [StatusOption(value=value, label=status_label(value), count="") for value in self.statuses]

    @rx.var
    def sort_column(self) -> str:
        """The column the table is sorted by, if it is one of the sortable columns."""
        key = self.sort.lstrip("-")
        for column, (value, _) in COLUMN_SORTS.items():
            if value == key:
                return column
        return ""

    @rx.var
    def sort_descending(self) -> bool:
        """Whether the sort is descending."""
        return self.sort.startswith("-")

    # -- loading ---------------------------------------------------------------

    def _list(self, api: TalentPoolApi) -> Awaitable[ContactPage]:
        """The current page of contacts for the search, filters and sort."""
        return api.list_contacts(
            q=self.query.strip(),
            statuses=self.statuses,
            tags=self.tags,
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
            worked_before=self.worked_before,
            email_failed=self.email_failed,
        )

    async def _fetch(self, *, with_counts: bool = False) -> None:
        """Ask the BFF for the current page (and the status counts); raises ApiError."""
        api = self.api()
        if with_counts:  # read before the rows: a change landing in between shows at the next check
            self._pool_stamp = (await api.pool_stamp()).stamp
        calls: list = [self._list(api)]
        if with_counts:
            calls.append(api.status_counts())
            calls.append(api.email_failure_count())
            calls.append(api.applicant_counts())
        if self._needs_me():
            calls.append(api.me())
        results = await asyncio.gather(*calls)
        page: ContactPage = results[0]
        if page.total and not page.items and self.page > 1:
            # The page ran past the end (e.g. after deletes): show the last one.
            self.page = max(1, -(-page.total // self.page_size))
            page = await self._list(api)
        self.rows = [contact_row(item) for item in page.items]
        self.total = page.total
        self.total_exact = page.total_exact
        if self.selected_ids:
            shown = {row.id for row in self.rows}
            self.selected_ids = [contact_id for contact_id in self.selected_ids if contact_id in shown]
        rest = results[1:]
        if with_counts:
            counts: list[StatusCount] = rest.pop(0)
            self.status_counts = {item.status.value: item.count for item in counts}
            self.inexact_statuses = [item.status.value for item in counts if not item.exact]
            self.email_failure_count = rest.pop(0).count
            # Only applicants who confirmed their email can be approved: only they wait for approval.
            applicants: ApplicantCounts = rest.pop(0)
            self.applied_count = applicants.waiting_for_approval
            self.applied_count_exact = applicants.exact
        if rest:
            self._remember_me(rest[0])

    async def _refresh(self, *, with_counts: bool = False):
        self.loading = True
        self.error = ""
        page = self.page
        yield
        try:
            await self._fetch(with_counts=with_counts)
        except ApiError as err:
            self.error = err.message()
            yield self._failed(err, inline=True)
        else:
            self.loaded = True
            if self.page != page:  # the page ran past the end (e.g. after deletes): so does the address
                yield self._url_update(replace=True)
        self.loading = False

    @rx.event
    async def load_pool(self):
        """On load of the Talent Pool page (and on Back or Forward): show the view the URL asks for."""
        if not self.token:
            yield self._login_redirect()
            return
        if self._filters_token_hash != token_hash(self.token):
            self._start_fresh()
        view = view_from_query(self.router.url.query)
        self._show_view(view)
        # The search box keeps what the person typed before the page was ready (it then searches for that).
        yield rx.call_script(search_box_script(view.query), callback=PoolState.keep_typed_search)
        async for update in self._refresh(with_counts=True):
            yield update
        yield self._url_update(replace=True)

    @rx.event
    async def keep_typed_search(self, typed: str | None):
        """What was typed into the search box before the page was ready wins over the URL's search."""
        if isinstance(typed, str) and typed:
            async for update in self._search(typed):
                yield update

    def _view(self) -> PoolView:
        return PoolView(
            query=self.query.strip(),
            statuses=tuple(self.statuses),
            tags=tuple(self.tags),
            worked_before=self.worked_before,
            email_failed=self.email_failed,
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
        )

    def _show_view(self, view: PoolView) -> None:
        if view != self._view():
            self.selected_ids = []
        self.query = view.query
        self.statuses = list(view.statuses)
        self.tags = list(view.tags)
        self.worked_before = view.worked_before
        self.email_failed = view.email_failed
        self.sort = view.sort
        self.page = view.page
        self.page_size = view.page_size

    def _url_update(self, *, replace: bool = False):
        """Put the current view into the address bar (a new history entry unless `replace`)."""
        url = self.router.url
        current = f"{url.path}?{url.query}" if url.query else url.path
        return rx.call_script(history_script(self._view().to_path(), current=current, replace=replace))

    def _start_fresh(self) -> None:
        """Forget the previous session's filters, rows, counts and ticked rows."""
        self.reset()
        self._filters_token_hash = token_hash(self.token)

    @rx.event
    async def reload(self):
        """Fetch the current page and counts again (retry, or after a change)."""
        async for update in self._refresh(with_counts=True):
            yield update

    async def _apply_filters(self, *, replace: bool = False):
        # Ticked rows that still match stay ticked (see _fetch); the others are dropped.
        self.page = 1
        async for update in self._refresh():
            yield update
        yield self._url_update(replace=replace)

    # -- search, filters, sorting -----------------------------------------------

    @rx.event
    async def set_query(self, value: str):
        """Search as the user types (the input is debounced)."""
        async for update in self._search(value):
            yield update

    async def _search(self, value: str):
        if value == self.query:
            return
        self.query = value[:MAX_QUERY_LENGTH]
        # Typing changes the current history entry rather than adding one per pause.
        async for update in self._apply_filters(replace=True):
            yield update

    async def _toggle_status(self, value: str, checked: bool):
        if checked and value not in self.statuses:
            self.statuses = [*self.statuses, value]
        elif not checked and value in self.statuses:
            self.statuses = [item for item in self.statuses if item != value]
        else:
            return
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def toggle_status(self, value: str, checked: bool):
        """Add or remove a status from the filter."""
        async for update in self._toggle_status(value, checked):
            yield update

    @rx.event
    async def remove_status(self, value: str):
        """Remove a status chip from the filter."""
        async for update in self._toggle_status(value, False):
            yield update

    @rx.event
    async def remove_tag_filter(self, name: str):
        """Stop filtering by this tag."""
        if name not in self.tags:
            return
        self.tags = [tag for tag in self.tags if tag != name]
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def clear_filters(self):
        """Drop the search and every filter."""
        self.query = ""
        self.statuses = []
        self.tags = []
        self.worked_before = False
        self.email_failed = False
        yield rx.call_script(search_box_script(""))
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def set_worked_before(self, checked: bool):
        """Show only contacts hired before, or everyone again."""
        if bool(checked) == self.worked_before:
            return
        self.worked_before = bool(checked)
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def set_email_failed(self, checked: bool):
        """Show only contacts whose email could not be delivered, or everyone again."""
        if bool(checked) == self.email_failed:
            return
        self.email_failed = bool(checked)
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def set_sort(self, value: str):
        """Sort by one of the sort picker's orders."""
        if value == self.sort or value not in {option for option, _ in SORT_OPTIONS}:
            return
        self.sort = value
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def sort_by_column(self, column: str):
        """Sort by a column; clicking the sorted column again reverses the order."""
        if column not in COLUMN_SORTS:
            return
        value, descending_first = COLUMN_SORTS[column]
        if self.sort.lstrip("-") == value:
            self.sort = value if self.sort.startswith("-") else f"-{value}"
        else:
            self.sort = f"-{value}" if descending_first else value
        async for update in self._apply_filters():
            yield update

    # -- paging ------------------------------------------------------------------

    async def _go_to_page(self, page: int):
        # Beyond a total that is not exact there are more pages than page_count.
        self.page = max(1, min(page, self.page_count) if self.total_exact else page)
        self.selected_ids = []
        async for update in self._refresh():
            yield update
        yield self._url_update()

    @rx.event
    async def previous_page(self):
        """Show the page before."""
        if self.page > 1:
            async for update in self._go_to_page(self.page - 1):
                yield update

    @rx.event
    async def next_page(self):
        """Show the page after."""
        if self.has_next:
            async for update in self._go_to_page(self.page + 1):
                yield update

    @rx.event
    async def set_page_size(self, value: str):
        """Show this many rows per page."""
        if value not in PAGE_SIZES or int(value) == self.page_size:
            return
        self.page_size = int(value)
        async for update in self._apply_filters():
            yield update
