"""Emails to contacts that could not be delivered: recorded on the contact and counted.

The company fixes one by correcting the address (`backend.invitations.corrections`).
"""

from __future__ import annotations

from datetime import datetime

from backend.auth import Principal
from backend.contacts.tables import Contact
from shared.contacts import EmailFailureCount


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
