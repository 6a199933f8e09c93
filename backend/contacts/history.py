"""A contact's history: what happened, who did it, and when."""

from backend.contacts.tables import ContactEvent
from shared.contacts import EventKind
from shared.invitations import ContactEvent as ContactEventPublic

EVENT_SUMMARIES: dict[str, str] = {
    EventKind.ADDED: "Added to the Talent Pool",
    EventKind.EDITED: "Profile edited",
    EventKind.FILE_ADDED: "File added",
    EventKind.INVITATION_SENT: "Invitation sent",
    EventKind.INVITATION_RESENT: "Invitation resent",
    EventKind.INVITATION_REVOKED: "Invitation revoked",
    EventKind.INVITATION_OPENED: "Invitation opened",
    EventKind.INVITATION_ACCEPTED: "Invitation accepted: worker account created",
    EventKind.INVITATION_EXPIRED: "Invitation expired",
    EventKind.CONNECTION_ACCEPTED: "Connection request accepted",
    EventKind.CONNECTION_DECLINED: "Connection request declined",
    EventKind.APPLIED_VIA_LINK: "Signed up through an invitation link",
    EventKind.EMAIL_CONFIRMED: "Email address confirmed",
    EventKind.EMAIL_CORRECTED: "Email address corrected",
    EventKind.APPLICANT_APPROVED: "Application approved",
    EventKind.APPLICANT_REJECTED: "Application rejected",
    EventKind.OFFER_ATTACHED: "Job offer attached to the invitation",
    EventKind.OFFER_SENT: "Job offer sent",
    EventKind.OFFER_WITHDRAWN: "Job offer withdrawn",
    EventKind.OFFER_ACCEPTED: "Hired",
    EventKind.OFFER_DECLINED: "Job offer declined",
    EventKind.REMINDER_SENT: "Invitation reminder sent",
}
# Kinds whose summary ends with the event's detail: the job's title ("Hired: Brand refresh").
SUMMARIES_WITH_DETAIL = {
    EventKind.EMAIL_CORRECTED,
    EventKind.OFFER_ATTACHED,
    EventKind.OFFER_SENT,
    EventKind.OFFER_WITHDRAWN,
    EventKind.OFFER_ACCEPTED,
    EventKind.OFFER_DECLINED,
    EventKind.REMINDER_SENT,
}


def event_summary(kind: str, detail: str = "") -> str:
    """One history line as people read it (`kind` as stored: an `EventKind` value)."""
    summary = EVENT_SUMMARIES.get(kind, kind.replace("_", " ").capitalize())
    return f"{summary}: {detail}" if detail and kind in SUMMARIES_WITH_DETAIL else summary


async def record_event(company_id: int, contact_id: int, kind: EventKind, actor: str, detail: str = "") -> None:
    """Append one line to a contact's history (inside the caller's transaction)."""
    await ContactEvent(company=company_id, contact=contact_id, kind=kind.value, actor=actor, detail=detail).save()


async def contact_history(company_id: int, contact_id: int) -> list[ContactEventPublic]:
    """A contact's history, newest first."""
    rows = (
        await ContactEvent.select()
        .where((ContactEvent.company == company_id) & (ContactEvent.contact == contact_id))
        .order_by(ContactEvent.created_at, ascending=False)
        .order_by(ContactEvent.id, ascending=False)
    )
    return [
        ContactEventPublic(
            kind=row["kind"],
            summary=event_summary(row["kind"], row["detail"]),
            actor=row["actor"],
            at=row["created_at"],
        )
        for row in rows
    ]
