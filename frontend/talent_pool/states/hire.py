"""The Hire / Re-hire dialog, from a contact's profile or a Talent Pool row: a job offer to an active contact."""

from __future__ import annotations

import reflex as rx

from shared.contacts import ContactPublic, ContactStatus

from ..api import ApiError
from .invite import SHOW_FIRST_PROBLEM
from .offer_form import OfferFormMixin, OfferPreferencesState, has_unplaced_errors, offer_field_messages
from .pool import PoolState
from .profile import ProfileState
from .profile_jobs import ProfileJobsState
from .session import SessionState


class HireState(OfferFormMixin, SessionState):
    """The job offer dialog: empty for Hire, filled from the last job for Re-hire."""

    dialog_open: bool = False
    rehire: bool = False
    contact_id: int = 0
    contact_name: str = ""
    last_job: str = ""
    prefilling: bool = False
    prefill_note: str = ""
    form_error: str = ""
    saving: bool = False
    # Opened from a Talent Pool row (the table refreshes after sending) rather than the profile.
    from_pool: bool = False
    # Active but with no worker account (made active by hand): the offer goes with an invitation.
    invite_first: bool = False
    contact_email: str = ""

    @rx.var
    def dialog_title(self) -> str:
        """E.g. "Re-hire Ada Lovelace"."""
        return f"{'Re-hire' if self.rehire else 'Hire'} {self.contact_name}"

    @rx.var
    def dialog_text(self) -> str:
        """What happens when the offer is sent."""
        first_name = (self.contact_name.split() or ["They"])[0]
        if self.invite_first:
            return (
                f"{first_name} has no worker account yet, so an offer alone could not be answered. "
                f"{first_name} gets an invitation with this offer, and sees the offer once they accept."
            )
        text = f"{first_name} gets an email and accepts or declines the offer in their worker portal."
        if self.rehire and self.last_job and not self.prefill_note:
            return f"Filled in from the last job, “{self.last_job}”. Change what is different this time. {text}"
        return text

    @rx.event
    async def open_dialog(self):
        """Open the form for the profile's contact; Re-hire fills it from the last job."""
        profile = await self.get_state(ProfileState)
        if profile._contact is None:
            return
        self.from_pool = False
        async for update in self._open(profile._contact):
            yield update

    @rx.event
    async def open_for_row(self, contact_id: int):
        """Open the form from a Talent Pool row: the same offer, for that row's contact."""
        try:
            contact = await self.api().get_contact(contact_id)
        except ApiError as err:
            yield self._failed(err)
            return
        self.from_pool = True
        async for update in self._open(contact):
            yield update

    async def _open(self, contact: ContactPublic):
        preferences = await self.get_state(OfferPreferencesState)
        self.contact_id = contact.id
        self.contact_name = contact.name
        self.contact_email = contact.email
        self.invite_first = contact.status is ContactStatus.ACTIVE and contact.has_worker_account is False
        self.last_job = contact.last_engagement or ""
        self.rehire = bool(contact.last_engagement)
        self.form_error = ""
        self.prefill_note = ""
        self.saving = False
        self._fill_offer(currency=preferences.last_currency)
        self.dialog_open = True
        if not self.rehire:
            return
        self.prefilling = True
        yield
        try:
            prefill = await self.api().offer_prefill(contact.id)
        except ApiError as err:
            self.prefilling = False
            if err.code == "no_previous_job" or err.is_not_found:
                self.prefill_note = "We could not find the last job to copy, so the form starts empty."
            else:
                self.form_error = err.message()
            yield self._failed(err, inline=True)
            return
        self._fill_offer(prefill)
        self.prefilling = False

    @rx.event
    def set_dialog_open(self, is_open: bool):
        """Open or close the dialog (Escape and the overlay close it too)."""
        self.dialog_open = is_open
        if not is_open:
            self.saving = False

    @rx.event
    async def send(self, form_data: dict | None = None):
        """Send the job offer; show field errors, or close, toast and refresh the profile."""
        if self.saving or self.prefilling:
            return
        self.form_error = ""
        self.offer_errors = {}
        offer = self._offer_from_form()
        if offer is None:
            yield rx.call_script(SHOW_FIRST_PROBLEM)
            return
        self.saving = True
        yield
        try:
            if self.invite_first:
                await self.api().send_invitation(self.contact_id, offer=offer)
            else:
                await self.api().create_offer(self.contact_id, offer)
        except ApiError as err:
            self.saving = False
            ended = self._failed(err, inline=True)
            if ended is not None:
                yield ended
                return
            prefix = "offer" if self.invite_first else ""
            self.offer_errors = offer_field_messages(err.problem, prefix)
            if not self.offer_errors or has_unplaced_errors(err.problem, prefix):
                self.form_error = err.message()
            yield rx.call_script(SHOW_FIRST_PROBLEM)
            if err.code in ("contact_not_active", "already_invited"):
                yield self._refresh_origin()
            return
        preferences = await self.get_state(OfferPreferencesState)
        preferences.last_currency = offer.currency
        self.saving = False
        self.dialog_open = False
        if self.invite_first:
            yield rx.toast.success(f"Invitation and job offer sent to {self.contact_email}", description=offer.title)
        else:
            yield rx.toast.success(f"Job offer sent to {self.contact_name}", description=offer.title)
        yield self._refresh_origin()

    def _refresh_origin(self):
        """Show the change where the dialog was opened: the Talent Pool's table or the profile's Jobs card."""
        return PoolState.reload if self.from_pool else ProfileJobsState.reload_jobs
