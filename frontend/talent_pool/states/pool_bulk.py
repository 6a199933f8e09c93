"""The Talent Pool page's actions on contacts: ticking rows, bulk delete, resend, revoke, Invite (approve and reject: pool_decisions)."""

from __future__ import annotations

import asyncio

import reflex as rx

from shared.invitations import InvitationResult

from ..api import ApiError
from .pool import PoolState

# Several deletes at once, but not a flood against the BFF.
BULK_CONCURRENCY = 8


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


class PoolBulkState(PoolState):
    """The ticked rows of the Talent Pool table and what can be done to them."""

    confirm_delete_open: bool = False
    deleting: bool = False
    confirm_revoke_open: bool = False
    resending: bool = False
    revoking: bool = False
    # The contact whose row Invite is being sent (0: none).
    inviting_id: int = 0

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

    # -- selection -----------------------------------------------------------------------

    @rx.event
    def close_dialogs(self):
        """On load of the Talent Pool page: nothing ticked, no confirmation open."""
        self.selected_ids = []
        self.confirm_delete_open = False
        self.confirm_revoke_open = False

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

    # -- bulk delete ---------------------------------------------------------------------

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
        ended = next((err for err in failures if err.is_unauthorized), None)
        if ended is not None:
            yield self._failed(ended)
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
