"""The mail catcher's SMTP side: an aiosmtpd handler that keeps every email it is given."""

from __future__ import annotations

import asyncio

from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from backend.mailcatcher.store import MailStore

DATA_SIZE_LIMIT = 25 * 1024 * 1024

# Recipients at this domain are refused for good, as a real server refuses an unknown mailbox:
# a way to see, locally, what the app does with an email that cannot be delivered.
BOUNCE_DOMAIN = "bounce.example"
BOUNCE_REPLY = "550 5.1.1 No such mailbox here"


class CatchingHandler:
    """aiosmtpd handler: accept every email (except to BOUNCE_DOMAIN) and store it."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options
    ) -> str:
        if address.rpartition("@")[2].lower() == BOUNCE_DOMAIN:
            return BOUNCE_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        await asyncio.to_thread(self.store.save, content, envelope.mail_from or "", list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"
