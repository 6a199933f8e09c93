"""A contact's profile page."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from shared.contacts import ContactFile, ContactPublic, ContactStatus
from shared.invitations import ContactEvent
from shared.jobs import JobOfferPublic, OfferStatus

from ..api import ApiError, TalentPoolApi
from ..display import (
    calendar_date,
    date_and_time,
    date_range_text,
    file_size_text,
    place_text,
    rate_text,
    relative_date,
    source_label,
    status_label,
)
from ..session_cookie import token_hash
from .session import HOME_ROUTE, SessionState

# Statuses whose invitation can be resent / revoked, and those whose profile shows the Invitation card.
RESENDABLE_STATUSES = {ContactStatus.INVITED.value, ContactStatus.EXPIRED.value, ContactStatus.REVOKED.value}
REVOCABLE_STATUSES = {ContactStatus.INVITED.value}
INVITATION_STATUSES = {ContactStatus.NOT_INVITED.value, *RESENDABLE_STATUSES}
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
# Offers the company can still take back: nobody has answered them yet.
WITHDRAWABLE_OFFERS = {OfferStatus.PENDING, OfferStatus.OFFERED}


@dataclasses.dataclass
class HistoryItem:
    """One line of the contact's history, formatted for the timeline."""

    summary: str
    actor: str
    when: str
    when_exact: str


@dataclasses.dataclass
class FileItem:
    """A file kept on the contact, formatted for the files list."""

    id: int
    filename: str
    size: str
    uploaded: str
    kind: str


def history_item(event: ContactEvent) -> HistoryItem:
    """Format a history event."""
    return HistoryItem(
        summary=event.summary,
        actor=event.actor,
        when=relative_date(event.at),
        when_exact=date_and_time(event.at),
    )


@dataclasses.dataclass
class OfferItem:
    """One job offer in the profile's Jobs section, formatted for display."""

    id: int
    title: str
    description: str
    dates: str
    rate: str
    place: str
    remote: bool
    status: str
    status_label: str
    sent: str
    sent_exact: str
    answered: str
    can_withdraw: bool


def offer_item(offer: JobOfferPublic) -> OfferItem:
    """Format a job offer for the Jobs section."""
    sent = f"Offered {relative_date(offer.created_at)}"
    if offer.created_by:
        sent += f" by {offer.created_by}"
    answered = ""
    if offer.answered_at is not None:
        verb = {
            OfferStatus.ACCEPTED: "Accepted",
            OfferStatus.DECLINED: "Declined",
            OfferStatus.WITHDRAWN: "Withdrawn",
        }.get(offer.status, "Answered")
        answered = f"{verb} {relative_date(offer.answered_at)}"
    return OfferItem(
        id=offer.id,
        title=offer.title,
        description=offer.description.strip(),
        dates=date_range_text(offer.start_date, offer.end_date),
        rate=rate_text(offer.rate, offer.currency, offer.rate_unit),
        place=place_text(offer.remote, offer.location),
        remote=offer.remote,
        status=offer.status.value,
        status_label=offer.status.label,
        sent=sent,
        sent_exact=date_and_time(offer.created_at),
        answered=answered,
        can_withdraw=offer.status in WITHDRAWABLE_OFFERS,
    )


def file_kind(file: ContactFile) -> str:
    """An icon family for the file: "image", "text" or "document"."""
    if file.content_type.startswith("image/"):
        return "image"
    if file.content_type.startswith("text/"):
        return "text"
    return "document"


def file_item(file: ContactFile) -> FileItem:
    """Format a contact file."""
    return FileItem(
        id=file.id,
        filename=file.filename,
        size=file_size_text(file.size),
        uploaded=calendar_date(file.uploaded_at),
        kind=file_kind(file),
    )


