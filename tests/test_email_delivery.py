"""The outbox end to end over real SMTP: transactions, retries, crash recovery, rejections and concurrent senders."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.smtp import SMTP as SMTPServer

from backend.clock import utcnow
from backend.db import write_transaction
from backend.email.batches import Outcomes
from backend.email.outbox import OutsideTransaction, enqueue_email
from backend.email.render import render_email
from backend.email.sender import OutboxSender, SenderConfig, start_background_sender
from backend.email.tables import OutboxEmail

PUBLIC_WEB_URL = "http://testserver.local"


class RecordingHandler:
    """An aiosmtpd handler that keeps every message and can refuse chosen recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.sessions = 0
        self.refuse: dict[str, str] = {}

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))
        return "250 Message accepted"

    def message_ids(self) -> Counter[str]:
        """How often each Message-ID arrived."""
        return Counter(str(message["Message-ID"]) for message in self.messages)


class SmtpTestServer:
    """A real SMTP server on a free local port, on the test's event loop."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = RecordingHandler()
        self._server: asyncio.Server | None = None
        self._sessions: list[SMTPServer] = []

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._session, "127.0.0.1", self.port)

    def _session(self) -> SMTPServer:
        session = SMTPServer(self.handler)
        self._sessions.append(session)
        return session

    async def stop(self) -> None:
        """Stop listening and drop open client connections, like a server going down."""
        for session in self._sessions:
            if session.transport is not None:
                session.transport.close()
        self._sessions.clear()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpTestServer]:
    server = SmtpTestServer(unused_port())
    await server.start()
    yield server
    await server.stop()


def sender_for(port: int, **overrides) -> OutboxSender:
    settings = {"smtp_port": port, "concurrency": 2, "batch_size": 50, "poll_interval": 0.05, **overrides}
    return OutboxSender(SenderConfig(**settings))


async def drain(port: int, **overrides) -> int:
    sender = sender_for(port, **overrides)
    try:
        return await sender.drain()
    finally:
        await sender.close()


async def enqueue_invitations(count: int, company_id: int | None = None, message: str = "") -> list[int]:
    ids = []
    async with write_transaction():
        for n in range(count):
            email = render_email(
                "invitation",
                company_name="Acme Ltd",
                inviter_name="Olivia Owner",
                recipient_name=f"Person {n}",
                message=message,
                link=f"/invite/token-{n}",
            )
            ids.append(
                await enqueue_email(
                    email, to_email=f"person{n}@example.com", to_name=f"Person {n}", company_id=company_id
                )
            )
    return ids


async def rows() -> list[dict]:
    return await OutboxEmail.select().order_by(OutboxEmail.id)


async def make_all_due() -> None:
    await OutboxEmail.update({OutboxEmail.next_attempt_at: utcnow() - timedelta(seconds=1)}, force=True)


async def test_enqueue_in_rolled_back_transaction_sends_nothing(smtp, company):
    with pytest.raises(RuntimeError, match="boom"):
        async with write_transaction():
            await enqueue_email(
                render_email("invitation", company_name="Acme Ltd", inviter_name="Olivia", link="/invite/x"),
                to_email="nobody@example.com",
                company_id=company.principal.company_id,
            )
            raise RuntimeError("boom")

    assert await rows() == []
    assert await drain(smtp.port) == 0
    assert smtp.messages == []


async def test_enqueue_outside_transaction_is_refused():
    email = render_email("invitation", company_name="Acme Ltd", inviter_name="Olivia", link="/invite/x")
    with pytest.raises(OutsideTransaction):
        await enqueue_email(email, to_email="someone@example.com")
    assert await rows() == []


async def test_enqueue_committed_email_is_delivered_with_text_and_html(smtp, company):
    company_id = company.principal.company_id
    [email_id] = await enqueue_invitations(1, company_id=company_id)

    assert await drain(smtp.port) == 1

    [message] = smtp.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"].addresses[0].addr_spec == "no-reply@talentpool.example"
    assert message["From"].addresses[0].display_name == "Talent Pool"
    assert message["To"].addresses[0].addr_spec == "person0@example.com"
    assert message["To"].addresses[0].display_name == "Person 0"
    assert message["Subject"] == "Olivia Owner invited you to Acme Ltd's Talent Pool"
    assert message["Date"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"{PUBLIC_WEB_URL}/invite/token-0"
    assert "Acme Ltd" in text and link in text
    assert "Acme Ltd" in html and f'href="{link}"' in html and "Accept invitation" in html

    [row] = await rows()
    assert row["id"] == email_id and row["company"] == company_id
    assert row["status"] == "sent" and row["sent_at"] is not None and row["attempts"] == 1
    assert str(message["Message-ID"]) == row["message_id"]


async def test_invite_message_html_is_escaped_and_plain_in_text(smtp):
    await enqueue_invitations(1, message='Hi <b>Bob</b> & <script>alert("x")</script>\nSecond line')
    await drain(smtp.port)

    [message] = smtp.messages
    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "<script>" not in html and "<b>Bob</b>" not in html
    assert "Hi &lt;b&gt;Bob&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<br>\nSecond line" in html
    assert 'Hi <b>Bob</b> & <script>alert("x")</script>\nSecond line' in text


async def test_smtp_down_keeps_emails_pending_then_delivers_each_once():
    port = unused_port()  # nothing listens here yet
    await enqueue_invitations(3)
    before = utcnow()

    assert await drain(port) == 0

    for row in await rows():
        assert row["status"] == "pending"
        assert row["attempts"] == 1
        assert "unavailable" in row["last_error"]
        assert row["next_attempt_at"] > before
        assert row["claim_token"] is None
    assert await drain(port) == 0, "nothing is due until the backoff has passed"

    server = SmtpTestServer(port)
    await server.start()
    try:
        await make_all_due()
        assert await drain(port) == 3
        assert await drain(port) == 0
    finally:
        await server.stop()
    assert sorted(server.handler.message_ids().values()) == [1, 1, 1]
    assert {row["status"] for row in await rows()} == {"sent"}


async def test_crash_between_claim_and_send_is_redelivered_once(smtp):
    await enqueue_invitations(5)
    crashed = sender_for(smtp.port)
    token, claimed = await crashed.claim()  # ...and the process dies before sending
    assert len(claimed) == 5
    assert {row["status"] for row in await rows()} == {"sending"}

    assert await drain(smtp.port) == 0, "a live claim is not taken over"

    # The lease runs out.
    old = utcnow() - timedelta(minutes=5)
    await OutboxEmail.update({OutboxEmail.claimed_at: old, OutboxEmail.next_attempt_at: old}, force=True)
    assert await drain(smtp.port) == 5

    assert len(smtp.messages) == 5
    assert set(smtp.handler.message_ids().values()) == {1}
    assert {row["status"] for row in await rows()} == {"sent"}


async def test_stale_claim_cannot_record_over_a_newer_claim(smtp):
    [email_id] = await enqueue_invitations(1)
    first = sender_for(smtp.port)
    first_token, _ = await first.claim()
    old = utcnow() - timedelta(minutes=5)
    await OutboxEmail.update({OutboxEmail.next_attempt_at: old}, force=True)
    second_token, [reclaimed] = await sender_for(smtp.port).claim()
    assert reclaimed.id == email_id and second_token != first_token

    await first._record(first_token, Outcomes(sent=[email_id]))

    [row] = await rows()
    assert row["status"] == "sending" and row["claim_token"] == second_token


async def test_permanent_rejection_fails_that_email_and_sends_the_others(smtp):
    smtp.handler.refuse["person1@example.com"] = "550 5.1.1 No such user here"
    await enqueue_invitations(3)

    assert await drain(smtp.port) == 2

    by_email = {row["to_email"]: row for row in await rows()}
    rejected = by_email["person1@example.com"]
    assert rejected["status"] == "failed"
    assert "550" in rejected["last_error"] and "No such user" in rejected["last_error"]
    assert by_email["person0@example.com"]["status"] == "sent"
    assert by_email["person2@example.com"]["status"] == "sent"
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in smtp.messages) == [
        "person0@example.com",
        "person2@example.com",
    ]


async def test_temporary_rejection_is_retried_then_given_up(smtp):
    smtp.handler.refuse["person0@example.com"] = "451 4.7.1 Try again later"
    await enqueue_invitations(1)

    await drain(smtp.port, max_attempts=2)
    [row] = await rows()
    assert row["status"] == "pending" and row["attempts"] == 1 and "451" in row["last_error"]

    await make_all_due()
    await drain(smtp.port, max_attempts=2)
    [row] = await rows()
    assert row["status"] == "failed" and "gave up after 2 attempts" in row["last_error"]
    assert smtp.messages == []


async def test_two_senders_deliver_each_email_exactly_once(smtp):
    await enqueue_invitations(120)
    first = sender_for(smtp.port, batch_size=10)
    second = sender_for(smtp.port, batch_size=10)
    try:
        sent = await asyncio.gather(first.drain(), second.drain())
    finally:
        await asyncio.gather(first.close(), second.close())

    assert sum(sent) == 120
    counts = smtp.handler.message_ids()
    assert len(counts) == 120 and set(counts.values()) == {1}
    assert {row["status"] for row in await rows()} == {"sent"}


async def test_sender_reuses_smtp_connections_across_batches(smtp):
    await enqueue_invitations(30)
    sender = sender_for(smtp.port, concurrency=2, batch_size=5)
    try:
        assert await sender.drain() == 30
        await enqueue_invitations(4)
        assert await sender.drain() == 4
    finally:
        await sender.close()
    assert smtp.handler.sessions <= 2


async def test_background_sender_delivers_new_emails_and_stops(smtp):
    background = start_background_sender(SenderConfig(smtp_port=smtp.port, poll_interval=0.05))
    try:
        await enqueue_invitations(2)
        for _ in range(200):
            if len(smtp.messages) == 2:
                break
            await asyncio.sleep(0.025)
    finally:
        await background.stop()
    assert len(smtp.messages) == 2
    assert background.task.done()
    assert {row["status"] for row in await rows()} == {"sent"}


async def test_non_ascii_names_and_long_subjects_survive_the_trip(smtp):
    company_name = 'Café Zoë & Søn, "Ltd" with a rather long name that needs folding'
    async with write_transaction():
        email = render_email("invitation", company_name=company_name, inviter_name="Åsa Öberg", link="/invite/x")
        await enqueue_email(email, to_email="zoe@example.com", to_name='Zoë "Z" Ünal, Jr.')
    await drain(smtp.port)

    [message] = smtp.messages
    assert message["Subject"] == f"Åsa Öberg invited you to {company_name}'s Talent Pool"
    assert message["To"].addresses[0].display_name == 'Zoë "Z" Ünal, Jr.'
    assert company_name in message.get_body(preferencelist=("plain",)).get_content()


async def test_sender_reconnects_when_a_kept_connection_broke():
    port = unused_port()
    first_server = SmtpTestServer(port)
    await first_server.start()
    sender = sender_for(port, concurrency=1)
    try:
        await enqueue_invitations(1)
        assert await sender.drain() == 1
        await first_server.stop()  # drops the connection the sender keeps open
        second_server = SmtpTestServer(port)
        await second_server.start()
        try:
            async with write_transaction():
                email = render_email("link_confirmation", company_name="Acme Ltd", link="/confirm/x")
                await enqueue_email(email, to_email="late@example.com")
            assert await sender.drain() == 1
        finally:
            await second_server.stop()
    finally:
        await sender.close()
    assert [str(m["To"]) for m in second_server.messages] == ["late@example.com"]
    assert {row["status"] for row in await rows()} == {"sent"}


class SlowHandler(RecordingHandler):
    """Takes a while to accept each message, so a stop arrives while a batch is being sent."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


async def test_stop_sender_mid_batch_releases_unsent_emails(smtp, company):
    smtp.handler = SlowHandler()
    await enqueue_invitations(6, company_id=company.principal.company_id)
    background = start_background_sender(
        SenderConfig(smtp_port=smtp.port, concurrency=1, batch_size=50, poll_interval=0.05)
    )
    for _ in range(100):
        if any(row["status"] == "sending" for row in await rows()):
            break
        await asyncio.sleep(0.02)
    await background.stop()

    after = await rows()
    sent = [row for row in after if row["status"] == "sent"]
    released = [row for row in after if row["status"] == "pending"]
    # The send in flight finished; the rest of the batch is free for another sender now, not after the lease.
    assert 1 <= len(sent) < 6 and len(sent) + len(released) == 6
    assert all(
        row["claim_token"] is None and row["attempts"] == 0 and row["next_attempt_at"] <= utcnow() for row in released
    )
    assert len(smtp.messages) == len(sent)
    assert await drain(smtp.port) == len(released)
    assert set(smtp.handler.message_ids().values()) == {1} and len(smtp.messages) == 6
