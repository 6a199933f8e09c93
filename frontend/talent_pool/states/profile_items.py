"""A contact's profile, its history, files and job offers, formatted for display."""

from __future__ import annotations

import dataclasses

from shared.contacts import ContactFile, ContactPublic
from shared.invitations import ContactEvent
from shared.jobs import JobOfferPublic, OfferStatus

from ..display import (
    calendar_date,
    date_and_time,
    date_range_text,
    delivery_exact,
    delivery_text,
    file_size_text,
    place_text,
    rate_text,
    relative_date,
    source_label,
    status_label,
)

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
    # While invited: the invitation email's delivery in words, and when the mail server accepted it.
    delivery: str = ""
    delivery_exact: str = ""


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
        delivery=delivery_text(contact.invitation_email),
        delivery_exact=delivery_exact(contact.invitation_email),
    )