@dataclasses.dataclass
class ContactProfile:
    """A contact's profile, formatted for display."""

    id: int = 0
    name: str = ""
    email: str = ""
    status: str = ""
    status_label: str = ""
    source_label: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    links: list[str] = dataclasses.field(default_factory=list)
    notes: str = ""
    created: str = ""
    updated: str = ""
    last_activity: str = ""
    last_activity_exact: str = ""
    created_by: str = ""
    invitation_expires: str = ""
    invitation_expires_exact: str = ""
    email_confirmed: bool = False
    # The last job they were hired for ("" when never hired) and when.
    last_engagement: str = ""
    last_engaged: str = ""
    # Why the last email to the contact could not be delivered ("" when nothing failed).
    email_error: str = ""


def contact_profile(contact: ContactPublic) -> ContactProfile:
    """Format a contact for its profile page."""
    return ContactProfile(
        id=contact.id,
        name=contact.name,
        email=contact.email,
        status=contact.status.value,
        status_label=status_label(contact.status.value),
        source_label=source_label(contact.source.value),
        tags=list(contact.tags),
        links=list(contact.links),
        notes=contact.notes,
        created=date_and_time(contact.created_at),
        updated=date_and_time(contact.updated_at),
        last_activity=relative_date(contact.last_activity_at),
        last_activity_exact=date_and_time(contact.last_activity_at),
        created_by=contact.created_by or "",
        invitation_expires=calendar_date(contact.invitation_expires_at) if contact.invitation_expires_at else "",
        invitation_expires_exact=date_and_time(contact.invitation_expires_at) if contact.invitation_expires_at else "",
        email_confirmed=bool(contact.email_confirmed),
        last_engagement=contact.last_engagement or "",
        last_engaged=calendar_date(contact.last_engaged_at) if contact.last_engaged_at else "",
        email_error=contact.email_error,
    )


