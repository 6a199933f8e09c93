"""The Talent Pool page's answers to applicants: Approve and Reject, from a row or for the ticked rows.

Reject asks first, naming the people it turns down.
"""

from __future__ import annotations

import reflex as rx

from shared.contacts import ContactStatus

from ..api import ApiError
from .pool import PoolState
from .pool_bulk import bulk_result_toast

# How many names the Reject confirmation lists before "and N more".
NAMES_SHOWN = 5


def names_text(names: list[str]) -> str:
    """E.g. "Ada Lovelace", "Ada Lovelace and Bob Stone", "Ada, Bob, … and 3 more"."""
    if len(names) <= 1:
        return "".join(names)
    shown = names[:NAMES_SHOWN]
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest:,} more"
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


class PoolDecisionState(PoolState):
    """Approve and Reject on the Talent Pool page, and the Reject confirmation."""

    deciding: str = ""
    # The row being approved from its own button (0: none).
    approving_id: int = 0
    confirm_reject_open: bool = False
    # Whom the open Reject confirmation is about.
    reject_ids: list[int] = []
    reject_names: list[str] = []

    @rx.var
    def reject_question(self) -> str:
        """The Reject confirmation's title, naming the person (or how many)."""
        if len(self.reject_names) == 1:
            return f"Reject {self.reject_names[0]}?"
        return f"Reject {len(self.reject_names):,} applicants?"

    @rx.var
    def reject_description(self) -> str:
        """What rejecting does, naming everyone it turns down."""
        who = names_text(self.reject_names)
        return (
            f"{who} will not join your Talent Pool. Their application ends and cannot be approved later. "
            "They are not emailed."
        )

    @rx.var
    def can_approve_selected(self) -> bool:
        """Whether a ticked row is an applicant who confirmed their email (only they can be approved)."""
        return any(row.approvable for row in self.rows if row.id in self.selected_ids)

    @rx.var
    def has_applicant_selected(self) -> bool:
        """Whether a ticked row is an applicant (only they can be rejected)."""
        return any(row.status == ContactStatus.APPLIED.value for row in self.rows if row.id in self.selected_ids)

    @rx.event
    def close_confirm(self):
        """On load of the Talent Pool page: no Reject confirmation open."""
        self._forget_reject()

    def _forget_reject(self) -> None:
        self.confirm_reject_open = False
        self.reject_ids = []
        self.reject_names = []

    @rx.event
    def ask_reject_row(self, contact_id: int):
        """Ask before rejecting the applicant of one row."""
        row = next((row for row in self.rows if row.id == contact_id), None)
        if row is None or row.status != ContactStatus.APPLIED.value:
            return
        self.reject_ids = [row.id]
        self.reject_names = [row.name]
        self.confirm_reject_open = True

    @rx.event
    def ask_reject_selected(self):
        """Ask before rejecting the ticked applicants (other ticked contacts are left alone)."""
        rows = [row for row in self.rows if row.id in self.selected_ids and row.status == ContactStatus.APPLIED.value]
        if not rows:
            return
        self.reject_ids = [row.id for row in rows]
        self.reject_names = [row.name for row in rows]
        self.confirm_reject_open = True

    @rx.event
    def set_confirm_reject_open(self, is_open: bool):
        """Close the Reject confirmation (Cancel, Escape); it opens only through the Reject buttons."""
        if not is_open and not self.deciding:
            self._forget_reject()

    async def _decide(self, ids: list[int], approve: bool):
        if not ids or self.deciding:
            return
        self.deciding = "approve" if approve else "reject"
        yield
        api = self.api()
        try:
            result = await (api.approve_applicants(ids) if approve else api.reject_applicants(ids))
        except ApiError as err:
            self.deciding = ""
            self.approving_id = 0
            self._forget_reject()
            yield self._failed(err)
            return
        self.deciding = ""
        self.approving_id = 0
        self._forget_reject()
        self.selected_ids = [item for item in self.selected_ids if item not in result.done]
        yield bulk_result_toast(result, "Approved" if approve else "Rejected", "")
        async for update in self._refresh(with_counts=True):
            yield update

    @rx.event
    async def approve_selected(self):
        """Approve the ticked applicants (only confirmed emails can be approved)."""
        async for update in self._decide(list(self.selected_ids), True):
            yield update

    @rx.event
    async def approve_row(self, contact_id: int):
        """Approve the applicant of one row."""
        if self.deciding:
            return
        self.approving_id = contact_id
        async for update in self._decide([contact_id], True):
            yield update

    @rx.event
    async def reject_confirmed(self):
        """Reject the people the confirmation named."""
        async for update in self._decide(list(self.reject_ids), False):
            yield update
