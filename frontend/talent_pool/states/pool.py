"""The Talent Pool page: one page of contacts, its filters, sorting, paging and bulk actions."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from shared.contacts import ContactPage, ContactStatus, ContactSummary, StatusCount
from shared.invitations import InvitationResult

from ..api import ApiError
from ..display import (
    MAX_TAGS_IN_ROW,
    PAGE_SIZES,
    SORT_OPTIONS,
    calendar_date,
    count_text,
    date_and_time,
    relative_date,
    source_label,
    status_label,
)
from ..session_cookie import token_hash
from .session import SessionState

DEFAULT_SORT = "name"
DEFAULT_PAGE_SIZE = 25
SEARCH_DEBOUNCE_MS = 300
TAG_SUGGESTIONS = 20
# Several deletes at once, but not a flood against the BFF.
BULK_CONCURRENCY = 8

# Sortable columns: the ascending sort value and whether the first click sorts descending.
COLUMN_SORTS: dict[str, tuple[str, bool]] = {
    "name": ("name", False),
    "email": ("email", False),
    "status": ("status", False),
    "last_activity": ("last_activity_at", True),
}


@dataclasses.dataclass
class ContactRow:
    """One table row, already formatted for display."""

    id: int
    name: str
    email: str
    status: str
    status_label: str
    source_label: str
    tags_shown: list[str]
    tags_more: int
    last_activity: str
    last_activity_exact: str
    href: str
    # For applicants: "Email confirmed" / "Email not confirmed"; empty for everyone else.
    email_state: str = ""
    # The last job they were hired for and when ("" when never hired).
    last_engagement: str = ""
    last_engaged: str = ""
    last_engaged_exact: str = ""
    # Why the last email to the contact could not be delivered ("" when nothing failed).
    email_error: str = ""


@dataclasses.dataclass
class StatusOption:
    """A status in the filter, with how many contacts have it."""

    value: str
    label: str
    count: str


@dataclasses.dataclass
class TagOption:
    """A tag suggestion in the tag filter."""

    name: str
    count: str


def contact_row(contact: ContactSummary) -> ContactRow:
    """Format a contact summary as a table row."""
    return ContactRow(
        id=contact.id,
        name=contact.name,
        email=contact.email,
        status=contact.status.value,
        status_label=status_label(contact.status.value),
        source_label=source_label(contact.source.value),
        tags_shown=contact.tags[:MAX_TAGS_IN_ROW],
        tags_more=max(0, len(contact.tags) - MAX_TAGS_IN_ROW),
        last_activity=relative_date(contact.last_activity_at),
        last_activity_exact=date_and_time(contact.last_activity_at),
        href=f"/contacts/{contact.id}",
        email_state=email_state_text(contact.email_confirmed),
        last_engagement=contact.last_engagement or "",
        last_engaged=calendar_date(contact.last_engaged_at) if contact.last_engaged_at else "",
        last_engaged_exact=date_and_time(contact.last_engaged_at) if contact.last_engaged_at else "",
        email_error=contact.email_error,
    )


def email_state_text(confirmed: bool | None) -> str:
    """An applicant's email confirmation, in words ("" when it does not apply)."""
    if confirmed is None:
        return ""
    return "Email confirmed" if confirmed else "Email not confirmed"


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

    selected_ids: list[int] = []
    confirm_delete_open: bool = False
    deleting: bool = False
    confirm_revoke_open: bool = False
    resending: bool = False
    revoking: bool = False
    # The contact whose row Invite is being sent (0: none).
    inviting_id: int = 0
    deciding: str = ""

    tag_query: str = ""
    tag_options: list[TagOption] = []

    # The hash of the session token the filters belong to: a new login starts with a clean table.
    _filters_token_hash: str = ""

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

    @rx.var
    def selected_count(self) -> int:
        """How many rows are ticked."""
        return len(self.selected_ids)

    @rx.var
    def selected_text(self) -> str:
        """E.g. "3 selected"."""
        return f"{len(self.selected_ids):,} selected"

    @rx.var
    def all_selected(self) -> bool:
        """Whether every row on this page is ticked."""
        return bool(self.rows) and len(self.selected_ids) == len(self.rows)

    @rx.var
    def delete_question(self) -> str:
        """Title of the bulk delete confirmation."""
        count = len(self.selected_ids)
        return f"Delete {count:,} contact{'' if count == 1 else 's'}?"

    @rx.var
    def revoke_question(self) -> str:
        """Title of the bulk revoke confirmation."""
        count = len(self.selected_ids)
        return f"Revoke {count:,} invitation{'' if count == 1 else 's'}?"

    # -- loading ---------------------------------------------------------------

    async def _fetch(self, *, with_counts: bool = False) -> None:
        """Ask the BFF for the current page (and the status counts); raises ApiError."""
        api = self.api()
        listing = api.list_contacts(
            q=self.query.strip(),
            statuses=self.statuses,
            tags=self.tags,
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
            worked_before=self.worked_before,
            email_failed=self.email_failed,
        )
        calls: list = [listing]
        if with_counts:
            calls.append(api.status_counts())
            calls.append(api.email_failure_count())
        if self._needs_me():
            calls.append(api.me())
        results = await asyncio.gather(*calls)
        page: ContactPage = results[0]
        if page.total and not page.items and self.page > 1:
            # The page ran past the end (e.g. after deletes): show the last one.
            self.page = max(1, -(-page.total // self.page_size))
            page = await api.list_contacts(
                q=self.query.strip(),
                statuses=self.statuses,
                tags=self.tags,
                sort=self.sort,
                page=self.page,
                page_size=self.page_size,
                worked_before=self.worked_before,
                email_failed=self.email_failed,
            )
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
            self.applied_count = self.status_counts.get("applied", 0)
            self.applied_count_exact = "applied" not in self.inexact_statuses
            self.email_failure_count = rest.pop(0).count
        if rest:
            self._remember_me(rest[0])

    async def _refresh(self, *, with_counts: bool = False):
        self.loading = True
        self.error = ""
        yield
        try:
            await self._fetch(with_counts=with_counts)
        except ApiError as err:
            if err.is_unauthorized:
                self.loading = False
                yield self._session_ended()
                return
            self.error = err.message()
        else:
            self.loaded = True
        self.loading = False

    @rx.event
    async def load_pool(self):
        """On load of the Talent Pool page: check the session and fetch the first page."""
        if not self.token:
            yield self._login_redirect()
            return
        if self._filters_token_hash != token_hash(self.token):
            self._start_fresh()
        self.selected_ids = []
        self.confirm_delete_open = False
        self.confirm_revoke_open = False
        async for update in self._refresh(with_counts=True):
            yield update

    def _start_fresh(self) -> None:
        """Forget the previous session's filters, rows and counts."""
        self.query = ""
        self.statuses = []
        self.tags = []
        self.worked_before = False
        self.email_failed = False
        self.email_failure_count = 0
        self.sort = DEFAULT_SORT
        self.page = 1
        self.page_size = DEFAULT_PAGE_SIZE
        self.rows = []
        self.total = 0
        self.total_exact = True
        self.status_counts = {}
        self.inexact_statuses = []
        self.loaded = False
        self.error = ""
        self.tag_query = ""
        self.tag_options = []
        self._filters_token_hash = token_hash(self.token)

    @rx.event
    async def reload(self):
        """Fetch the current page and counts again (retry, or after a change)."""
        async for update in self._refresh(with_counts=True):
            yield update

    async def _apply_filters(self):
        # Ticked rows that still match stay ticked (see _fetch); the others are dropped.
        self.page = 1
        async for update in self._refresh():
            yield update

    # -- search, filters, sorting -----------------------------------------------

    @rx.event
    async def set_query(self, value: str):
        """Search as the user types (the input is debounced)."""
        if value == self.query:
            return
        self.query = value
        async for update in self._apply_filters():
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

    async def _add_tag_filter(self, name: str):
        if not name or name in self.tags:
            return
        self.tags = [*self.tags, name]
        self.tag_query = ""
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def add_tag_filter(self, name: str):
        """Narrow the list to contacts that have this tag too."""
        async for update in self._add_tag_filter(name):
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

    # -- tag suggestions -----------------------------------------------------------

    async def _search_tags(self, value: str):
        self.tag_query = value
        try:
            found = await self.api().tags(q=value.strip(), limit=TAG_SUGGESTIONS)
        except ApiError as err:
            if err.is_unauthorized:
                yield self._session_ended()
            self.tag_options = []
            return
        self.tag_options = [
            TagOption(name=tag.name, count=count_text(tag.count, tag.exact))
            for tag in found
            if tag.name not in self.tags
        ]

    @rx.event
    async def search_tags(self, value: str):
        """Suggest tags that match what was typed in the tag filter."""
        async for update in self._search_tags(value):
            yield update

    @rx.event
    async def open_tag_picker(self, is_open: bool):
        """Load the most used tags when the tag filter opens."""
        if is_open:
            async for update in self._search_tags(self.tag_query):
                yield update

    @rx.event
    async def add_typed_tag(self, key: str):
        """Enter in the tag filter picks the first suggestion."""
        if key != "Enter" or not self.tag_options:
            return
        async for update in self._add_tag_filter(self.tag_options[0].name):
            yield update

    # -- selection and bulk delete -------------------------------------------------------

    @rx.event
    def toggle_row(self, contact_id: int, checked: bool):
        """Tick or untick one row."""
        if checked and contact_id not in self.selected_ids:
            self.selected_ids = [*self.selected_ids, contact_id]
        elif not checked:
            self.selected_ids = [item for item in self.selected_ids if item != contact_id]

    @rx.event
    def toggle_all(self, checked: bool):
        """Tick or untick every row on this page."""
        self.selected_ids = [row.id for row in self.rows] if checked else []

    @rx.event
    def clear_selection(self):
        """Untick every row."""
        self.selected_ids = []

    @rx.event
    def set_confirm_delete_open(self, is_open: bool):
        """Show or hide the bulk delete confirmation."""
        self.confirm_delete_open = is_open and bool(self.selected_ids)

    @rx.event
    async def delete_selected(self):
        """Delete the ticked contacts, then refresh the page and counts."""
        ids = list(self.selected_ids)
        if not ids:
            return
        self.deleting = True
        yield
        api = self.api()
        limit = asyncio.Semaphore(BULK_CONCURRENCY)

        async def delete_one(contact_id: int) -> ApiError | None:
            async with limit:
                try:
                    await api.delete_contact(contact_id)
                except ApiError as err:
                    if err.is_not_found:
                        return None  # already gone: that is what was asked for
                    return err
                return None

        failures = [err for err in await asyncio.gather(*map(delete_one, ids)) if err]
        self.deleting = False
        self.confirm_delete_open = False
        self.selected_ids = []
        if any(err.is_unauthorized for err in failures):
            yield self._session_ended()
            return
        deleted = len(ids) - len(failures)
        if deleted:
            yield rx.toast.success(f"{deleted:,} contact{'' if deleted == 1 else 's'} deleted")
        if failures:
            yield rx.toast.error(f"{len(failures):,} could not be deleted: {failures[0].message()}")
        async for update in self._refresh(with_counts=True):
            yield update

    # -- Invite on a contact added by hand, bulk resend and revoke --------------------------

    @rx.event
    async def invite_row(self, contact_id: int):
        """Send the first invitation to a contact added by hand (not invited)."""
        if self.inviting_id:
            return
        self.inviting_id = contact_id
        yield
        try:
            await self.api().send_invitation(contact_id)
        except ApiError as err:
            self.inviting_id = 0
            yield self._failed(err)
            return
        self.inviting_id = 0
        email = next((row.email for row in self.rows if row.id == contact_id), "")
        yield rx.toast.success("Invitation sent", description=email)
        async for update in self._refresh(with_counts=True):
            yield update

    @rx.event
    def set_confirm_revoke_open(self, is_open: bool):
        """Show or hide the bulk revoke confirmation."""
        self.confirm_revoke_open = is_open and bool(self.selected_ids)

    @rx.event
    async def resend_selected(self):
        """Send fresh invitation links to the ticked contacts that can get one."""
        ids = list(self.selected_ids)
        if not ids or self.resending:
            return
        self.resending = True
        yield
        try:
            result = await self.api().resend_invitations(ids)
        except ApiError as err:
            self.resending = False
            yield self._failed(err)
            return
        self.resending = False
        self.selected_ids = []
        yield bulk_result_toast(result, "Resent", "invitation")
        async for update in self._refresh(with_counts=True):
            yield update

    @rx.event
    async def revoke_selected(self):
        """Withdraw the pending invitations of the ticked contacts."""
        ids = list(self.selected_ids)
        if not ids or self.revoking:
            return
        self.revoking = True
        yield
        try:
            result = await self.api().revoke_invitations(ids)
        except ApiError as err:
            self.revoking = False
            self.confirm_revoke_open = False
            yield self._failed(err)
            return
        self.revoking = False
        self.confirm_revoke_open = False
        self.selected_ids = []
        yield bulk_result_toast(result, "Revoked", "invitation")
        async for update in self._refresh(with_counts=True):
            yield update

    # -- bulk approve and reject (applicants from invitation links) ----------------------

    async def _decide(self, approve: bool):
        ids = list(self.selected_ids)
        if not ids or self.deciding:
            return
        self.deciding = "approve" if approve else "reject"
        yield
        api = self.api()
        try:
            result = await (api.approve_applicants(ids) if approve else api.reject_applicants(ids))
        except ApiError as err:
            self.deciding = ""
            yield self._failed(err)
            return
        self.deciding = ""
        self.selected_ids = []
        yield bulk_result_toast(result, "Approved" if approve else "Rejected", "")
        async for update in self._refresh(with_counts=True):
            yield update

    @rx.event
    async def approve_selected(self):
        """Approve the ticked applicants (only confirmed emails can be approved)."""
        async for update in self._decide(True):
            yield update

    @rx.event
    async def reject_selected(self):
        """Reject the ticked applicants."""
        async for update in self._decide(False):
            yield update


def bulk_result_text(result: InvitationResult, verb: str, noun: str) -> str:
    """E.g. "Resent 3 invitations; 1 skipped: Only pending, expired or revoked invitations can be resent."."""
    done = len(result.done)
    text = f"{verb} {done:,}"
    if noun:
        text += f" {noun}{'' if done == 1 else 's'}"
    skipped = len(result.skipped)
    if skipped:
        reasons = "; ".join(dict.fromkeys(reason.rstrip(".") for reason in result.skipped.values()))
        text += f"; {skipped:,} skipped: {reasons}."
    return text


def bulk_result_toast(result: InvitationResult, verb: str, noun: str):
    """A success toast when something was done, a warning when everything was skipped."""
    text = bulk_result_text(result, verb, noun)
    if result.done:
        return rx.toast.success(text)
    return rx.toast.warning(text)
