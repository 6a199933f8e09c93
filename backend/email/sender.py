"""Deliver the outbox over SMTP: claim due emails, send them on kept-open connections, record the outcome.

Several senders (tasks, processes or machines) may run at once: a claim is one atomic
UPDATE (an IMMEDIATE transaction on SQLite, `FOR UPDATE SKIP LOCKED` on PostgreSQL),
and a claim left behind by a crashed sender expires after the lease and is claimed again.

    python -m backend send            # run until SIGTERM / Ctrl-C, with the periodic sweep
    python -m backend send --drain    # send everything due, then exit
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

import idna

from backend.clock import utcnow
from backend.contacts.delivery import record_failed_deliveries
from backend.db import close_database, is_sqlite, open_database, placeholders, write_transaction
from backend.email.batches import (
    BatchResult,
    ClaimedEmail,
    Outcomes,
    SenderConfig,
    backoff_seconds,
    claimed_email,
)
from backend.email.render import RenderedEmail
from backend.email.smtp import (
    ConnectionFailure,
    PermanentFailure,
    SmtpConnection,
    TransientFailure,
    header_value,
    short_error,
    smtp_address,
    text_part,
    to_header,
)
from backend.email.tables import OutboxEmail, OutboxStatus, OutboxTemplate
from backend.email.verp import verp_address
from backend.settings import get_settings

log = logging.getLogger(__name__)


# Stop starting new sends once this share of the claim's lease has passed.
_LEASE_SAFETY = 0.8

_MARK_RETRIES = 5


# Bulk-email templates a sender keeps in memory before it starts reading them afresh.
_TEMPLATE_CACHE_MAX = 1_000

_CLAIM_COLUMNS = "id, to_email, to_name, subject, text_body, html_body, message_id, attempts, template, link"


class OutboxSender:
    """Delivers due outbox emails; safe to run several at once."""

    def __init__(self, config: SenderConfig | None = None) -> None:
        self.config = config or SenderConfig.from_settings()
        self._connections = [SmtpConnection(self.config) for _ in range(max(1, self.config.concurrency))]
        sender_name, sender_address = parseaddr(self.config.mail_from)
        if "@" not in sender_address:
            raise ValueError(f"TP_MAIL_FROM has no email address: {self.config.mail_from!r}")
        self._envelope_from = sender_address
        self._secret_key = get_settings().secret_key
        self._from_header = formataddr((sender_name, sender_address), charset="utf-8")
        self._outage_pause = 0.0
        self._template_cache: dict[int, RenderedEmail] = {}
        # Set when the sender is told to stop: sends in flight finish, the rest of the batch is released.
        self._stop_event: asyncio.Event | None = None

    # -- claiming ---------------------------------------------------------------------------

    async def _anything_due(self, now: datetime) -> bool:
        """A cheap read, so an idle sender does not take SQLite's write lock every poll."""
        rows = await OutboxEmail.raw(
            "SELECT id FROM outbox_email WHERE status IN ('pending', 'sending') AND next_attempt_at <= {} LIMIT 1",
            now,
        )
        return bool(rows)

    async def claim(self, limit: int | None = None) -> tuple[str, list[ClaimedEmail]]:
        """Atomically take up to `limit` due emails (and expired claims); returns (claim token, emails)."""
        limit = limit or self.config.batch_size
        now = utcnow()
        token = secrets.token_hex(16)
        if not await self._anything_due(now):
            return token, []
        lease_end = now + timedelta(seconds=self.config.claim_lease)
        lock = "" if is_sqlite() else " FOR UPDATE SKIP LOCKED"
        sql = (
            "UPDATE outbox_email SET status = 'sending', claim_token = {}, claimed_at = {}, "
            "next_attempt_at = {}, attempts = attempts + 1 "
            "WHERE id IN (SELECT id FROM outbox_email "
            "WHERE status IN ('pending', 'sending') AND next_attempt_at <= {} "
            f"ORDER BY id LIMIT {{}}{lock}) "
            f"RETURNING {_CLAIM_COLUMNS}"
        )
        async with write_transaction():
            rows = await OutboxEmail.raw(sql, token, now, lease_end, now, limit)
        templates = await self._templates({row["template"] for row in rows if row["template"] is not None})
        emails = sorted((claimed_email(row, templates) for row in rows), key=lambda email: email.id)
        return token, emails

    async def _templates(self, ids: set[int]) -> dict[int, RenderedEmail]:
        """The bulk-email templates with these ids; kept once read, since a template never changes."""
        missing = [template_id for template_id in ids if template_id not in self._template_cache]
        if missing:
            rows = await OutboxTemplate.select(
                OutboxTemplate.id,
                OutboxTemplate.kind,
                OutboxTemplate.subject,
                OutboxTemplate.text_body,
                OutboxTemplate.html_body,
            ).where(OutboxTemplate.id.is_in(missing))
            if len(self._template_cache) > _TEMPLATE_CACHE_MAX:
                self._template_cache.clear()
            for row in rows:
                self._template_cache[row["id"]] = RenderedEmail(
                    subject=row["subject"], text=row["text_body"], html=row["html_body"], kind=row["kind"]
                )
        return {
            template_id: self._template_cache[template_id] for template_id in ids if template_id in self._template_cache
        }

    # -- sending ----------------------------------------------------------------------------

    def envelope_sender(self, email_id: int) -> str:
        """MAIL FROM: the email's own signed bounce address when TP_BOUNCE_DOMAIN is set, else TP_MAIL_FROM's."""
        if self.config.bounce_domain:
            return verp_address(email_id, self.config.bounce_domain, self._secret_key)
        return self._envelope_from

    def build_message(self, email: ClaimedEmail) -> bytes:
        """The MIME message: multipart/alternative with quoted-printable UTF-8 text and HTML parts.

        Written directly rather than through `email.message`, which costs milliseconds per message.
        """
        boundary = f"=_tp_{secrets.token_hex(12)}"  # "=_" never occurs in quoted-printable text
        to_address, utf8 = smtp_address(email.to_email)
        headers = [
            f"From: {self._from_header}",
            f"To: {to_header(email.to_name, to_address, utf8)}",
            f"Subject: {header_value(email.subject)}",
            f"Date: {formatdate(usegmt=True)}",
            f"Message-ID: {email.message_id}",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
        ]
        parts = [
            # UTF-8 headers (RFC 6532) only for an address that goes with SMTPUTF8.
            "\r\n".join(headers).encode("utf-8" if utf8 else "ascii"),
            b"",
            f"--{boundary}".encode(),
            text_part("plain", email.text_body),
            f"--{boundary}".encode(),
            text_part("html", email.html_body),
            f"--{boundary}--".encode(),
            b"",
        ]
        return b"\r\n".join(parts)

    async def _send_batch(self, emails: list[ClaimedEmail], claimed_at: float) -> Outcomes:
        outcomes = Outcomes()
        queue: asyncio.Queue[ClaimedEmail] = asyncio.Queue()
        for email in emails:
            queue.put_nowait(email)
        outage: list[str] = []
        # A send that starts before the deadline ends (at worst after the SMTP timeout) within the lease.
        lease = self.config.claim_lease
        deadline = claimed_at + max(lease * _LEASE_SAFETY - self.config.smtp_timeout, lease * 0.25)

        async def worker(connection: SmtpConnection) -> None:
            while True:
                try:
                    email = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                if outage:
                    outcomes.retry.append((email, outage[0], True))
                    continue
                if time.monotonic() > deadline or (self._stop_event is not None and self._stop_event.is_set()):
                    outcomes.released.append(email.id)
                    continue
                try:
                    data = self.build_message(email)
                    recipient, utf8 = smtp_address(email.to_email)
                except idna.IDNAError as error:
                    outcomes.failed.append((email.id, short_error(f"the address's domain is not valid: {error}")))
                    continue
                except Exception as error:  # a malformed address or header can never be sent
                    outcomes.failed.append((email.id, short_error(f"cannot build the message: {error}")))
                    continue
                try:
                    await connection.send(self.envelope_sender(email.id), recipient, data, utf8)
                except PermanentFailure as error:
                    outcomes.failed.append((email.id, short_error(str(error))))
                except TransientFailure as error:
                    outcomes.retry.append((email, short_error(str(error)), False))
                except ConnectionFailure as error:
                    message = short_error(f"SMTP server unavailable: {error}")
                    outage.append(message)
                    outcomes.retry.append((email, message, True))
                else:
                    outcomes.sent.append(email.id)

        workers = self._connections[: min(len(self._connections), len(emails))]
        await asyncio.gather(*(worker(connection) for connection in workers))
        return outcomes

    # -- recording --------------------------------------------------------------------------

    @staticmethod
    def _ids_clause(ids: Sequence[int]) -> tuple[str, list[Any]]:
        if is_sqlite():
            return f"id IN ({placeholders(len(ids))})", list(ids)
        return "id = ANY({})", [list(ids)]

    async def _record(self, token: str, outcomes: Outcomes) -> None:
        now = utcnow()
        async with write_transaction():
            if outcomes.sent:
                clause, args = self._ids_clause(outcomes.sent)
                await OutboxEmail.raw(
                    "UPDATE outbox_email SET status = 'sent', sent_at = {}, last_error = '' "
                    f"WHERE claim_token = {{}} AND status = 'sending' AND {clause}",
                    now,
                    token,
                    *args,
                )
            for email_id, error in outcomes.failed:
                await self._set_state(token, email_id, OutboxStatus.FAILED, error, now)
            gave_up = list(outcomes.failed)
            for email, error, connection_level in outcomes.retry:
                # An unreachable server is nobody's fault: keep retrying (capped) instead of giving up.
                if not connection_level and email.attempts >= self.config.max_attempts:
                    reason = f"gave up after {email.attempts} attempts: {error}"
                    await self._set_state(token, email.id, OutboxStatus.FAILED, reason, now)
                    gave_up.append((email.id, reason))
                else:
                    retry_at = now + timedelta(seconds=backoff_seconds(email.attempts, self.config.backoff_cap))
                    await self._set_state(token, email.id, OutboxStatus.PENDING, error, retry_at)
            if gave_up:
                await record_failed_deliveries(gave_up, now)
            if outcomes.released:
                clause, args = self._ids_clause(outcomes.released)
                await OutboxEmail.raw(
                    "UPDATE outbox_email SET status = 'pending', claim_token = NULL, claimed_at = NULL, "
                    "attempts = attempts - 1, next_attempt_at = {} "
                    f"WHERE claim_token = {{}} AND status = 'sending' AND {clause}",
                    now,
                    token,
                    *args,
                )

    @staticmethod
    async def _set_state(token: str, email_id: int, status: OutboxStatus, error: str, when: datetime) -> None:
        await OutboxEmail.raw(
            "UPDATE outbox_email SET status = {}, last_error = {}, next_attempt_at = {}, "
            "claim_token = NULL, claimed_at = NULL "
            "WHERE id = {} AND claim_token = {} AND status = 'sending'",
            status.value,
            error,
            when,
            email_id,
            token,
        )

    async def _record_with_retries(self, token: str, outcomes: Outcomes) -> None:
        """Recording must not be lost to a brief database hiccup: an unrecorded send would be sent again."""
        for attempt in range(_MARK_RETRIES):
            try:
                await self._record(token, outcomes)
                return
            except Exception:
                if attempt == _MARK_RETRIES - 1:
                    raise
                log.warning("recording outbox results failed; retrying", exc_info=True)
                await asyncio.sleep(0.2 * 2**attempt)

    # -- loops ------------------------------------------------------------------------------

    async def run_once(self) -> BatchResult:
        """Claim one batch, send it and record what happened."""
        token, emails = await self.claim()
        if not emails:
            return BatchResult()
        claimed_at = time.monotonic()
        outcomes = await self._send_batch(emails, claimed_at)
        await self._record_with_retries(token, outcomes)
        result = BatchResult(
            claimed=len(emails),
            sent=len(outcomes.sent),
            retried=len(outcomes.retry),
            failed=len(outcomes.failed),
            released=len(outcomes.released),
            outage=any(connection_level for _, _, connection_level in outcomes.retry),
        )
        if result.failed:
            log.warning("outbox: %d email(s) failed permanently", result.failed)
        return result

    async def drain(self) -> int:
        """Send batches until nothing is due (what is left is waiting for a retry); returns how many were sent."""
        sent = 0
        while True:
            result = await self.run_once()
            sent += result.sent
            if result.claimed == 0 or result.outage:
                return sent

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        """Poll for due emails until `stop_event` is set; a full batch is followed at once by the next.

        Once `stop_event` is set, the sends in flight finish and the batch's other emails are released
        (claim cleared) for another sender to take at once.
        """
        self._stop_event = stop_event
        log.info(
            "outbox sender started (SMTP %s:%s, tls=%s, %d connection(s))",
            self.config.smtp_host,
            self.config.smtp_port,
            self.config.smtp_tls,
            len(self._connections),
        )
        try:
            while not stop_event.is_set():
                pause = self.config.poll_interval
                try:
                    result = await self.run_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox sender: batch failed; retrying shortly")
                    result = BatchResult()
                    pause = max(pause, 5.0)
                if result.outage:
                    self._outage_pause = min(self.config.outage_pause_max, max(1.0, self._outage_pause * 2))
                    log.warning("outbox sender: SMTP unavailable; pausing %.0fs", self._outage_pause)
                    pause = max(pause, self._outage_pause)
                else:
                    self._outage_pause = 0.0
                    if result.claimed >= self.config.batch_size:
                        await asyncio.sleep(0)
                        continue
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop_event.wait(), timeout=pause)
        finally:
            await self.close()
            log.info("outbox sender stopped")

    async def close(self) -> None:
        """Close the kept-open SMTP connections."""
        await asyncio.gather(*(connection.close() for connection in self._connections), return_exceptions=True)


