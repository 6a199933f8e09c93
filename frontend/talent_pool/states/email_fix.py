"""Correcting the address of an invitation email that could not be delivered, and sending it again."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ..api import ApiError
from .session import SessionState

# The states refreshed after a correction: the Talent Pool table, or the profile.
ORIGIN_POOL = "pool"
ORIGIN_PROFILE = "profile"


class EmailFixState(SessionState):
    """The "Correct address" dialog, opened from a Talent Pool row or a profile."""

    open: bool = False
    contact_id: int = 0
    contact_name: str = ""
    email: str = ""
    reason: str = ""
    email_error: str = ""
    form_error: str = ""
    saving: bool = False
    origin: str = ORIGIN_POOL

    @rx.event
    def open_for(self, contact_id: int, name: str, email: str, reason: str, origin: str):
        """Open the dialog for one contact, the failed address filled in."""
        self.contact_id = contact_id
        self.contact_name = name
        self.email = email
        self.reason = reason
        self.origin = origin
        self.email_error = ""
        self.form_error = ""
        self.saving = False
        self.open = True

    @rx.event
    def set_open(self, is_open: bool):
        """Close (or reopen) the dialog."""
        if not self.saving:
            self.open = is_open

    @rx.event
    def set_email(self, value: str):
        """The address as typed."""
        self.email = value
        self.email_error = ""

    @rx.event
    async def submit(self, form_data: dict[str, Any]):
        """Save the corrected address and send the invitation there."""
        if self.saving or not self.contact_id:
            return
        email = str(form_data.get("email") or self.email).strip()
        self.saving = True
        self.email_error = ""
        self.form_error = ""
        yield
        try:
            contact = await self.api().correct_email(self.contact_id, email)
        except ApiError as err:
            self.saving = False
            ended = self._failed(err, inline=True)
            if ended is not None:
                self.open = False
                yield ended
                return
            self.email_error = err.field_messages().get("email", "")
            if not self.email_error:
                self.form_error = err.message()
            return
        self.saving = False
        self.open = False
        yield rx.toast.success(f"Invitation sent to {contact.email}")
        yield _refresh_event(self.origin)


def _refresh_event(origin: str):
    """The event that shows the corrected contact where the dialog was opened."""
    if origin == ORIGIN_PROFILE:
        from .profile import ProfileState

        return ProfileState.load_contact
    from .pool import PoolState

    return PoolState.reload
