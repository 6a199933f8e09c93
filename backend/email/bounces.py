"""Bounces that come back later as an email: what a delivery status notification (RFC 3464) says, and
recording a permanent one as the outbox email's failure (and its contact's, through the usual path)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from backend.clock import utcnow
from backend.contacts.delivery import record_failed_deliveries
from backend.db import write_transaction
from backend.email.smtp import short_error
from backend.email.tables import OutboxEmail


@dataclass(frozen=True)
class BounceVerdict:
    """What a message to a bounce address means: `failed` with the reason, or nothing to record."""

    failed: bool
    reason: str = ""


_IGNORE = BounceVerdict(failed=False)


def _field(block: Message, name: str) -> str:
    return " ".join(str(block.get(name, "")).split())


def _diagnostic(block: Message) -> str:
    """The Diagnostic-Code without its type ("smtp; 550 5.1.1 ..." → "550 5.1.1 ..."), else the Status."""
    code = _field(block, "Diagnostic-Code")
    kind, separator, text = code.partition(";")
    if separator and kind.strip().isalnum():
        code = text.strip()
    return code or f"status {_field(block, 'Status')}"


def _status_blocks(message: EmailMessage) -> list[Message] | None:
    """The per-message and per-recipient field blocks of a DSN, or None when it is not one."""
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            return [block for block in payload if isinstance(block, Message)] if isinstance(payload, list) else []
    return None


def read_bounce(data: bytes) -> BounceVerdict:
    """Judge one message sent to a bounce address.

    A DSN with a recipient whose `Action: failed` has a 5.x.x `Status` is a permanent failure (reason:
    the Diagnostic-Code); delays (`Action: delayed`, 4.x.x) and other DSNs are ignored. Anything that
    is not a DSN is taken as a bounce too, with its subject as the reason.
    """
    message = BytesParser(policy=policy.default).parsebytes(data)
    blocks = _status_blocks(message)
    if blocks is None:
        subject = " ".join(str(message.get("Subject", "")).split()) or "(no subject)"
        return BounceVerdict(failed=True, reason=short_error(f"Bounced: {subject}"))
    for block in blocks[1:]:  # the first block is about the message, the others about its recipients
        if _field(block, "Action").lower() == "failed" and _field(block, "Status").startswith("5"):
            return BounceVerdict(failed=True, reason=short_error(f"Bounced: {_diagnostic(block)}"))
    return _IGNORE


async def record_bounce(outbox_id: int, reason: str) -> bool:
    """Mark a sent outbox email failed with the bounce's reason, and show it on its contact.

    Only an email the sender has already recorded as sent: an unknown id changes nothing, and so does
    a bounce for an email already failed. The contact is marked only while it still has the address
    the email went to (`record_failed_deliveries`). Returns whether anything was recorded.
    """
    now = utcnow()
    async with write_transaction():
        rows = await OutboxEmail.raw(
            "UPDATE outbox_email SET status = 'failed', last_error = {}, next_attempt_at = {} "
            "WHERE id = {} AND status = 'sent' RETURNING id",
            reason,
            now,
            outbox_id,
        )
        if rows:
            await record_failed_deliveries([(outbox_id, reason)], now)
    return bool(rows)
