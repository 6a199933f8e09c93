"""A contact's history: what happened, who did it, and when."""

from backend.contacts.tables import ContactEvent
from shared.invitations import ContactEvent as ContactEventPublic

# An invitation to an email with a worker account (a connection request) is written with the
# invitation's kinds: the history does not tell the company about the account before the answer.
EVENT_SUMMARIES = {
    "added": "Added to the Talent Pool",
    "edited": "Profile edited",
    "file_added": "File added",
    "invitation_sent": "Invitation sent",
    "invitation_resent": "Invitation resent",
    "invitation_revoked": "Invitation revoked",
    "invitation_opened": "Invitation opened",
    "invitation_accepted": "Invitation accepted: worker account created",
    "invitation_expired": "Invitation expired",
    "connection_accepted": "Connection request accepted",
    "connection_declined": "Connection request declined",
    "applied_via_link": "Signed up through an invitation link",
    "email_confirmed": "Email address confirmed",
    "email_corrected": "Email address corrected",
    "applicant_approved": "Application approved",
    "applicant_rejected": "Application rejected",
    "offer_attached": "Job offer attached to the invitation",
    "offer_sent": "Job offer sent",
    "offer_withdrawn": "Job offer withdrawn",
    "offer_accepted": "Hired",
    "offer_declined": "Job offer declined",
}
# Kinds whose summary ends with the event's detail: the job's title ("Hired: Brand refresh").
SUMMARIES_WITH_DETAIL = {"email_corrected", "offer_attached", "offer_sent", "offer_withdrawn", "offer_accepted", "offer_declined"}


def event_summary(kind: str, detail: str = "") -> str:
    """One history line as people read it."""
    summary = EVENT_SUMMARIES.get(kind, kind.replace("_", " ").capitalize())
    return f"{summary}: {detail}" if detail and kind in SUMMARIES_WITH_DETAIL else summary


async def record_event(company_id: int, contact_id: int, kind: str, actor: str, detail: str = "") -> None:
    """Append one line to a contact's history (inside the caller's transaction)."""
    await ContactEvent(company=company_id, contact=contact_id, kind=kind, actor=actor, detail=detail).save()


async def contact_history(company_id: int, contact_id: int) -> list[ContactEventPublic]:
    """A contact's history, newest first."""
    rows = await ContactEvent.select().where(
        (ContactEvent.company == company_id) & (ContactEvent.contact == contact_id)
    ).order_by(ContactEvent.created_at, ascending=False).order_by(ContactEvent.id, ascending=False)
    return [
        ContactEventPublic(
            kind=row["kind"],
            summary=event_summary(row["kind"], row["detail"]),
            actor=row["actor"],
            at=row["created_at"],
        )
        for row in rows
    ]
