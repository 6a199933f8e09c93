"""The profile's Jobs card: whether the contact can be hired, and withdrawing an offer."""

from __future__ import annotations

import reflex as rx

from shared.contacts import ContactStatus

from ..api import ApiError
from .profile import ProfileState

# Why Hire is disabled, per status ({name}: the contact's first name).
HIRE_HINTS = {
    ContactStatus.NOT_INVITED.value: "Invite {name} first: you can hire them once they accept.",
    ContactStatus.INVITED.value: "You can hire {name} once they accept your invitation.",
    ContactStatus.APPLIED.value: "Approve {name}'s application first.",
    ContactStatus.DECLINED.value: "{name} declined your invitation.",
    ContactStatus.REJECTED.value: "You rejected {name}'s application.",
    ContactStatus.EXPIRED.value: "The invitation expired: resend it, and hire {name} once they accept.",
    ContactStatus.REVOKED.value: "You revoked the invitation: resend it, and hire {name} once they accept.",
}


class ProfileJobsState(ProfileState):
    """Hire or Re-hire, and the offer whose withdrawal is being confirmed."""

    withdraw_id: int = 0
    withdrawing: bool = False

    @rx.var
    def can_hire(self) -> bool:
        """Only active contacts (they accepted or were approved) can be offered a job."""
        return self.contact.status == ContactStatus.ACTIVE.value

    @rx.var
    def hire_hint(self) -> str:
        """Why Hire is disabled, and what makes it possible."""
        first_name = (self.contact.name.split() or ["this contact"])[0]
        return HIRE_HINTS.get(self.contact.status, "Only active contacts can be hired.").format(name=first_name)

    @rx.var
    def worked_before(self) -> bool:
        """Whether the contact was hired before (Re-hire instead of Hire)."""
        return self.contact.last_engagement != ""

    @rx.var
    def hire_label(self) -> str:
        """The hire button's words."""
        return "Re-hire" if self.contact.last_engagement else "Hire"

    @rx.var
    def hired_title(self) -> str:
        """The tooltip of the Hired badge: the last job and when."""
        if not self.contact.last_engagement:
            return ""
        when = f" since {self.contact.last_engaged}" if self.contact.last_engaged else ""
        return f"Hired for “{self.contact.last_engagement}”{when}"

    @rx.var
    def withdraw_question(self) -> str:
        """Title of the withdraw confirmation."""
        offer = next((item for item in self.offers if item.id == self.withdraw_id), None)
        return f"Withdraw the offer “{offer.title}”?" if offer else "Withdraw the offer?"

    @rx.var
    def confirm_withdraw_open(self) -> bool:
        """Whether the withdraw confirmation is shown."""
        return self.withdraw_id != 0

    @rx.event
    async def reload_jobs(self):
        """Show the contact, its history and its jobs again (after an offer was sent)."""
        try:
            await self._reload_contact()
        except ApiError as err:
            yield self._failed(err)

    @rx.event
    def close_confirm(self):
        """On load of a profile: no confirmation open."""
        self.withdraw_id = 0

    @rx.event
    def ask_withdraw(self, offer_id: int):
        """Ask before withdrawing one offer."""
        self.withdraw_id = offer_id

    @rx.event
    def set_confirm_withdraw_open(self, is_open: bool):
        """Closing the confirmation forgets which offer it was about."""
        if not is_open and not self.withdrawing:
            self.withdraw_id = 0

    @rx.event
    async def withdraw_offer(self):
        """Take back the offer the confirmation is about; one answered meanwhile is reported."""
        offer_id = self.withdraw_id
        if not offer_id or self.withdrawing:
            return
        title = next((item.title for item in self.offers if item.id == offer_id), "the job")
        self.withdrawing = True
        yield
        problem: ApiError | None = None
        try:
            await self.api().withdraw_offer(offer_id)
        except ApiError as err:
            problem = err
        ended = self._failed(problem, inline=True) if problem is not None else None
        if ended is not None:
            self.withdrawing = False
            self.withdraw_id = 0
            yield ended
            return
        try:
            await self._reload_contact()
        except ApiError:
            pass  # the toast below says what happened; the page shows what it had
        self.withdrawing = False
        self.withdraw_id = 0
        if problem is None:
            yield rx.toast.success(f"Offer withdrawn: {title}")
        elif problem.code == "offer_answered":
            yield rx.toast.warning(f"{self.contact.name} already answered the offer “{title}”.")
        else:
            yield rx.toast.error(problem.message())
