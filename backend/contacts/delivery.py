"""What became of emails to contacts: each invitation's delivery state, and failures recorded on the contact.

The company fixes a failed one by correcting the address (`backend.invitations.corrections`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.auth import Principal
from backend.contacts.tables import Contact
from backend.db import placeholders, raw_datetime
from shared.contacts import DeliveryState, EmailDelivery, EmailFailureCount

# The outbox kinds of an invitation's email: a sign-up invitation or a connection request (the company is
# shown the same state for both).
INVITATION_EMAIL_KINDS = ("invitation", "connection_request")
_STATES = {
    "pending": DeliveryState.QUEUED,
    "sending": DeliveryState.QUEUED,
    "sent": DeliveryState.SENT,
    "failed": DeliveryState.FAILED,
}


async def record_failed_deliveries(failures: list[tuple[int, str]], when: datetime) -> None:
    """Show each permanently failed outbox email on its contact (inside the sender's transaction).

    Only while the contact still has the address the email went to: a failure of an email to an
    address the company has since corrected says nothing about the new one.
    """
    for outbox_id, reason in failures:
        await Contact.raw(
            "UPDATE contact SET email_error = {}, email_failed_at = {} "
            "WHERE id = (SELECT contact FROM outbox_email WHERE id = {}) "
            "AND email = (SELECT to_email FROM outbox_email WHERE id = {})",
            reason,
            when,
            outbox_id,
            outbox_id,
        )


async def count_email_failures(principal: Principal) -> EmailFailureCount:
    """How many of the caller's contacts have an email that could not be delivered."""
    rows = await Contact.raw(
        "SELECT COUNT(*) AS n FROM contact WHERE company = {} AND email_failed_at IS NOT NULL", principal.company_id
    )
    return EmailFailureCount(count=rows[0]["n"])


def _delivery(row: dict[str, Any]) -> EmailDelivery:
    state = _STATES[row["status"]]
    if state is DeliveryState.SENT:
        return EmailDelivery(state=state, at=raw_datetime(row["sent_at"]))
    if state is DeliveryState.FAILED:
        # A failed email's next attempt time is when the sender gave up on it.
        return EmailDelivery(state=state, at=raw_datetime(row["next_attempt_at"]), reason=row["last_error"])
    return EmailDelivery(state=state, reason=row["last_error"])


async def invitation_deliveries(company_id: int, contact_ids: list[int]) -> dict[int, EmailDelivery]:
    """{contact id: the delivery of its latest invitation email} for these contacts of the company."""
    if not contact_ids:
        return {}
    kinds = ", ".join(f"'{kind}'" for kind in INVITATION_EMAIL_KINDS)
    rows = await Contact.raw(
        "SELECT o.contact, o.status, o.sent_at, o.next_attempt_at, o.last_error FROM outbox_email o "
        f"WHERE o.id IN (SELECT MAX(id) FROM outbox_email WHERE contact IN ({placeholders(len(contact_ids))}) AND kind IN ({kinds}) "
        "AND company = {} GROUP BY contact)",
        *contact_ids,
        company_id,
    )
    return {row["contact"]: _delivery(row) for row in rows}
