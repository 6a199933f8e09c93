"""The profile's Invitation card and applicant decision: invite, resend, revoke, approve and reject."""

from __future__ import annotations

import reflex as rx

from shared.contacts import ContactStatus

from ..api import ApiError
from .profile import ProfileState

# Statuses whose invitation can be resent / revoked, and those whose profile shows the Invitation card.
RESENDABLE_STATUSES = {ContactStatus.INVITED.value, ContactStatus.EXPIRED.value, ContactStatus.REVOKED.value}
REVOCABLE_STATUSES = {ContactStatus.INVITED.value}
INVITATION_STATUSES = {ContactStatus.NOT_INVITED.value, *RESENDABLE_STATUSES}
INVITATION_TITLE = "Invitation"


class ProfileInvitationState(ProfileState):
    """Where the contact's invitation stands, and the company's answers to it and to an application."""

    confirm_revoke_open: bool = False
    confirm_reject_open: bool = False
    resending: bool = False
    revoking: bool = False
    deciding: str = ""

    @rx.var
    def has_invitation(self) -> bool:
        """Whether the profile shows the Invitation card."""
        return self.contact.status in INVITATION_STATUSES

    @rx.var
    def can_resend(self) -> bool:
        """Whether a fresh invitation can be sent."""
        return self.contact.status in RESENDABLE_STATUSES

    @rx.var
    def can_invite(self) -> bool:
        """Whether the contact was added by hand and has had no invitation yet."""
        return self.contact.status == ContactStatus.NOT_INVITED.value

    @rx.var
    def can_revoke(self) -> bool:
        """Whether there is a pending invitation to revoke."""
        return self.contact.status in REVOCABLE_STATUSES

    @rx.var
    def is_applicant(self) -> bool:
        """Whether the contact applied through an invitation link and waits for a decision."""
        return self.contact.status == ContactStatus.APPLIED.value

    @rx.var
    def invitation_title(self) -> str:
        """The Invitation card's heading."""
        return INVITATION_TITLE

    @rx.var
    def invitation_text(self) -> str:
        """Where the invitation stands, in a sentence."""
        first_name = (self.contact.name.split() or ["They"])[0]
        status = self.contact.status
        expires = self.contact.invitation_expires
        if status == ContactStatus.NOT_INVITED.value:
            return f"Added by hand: {first_name} has had no email from you. Invite sends a personal invitation."
        if status == ContactStatus.INVITED.value:
            text = f"Sent to {self.contact.email}. {first_name} has not accepted yet."
            return f"{text} The invitation expires on {expires}." if expires else text
        if status == ContactStatus.EXPIRED.value:
            return f"The invitation expired before {first_name} accepted it. Resend it to send a fresh link."
        if status == ContactStatus.REVOKED.value:
            return f"You withdrew the invitation; its link no longer works. Resend it to invite {first_name} again."
        return ""

    @rx.var
    def revoke_question(self) -> str:
        """Title of the revoke confirmation."""
        return f"Revoke the {INVITATION_TITLE.lower()} to {self.contact.name}?"

    @rx.event
    def close_confirm(self):
        """On load of a profile: no confirmation open."""
        self.confirm_revoke_open = False
        self.confirm_reject_open = False

    @rx.event
    def set_confirm_reject_open(self, is_open: bool):
        """Show or hide the Reject confirmation."""
        self.confirm_reject_open = is_open and self.is_applicant

    @rx.event
    def set_confirm_revoke_open(self, is_open: bool):
        """Show or hide the revoke confirmation."""
        self.confirm_revoke_open = is_open

    @rx.event
    async def invite_contact(self):
        """Invite on a contact added by hand: its first invitation (or, unseen, a connection request)."""
        async for update in self._send_invitation(first=True):
            yield update

    @rx.event
    async def resend_invitation(self):
        """Send a fresh invitation link; the previous one stops working."""
        async for update in self._send_invitation(first=False):
            yield update

    async def _send_invitation(self, first: bool):
        if self._contact is None or self.resending:
            return
        self.resending = True
        yield
        api = self.api()
        try:
            await (api.send_invitation(self._contact.id) if first else api.resend_invitation(self._contact.id))
            await self._reload_contact()
        except ApiError as err:
            self.resending = False
            yield self._failed(err)
            return
        self.resending = False
        yield rx.toast.success(f"Invitation sent{'' if first else ' again'} to {self.contact.email}")

    @rx.event
    async def revoke_invitation(self):
        """Withdraw the pending invitation; its link stops working."""
        if self._contact is None or self.revoking:
            return
        self.revoking = True
        yield
        try:
            await self.api().revoke_invitation(self._contact.id)
            await self._reload_contact()
        except ApiError as err:
            self.revoking = False
            self.confirm_revoke_open = False
            yield self._failed(err)
            return
        self.revoking = False
        self.confirm_revoke_open = False
        yield rx.toast.success(f"{INVITATION_TITLE} revoked", description=self.contact.email)

    @rx.event
    async def decide(self, approve: bool):
        """Approve or reject the applicant; a skipped one says why."""
        if self._contact is None or self.deciding:
            return
        self.deciding = "approve" if approve else "reject"
        yield
        api = self.api()
        ids = [self._contact.id]
        try:
            result = await (api.approve_applicants(ids) if approve else api.reject_applicants(ids))
            await self._reload_contact()
        except ApiError as err:
            self.deciding = ""
            self.confirm_reject_open = False
            yield self._failed(err)
            return
        self.deciding = ""
        self.confirm_reject_open = False
        # The badge counts only applicants who confirmed their email (those who can be approved).
        if result.done and self.contact.email_confirmed and self.applied_count > 0 and self.applied_count_exact:
            self.applied_count -= 1
        if result.skipped:
            yield rx.toast.warning(next(iter(result.skipped.values())))
            return
        if approve:
            yield rx.toast.success(f"Approved {self.contact.name}", description="They are now in your Talent Pool.")
        else:
            yield rx.toast.success(f"Rejected {self.contact.name}")
