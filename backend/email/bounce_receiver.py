"""The bounce receiver: a small SMTP server taking delivery status notifications for our bounce addresses.

    python -m backend bounces         # listen on TP_BOUNCE_PORT until SIGTERM / Ctrl-C

It accepts mail only for correctly signed `bounce+{id}-{sig}@TP_BOUNCE_DOMAIN` recipients (others get
550), at most `MAX_BOUNCE_BYTES` a message, and records permanent failures (`backend.email.bounces`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from backend.db import close_database, open_database
from backend.email.bounces import read_bounce, record_bounce
from backend.email.verp import verp_outbox_id
from backend.settings import get_settings

log = logging.getLogger(__name__)

MAX_BOUNCE_BYTES = 1024 * 1024
# A bounce is about one email; a few recipients are plenty.
MAX_RECIPIENTS = 10


class BounceHandler:
    """aiosmtpd handler: signed bounce addresses only; each message judged and recorded."""

    def __init__(self, domain: str, secret: str) -> None:
        self.domain = domain
        self.secret = secret

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if verp_outbox_id(address, self.domain, self.secret) is None:
            return "550 5.1.1 No such mailbox here"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", errors="replace")
        try:
            verdict = await asyncio.to_thread(read_bounce, content)
        except Exception:  # a message the parser cannot read at all tells us nothing
            log.warning("bounce receiver: unreadable message ignored", exc_info=True)
            return "250 OK (ignored)"
        if not verdict.failed:
            return "250 OK (nothing to record)"
        try:
            for address in envelope.rcpt_tos:
                outbox_id = verp_outbox_id(address, self.domain, self.secret)
                if outbox_id is not None and await record_bounce(outbox_id, verdict.reason):
                    log.info("bounce recorded for outbox email %s", outbox_id)
        except Exception:
            log.exception("bounce receiver: recording failed")
            return "451 4.3.0 Try again later"
        return "250 OK"


@dataclass
class RunningReceiver:
    """A receiver listening on this event loop."""

    host: str
    port: int


@contextlib.asynccontextmanager
async def run_bounce_receiver(host: str, port: int, domain: str, secret: str) -> AsyncIterator[RunningReceiver]:
    """Listen for bounces on host:port until the block exits."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    handler = BounceHandler(domain, secret)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTPServer(handler, hostname=domain, data_size_limit=MAX_BOUNCE_BYTES), host=host, port=port
    )
    try:
        yield RunningReceiver(host=host, port=port)
    finally:
        server.close()
        await server.wait_closed()


async def run_receiver_process(host: str, port: int | None = None) -> int:
    """`python -m backend bounces`: receive bounces until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    domain = settings.mail.bounce_domain
    if not domain:
        print("TP_BOUNCE_DOMAIN is not set: there are no bounce addresses to receive mail for.", flush=True)
        return 2
    port = port or settings.mail.bounce_port
    await open_database(max_connections=2)
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        async with run_bounce_receiver(host, port, domain, settings.secret_key):
            print(f"Receiving bounces for @{domain} on {host}:{port}", flush=True)
            await stop.wait()
        return 0
    finally:
        await close_database()