@dataclass
class BackgroundSender:
    """A sender running as a task of the BFF's event loop."""

    sender: OutboxSender
    stop_event: asyncio.Event
    task: asyncio.Task[None]

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand, then stop; cancel if that takes too long."""
        self.stop_event.set()
        try:
            await asyncio.wait_for(asyncio.shield(self.task), timeout=timeout)
        except TimeoutError:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def start_background_sender(config: SenderConfig | None = None) -> BackgroundSender:
    """Start an OutboxSender as a task of the running loop."""
    sender = OutboxSender(config)
    stop_event = asyncio.Event()
    task = asyncio.create_task(sender.run_forever(stop_event), name="outbox-sender")
    return BackgroundSender(sender=sender, stop_event=stop_event, task=task)


async def start_sender_in_app(app: Any) -> None:
    """Litestar on_startup hook: run the outbox sender in this process unless TP_RUN_SENDER=0."""
    app.state.outbox_sender = start_background_sender() if get_settings().mail.run_sender else None


async def stop_sender_in_app(app: Any) -> None:
    """Litestar on_shutdown hook: stop the sender started at startup."""
    background: BackgroundSender | None = getattr(app.state, "outbox_sender", None)
    if background is not None:
        app.state.outbox_sender = None
        await background.stop()


async def run_sender_process(drain: bool, beside: Callable[[], AbstractAsyncContextManager[None]] | None = None) -> int:
    """The sender as its own process (`python -m backend send`): until SIGTERM or Ctrl-C, with `beside`
    running alongside (the periodic sweep); with `drain`, only what is due, then exit."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    await open_database(max_connections=4)
    sender = OutboxSender()
    try:
        if drain:
            started = time.perf_counter()
            sent = await sender.drain()
            elapsed = time.perf_counter() - started
            await sender.close()
            print(f"sent {sent} email(s) in {elapsed:.3f}s", flush=True)
            return 0
        stop_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop_event.set)
        async with beside() if beside is not None else contextlib.nullcontext():
            await sender.run_forever(stop_event)
        return 0
    finally:
        await close_database()
