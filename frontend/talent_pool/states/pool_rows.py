"""The Talent Pool table's rows and filter options, formatted for display."""

from __future__ import annotations

import dataclasses

from shared.contacts import ContactStatus, ContactSummary

from ..display import (
    MAX_TAGS_IN_ROW,
    calendar_date,
    date_and_time,
    delivery_exact,
    delivery_text,
    relative_date,
    source_label,
    status_label,
)


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
    # For applicants: "Email confirmed" / "Waiting for email confirmation"; empty for everyone else.
    email_state: str = ""
    # An applicant who confirmed their email: only they can be approved.
    approvable: bool = False
    # The last job they were hired for and when ("" when never hired).
    last_engagement: str = ""
    last_engaged: str = ""
    last_engaged_exact: str = ""
    # Why the last email to the contact could not be delivered ("" when nothing failed).
    email_error: str = ""
    # While invited: the invitation email's delivery in words, and when the mail server accepted it.
    delivery: str = ""
    delivery_exact: str = ""


@dataclasses.dataclass
class StatusOption:
    """A status in the filter, with how many contacts have it."""

    value: str
    label: str
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
        approvable=contact.status is ContactStatus.APPLIED and bool(contact.email_confirmed),
        last_engagement=contact.last_engagement or "",
        last_engaged=calendar_date(contact.last_engaged_at) if contact.last_engaged_at else "",
        last_engaged_exact=date_and_time(contact.last_engaged_at) if contact.last_engaged_at else "",
        email_error=contact.email_error,
        delivery=delivery_text(contact.invitation_email),
        delivery_exact=delivery_exact(contact.invitation_email),
    )


def email_state_text(confirmed: bool | None) -> str:
    """An applicant's email confirmation, in words ("" when it does not apply)."""
    if confirmed is None:
        return ""
    return "Email confirmed" if confirmed else "Waiting for email confirmation"
