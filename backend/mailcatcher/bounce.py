"""The mail catcher's "Send a bounce": a real delivery status notification (RFC 3464) for a caught email,
sent over SMTP to the bounce receiver at the email's envelope sender, as a remote server would send it."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid

from backend.email.verp import is_verp_address

BOUNCE_DIAGNOSTIC = "550 5.1.1 The email account that you tried to reach does not exist"


def can_bounce(envelope_from: str) -> bool:
    """Whether a caught email's envelope sender is a bounce address (else there is nowhere to send one)."""
    return bool(envelope_from) and is_verp_address(envelope_from)


def build_dsn(envelope_from: str, recipient: str, subject: str) -> bytes:
    """A permanent-failure DSN for `recipient`, addressed to the email's envelope sender."""
    boundary = "=_catcher_dsn"
    lines = [
        "From: Mail Delivery System <MAILER-DAEMON@mailcatcher.localhost>",
        f"To: {envelope_from}",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {format_datetime(datetime.now(UTC))}",
        f"Message-ID: {make_msgid(domain='mailcatcher.localhost')}",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        f"Your message to {recipient} could not be delivered: {BOUNCE_DIAGNOSTIC}.",
        f"--{boundary}",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mailcatcher.localhost",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        "Action: failed",
        "Status: 5.1.1",
        f"Diagnostic-Code: smtp; {BOUNCE_DIAGNOSTIC}",
        "",
        f"--{boundary}",
        "Content-Type: text/rfc822-headers",
        "",
        f"Subject: {' '.join(subject.split()).encode('ascii', 'replace').decode()}",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def send_bounce(host: str, port: int, envelope_from: str, recipient: str, subject: str) -> None:
    """Deliver the DSN (null envelope sender, as bounces have); raises smtplib/OS errors."""
    with smtplib.SMTP(host, port, timeout=10) as client:
        client.sendmail("", [envelope_from], build_dsn(envelope_from, recipient, subject))