def contact_id_from_path(path: str) -> int | None:
    """The id in "/contacts/<id>", if it is a positive number."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.isdigit() and 0 < int(last) < 2**63:
        return int(last)
    return None


class ProfileState(SessionState):
    """The contact shown on /contacts/[id], or why it cannot be shown."""

    contact: ContactProfile = ContactProfile()
    loading: bool = True
    not_found: bool = False
    error: str = ""
    confirm_delete_open: bool = False
    deleting: bool = False
    history: list[HistoryItem] = []
    files: list[FileItem] = []
    confirm_revoke_open: bool = False
    resending: bool = False
    deciding: str = ""
    revoking: bool = False
    downloading_id: int = 0
    offers: list[OfferItem] = []
    offers_error: str = ""
    withdraw_id: int = 0
    withdrawing: bool = False

    _contact: ContactPublic | None = None
    _contact_token_hash: str = ""

    @rx.var
    def initials(self) -> str:
        """Up to two initials of the contact, for the avatar."""
        parts = [part for part in self.contact.name.split() if part[:1].isalnum()]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @rx.var
    def has_notes(self) -> bool:
        """Whether there are notes to show."""
        return bool(self.contact.notes.strip())

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
    def invitation_title(self) -> str:
        """The Invitation card's heading."""
        return "Invitation"

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
        return f"Revoke the {self.invitation_title.lower()} to {self.contact.name}?"

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

    def _show(self, contact: ContactPublic) -> None:
        self._contact = contact
        self._contact_token_hash = token_hash(self.token)
        self.contact = contact_profile(contact)
        self.files = [file_item(file) for file in contact.files]

    def _show_history(self, events: list[ContactEvent]) -> None:
        self.history = [history_item(event) for event in events]

    async def _fetch_offers(self, api: TalentPoolApi, contact_id: int) -> None:
        """Fetch the Jobs section; a failure shows in the section only (a 401 is raised)."""
        try:
            listing = await api.list_offers(contact_id)
        except ApiError as err:
            if err.is_unauthorized:
                raise
            self.offers_error = err.message()
            return
        self.offers = [offer_item(offer) for offer in listing.items]
        self.offers_error = ""

    @rx.event
    async def load_contact(self):
        """On load of a profile: fetch the contact named in the URL."""
        if not self.token:
            yield self._login_redirect()
            return
        self.loading = True
        self.not_found = False
        self.error = ""
        self.confirm_delete_open = False
        self.confirm_revoke_open = False
        self.withdraw_id = 0
        contact_id = contact_id_from_path(self.router.url.path)
        if contact_id is None:
            self.not_found = True
            self.loading = False
            return
        if (
            self._contact is None
            or self._contact.id != contact_id
            or self._contact_token_hash != token_hash(self.token)
        ):
            self._contact = None
            self.contact = ContactProfile()
            self.history = []
            self.files = []
            self.offers = []
            self.offers_error = ""
        yield
        api = self.api()
        try:
            calls = [api.get_contact(contact_id), api.contact_history(contact_id), self._fetch_offers(api, contact_id)]
            if self._needs_me():
                calls.append(api.me())
            results = await asyncio.gather(*calls)
            self._show(results[0])
            self._show_history(results[1])
            if len(results) > 3:
                self._remember_me(results[3])
        except ApiError as err:
            if err.is_unauthorized:
                yield self._session_ended()
            elif err.is_not_found:
                self.not_found = True
            else:
                self.error = err.message()
        self.loading = False

    @rx.event
    def set_confirm_delete_open(self, is_open: bool):
        """Show or hide the delete confirmation."""
        self.confirm_delete_open = is_open

    @rx.event
    async def delete_contact(self):
        """Delete this contact and go back to the Talent Pool."""
        if self._contact is None:
            return
        self.deleting = True
        yield
        try:
            await self.api().delete_contact(self._contact.id)
        except ApiError as err:
            self.deleting = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            if not err.is_not_found:
                self.confirm_delete_open = False
                yield rx.toast.error(err.message())
                return
        name = self._contact.name
        self.deleting = False
        self.confirm_delete_open = False
        self._contact = None
        yield rx.redirect(HOME_ROUTE)
        yield rx.toast.success("Contact deleted", description=name)

    async def _reload_contact(self) -> None:
        """Fetch the contact and its history again after a change; raises ApiError."""
        if self._contact is None:
            return
        api = self.api()
        contact, events, _ = await asyncio.gather(
            api.get_contact(self._contact.id),
            api.contact_history(self._contact.id),
            self._fetch_offers(api, self._contact.id),
        )
        self._show(contact)
        self._show_history(events)

    @rx.event
    async def reload_jobs(self):
        """Show the contact, its history and its jobs again (after an offer was sent)."""
        try:
            await self._reload_contact()
        except ApiError as err:
            if err.is_unauthorized:
                yield self._session_ended()
                return
            yield rx.toast.error(err.message())

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
        if problem is not None and problem.is_unauthorized:
            self.withdrawing = False
            self.withdraw_id = 0
            yield self._session_ended()
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
        noun = self.invitation_title
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
        yield rx.toast.success(f"{noun} revoked", description=self.contact.email)

    @rx.var
    def is_applicant(self) -> bool:
        """Whether the contact applied through an invitation link and waits for a decision."""
        return self.contact.status == ContactStatus.APPLIED.value

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
            yield self._failed(err)
            return
        self.deciding = ""
        if result.done and self.applied_count > 0 and self.applied_count_exact:
            self.applied_count -= 1
        if result.skipped:
            yield rx.toast.warning(next(iter(result.skipped.values())))
            return
        if approve:
            yield rx.toast.success(f"Approved {self.contact.name}", description="They are now in your Talent Pool.")
        else:
            yield rx.toast.success(f"Rejected {self.contact.name}")

    @rx.event
    async def download_file(self, file_id: int):
        """Fetch one of the contact's files from the BFF and hand it to the browser."""
        if self._contact is None or self.downloading_id:
            return
        known = next((file for file in self._contact.files if file.id == file_id), None)
        self.downloading_id = file_id
        yield
        try:
            download = await self.api().download_contact_file(
                self._contact.id, file_id, fallback_name=known.filename if known else "file"
            )
        except ApiError as err:
            self.downloading_id = 0
            yield self._failed(err)
            return
        self.downloading_id = 0
        yield rx.download(
            data=download.data,
            filename=download.filename,
            mime_type=download.content_type.split(";")[0].strip() or "application/octet-stream",
        )
