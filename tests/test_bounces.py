"""Bounces that arrive later as an email: signed VERP envelope senders, and the bounce receiver over real SMTP
turning a permanent delivery status notification into a failed invitation email."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from email.message import EmailMessage

import httpx
import pytest

from backend.contacts.tables import Contact
from backend.email.bounce_receiver import MAX_BOUNCE_BYTES, RunningReceiver, run_bounce_receiver
from backend.email.bounces import read_bounce
from backend.email.tables import OutboxEmail
from backend.email.verp import verp_address, verp_outbox_id
from backend.mailcatcher.bounce import BOUNCE_DIAGNOSTIC
from backend.mailcatcher.server import run_catcher
from backend.settings import DEFAULT_SECRET
from tests.test_email_delivery import RecordingHandler, SmtpTestServer, drain, smtp, unused_port  # noqa: F401  (smtp is a fixture)

DOMAIN = "bounces.test"


class EnvelopeRecordingHandler(RecordingHandler):
    """Keeps each message's envelope sender too."""

    def __init__(self) -> None:
        super().__init__()
        self.mail_froms: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.mail_froms.append(envelope.mail_from)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
async def smtp_envelopes() -> AsyncIterator[SmtpTestServer]:
    server = SmtpTestServer(unused_port())
    server.handler = EnvelopeRecordingHandler()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[RunningReceiver]:
    async with run_bounce_receiver("127.0.0.1", unused_port(), DOMAIN, DEFAULT_SECRET) as running:
        yield running


def dsn(recipient: str, action: str, status: str, diagnostic: str) -> bytes:
    """A delivery status notification (RFC 3464) as a remote server sends it."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-b"\r\n\r\n'
        "--dsn-b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--dsn-b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; {diagnostic}\r\n\r\n"
        "--dsn-b\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: You are invited\r\n"
        "--dsn-b--\r\n"
    ).encode()


async def send_to_receiver(receiver: RunningReceiver, to: str, data: bytes) -> None:
    """Deliver over real SMTP (smtplib, in a thread: the receiver runs on this loop); raises on refusal."""

    def send() -> None:
        with smtplib.SMTP(receiver.host, receiver.port, timeout=10) as client:
            client.sendmail("", [to], data)

    await asyncio.to_thread(send)


async def _invite_and_send(client, company, smtp_server, email: str) -> tuple[dict, int]:
    response = await client.post(
        "/api/invitations", json={"name": "Nia Okafor", "email": email}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    assert await drain(smtp_server.port, bounce_domain=DOMAIN) == 1
    outbox_id = (await OutboxEmail.select(OutboxEmail.id).where(OutboxEmail.contact == response.json()["id"]))[-1]["id"]
    return response.json(), outbox_id


async def _shown(client, company, contact_id: int) -> dict:
    response = await client.get(f"/api/contacts/{contact_id}", headers=company.headers)
    assert response.status_code == 200
    return response.json()["invitation_email"]


def test_sign_verp_address_round_trips_and_rejects_forgery():
    address = verp_address(42, DOMAIN, DEFAULT_SECRET)
    assert address.startswith("bounce+42-") and address.endswith(f"@{DOMAIN}")
    assert verp_outbox_id(address, DOMAIN, DEFAULT_SECRET) == 42
    assert verp_outbox_id(address.upper(), DOMAIN, DEFAULT_SECRET) == 42
    assert verp_outbox_id(address.replace("bounce+42-", "bounce+43-"), DOMAIN, DEFAULT_SECRET) is None
    assert verp_outbox_id(address, "other.test", DEFAULT_SECRET) is None
    assert verp_outbox_id(address, DOMAIN, "another-secret") is None
    assert verp_outbox_id(f"bounce+42-{'0' * 16}@{DOMAIN}", DOMAIN, DEFAULT_SECRET) is None
    assert verp_outbox_id("no-reply@talentpool.example", DOMAIN, DEFAULT_SECRET) is None


async def test_send_email_envelope_sender_is_verp_only_with_bounce_domain(client, company, smtp_envelopes):
    contact, outbox_id = await _invite_and_send(client, company, smtp_envelopes, "nia@example.com")
    assert smtp_envelopes.handler.mail_froms == [verp_address(outbox_id, DOMAIN, DEFAULT_SECRET)]
    assert "no-reply@talentpool.example" in str(smtp_envelopes.handler.messages[0]["From"])
    await client.post("/api/invitations", json={"name": "Bo", "email": "bo@example.com"}, headers=company.headers)
    assert await drain(smtp_envelopes.port) == 1
    assert smtp_envelopes.handler.mail_froms[-1] == "no-reply@talentpool.example"


async def test_receive_bounce_permanent_marks_invitation_failed_with_diagnostic(
    client, company, other_company, smtp, receiver
):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "gone@example.com")
    assert (await _shown(client, company, contact["id"]))["state"] == "sent"
    bounce_to = verp_address(outbox_id, DOMAIN, DEFAULT_SECRET)
    await send_to_receiver(receiver, bounce_to, dsn("gone@example.com", "failed", "5.1.1", "550 5.1.1 User unknown"))
    shown = await _shown(client, company, contact["id"])
    assert shown["state"] == "failed" and shown["reason"] == "Bounced: 550 5.1.1 User unknown"
    assert shown["at"] is not None
    listing = (await client.get("/api/contacts", params={"email_failed": "true"}, headers=company.headers)).json()
    assert [item["id"] for item in listing["items"]] == [contact["id"]]
    assert listing["items"][0]["invitation_email"]["state"] == "failed"
    assert (await client.get("/api/contacts", headers=other_company.headers)).json()["items"] == []


async def test_receive_bounce_delayed_is_ignored(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "slow@example.com")
    bounce_to = verp_address(outbox_id, DOMAIN, DEFAULT_SECRET)
    await send_to_receiver(receiver, bounce_to, dsn("slow@example.com", "delayed", "4.4.7", "451 4.4.7 Delayed"))
    await send_to_receiver(receiver, bounce_to, dsn("slow@example.com", "failed", "4.2.2", "452 4.2.2 Mailbox full"))
    assert (await _shown(client, company, contact["id"]))["state"] == "sent"
    row = (await OutboxEmail.select(OutboxEmail.status).where(OutboxEmail.id == outbox_id))[0]
    assert row["status"] == "sent"


async def test_receive_bounce_not_a_dsn_failed_with_subject(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "old@example.com")
    message = EmailMessage()
    message["Subject"] = "Mailbox closed"
    message.set_content("This mailbox is no longer read.")
    await send_to_receiver(receiver, verp_address(outbox_id, DOMAIN, DEFAULT_SECRET), message.as_bytes())
    shown = await _shown(client, company, contact["id"])
    assert shown["state"] == "failed" and shown["reason"] == "Bounced: Mailbox closed"


async def test_receive_bounce_bad_signature_refused_and_nothing_changes(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "nia@example.com")
    forged = f"bounce+{outbox_id}-{'0' * 16}@{DOMAIN}"
    for address in (forged, "postmaster@" + DOMAIN, verp_address(outbox_id, "elsewhere.test", DEFAULT_SECRET)):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await send_to_receiver(receiver, address, dsn("nia@example.com", "failed", "5.1.1", "550 User unknown"))
        assert refused.value.recipients[address][0] == 550
    assert (await _shown(client, company, contact["id"]))["state"] == "sent"


async def test_receive_bounce_unknown_outbox_id_ignored(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "nia@example.com")
    unknown = verp_address(outbox_id + 1000, DOMAIN, DEFAULT_SECRET)
    await send_to_receiver(receiver, unknown, dsn("x@example.com", "failed", "5.1.1", "550 User unknown"))
    assert (await _shown(client, company, contact["id"]))["state"] == "sent"
    assert await OutboxEmail.count().where(OutboxEmail.status == "failed") == 0


async def test_receive_bounce_after_address_corrected_does_not_mark_contact(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "typo@example.com")
    # The address changed after the email went out (as a correction does): the bounce is about the old one.
    await Contact.update({Contact.email: "nia@example.com"}).where(Contact.id == contact["id"])
    await send_to_receiver(
        receiver, verp_address(outbox_id, DOMAIN, DEFAULT_SECRET), dsn("typo@example.com", "failed", "5.1.1", "550 x")
    )
    row = (await Contact.select(Contact.email_error, Contact.email_failed_at).where(Contact.id == contact["id"]))[0]
    assert row["email_failed_at"] is None and not row["email_error"]
    listing = (await client.get("/api/contacts", params={"email_failed": "true"}, headers=company.headers)).json()
    assert listing["items"] == []


async def test_receive_bounce_oversize_refused(client, company, smtp, receiver):
    contact, outbox_id = await _invite_and_send(client, company, smtp, "nia@example.com")
    message = EmailMessage()
    message["Subject"] = "Huge"
    message.set_content("x" * (MAX_BOUNCE_BYTES + 10))
    with pytest.raises(smtplib.SMTPException):
        await send_to_receiver(receiver, verp_address(outbox_id, DOMAIN, DEFAULT_SECRET), message.as_bytes())
    assert (await _shown(client, company, contact["id"]))["state"] == "sent"


def test_read_bounce_multipart_report_of_other_type_counts_as_failed_with_subject():
    verdict = read_bounce(b"Subject: Read receipt\r\nContent-Type: text/plain\r\n\r\nRead.\r\n")
    assert verdict.failed and verdict.reason == "Bounced: Read receipt"
    assert not read_bounce(dsn("a@example.com", "delivered", "2.0.0", "250 ok")).failed


async def test_send_bounce_from_mail_catcher_marks_invitation_failed(client, company, receiver, tmp_path):
    bounce_smtp = (receiver.host, receiver.port)
    async with run_catcher(
        tmp_path, smtp_port=unused_port(), http_port=unused_port(), bounce_smtp=bounce_smtp
    ) as catcher:
        response = await client.post(
            "/api/invitations", json={"name": "Nia Okafor", "email": "nia@example.com"}, headers=company.headers
        )
        contact = response.json()
        assert await drain(catcher.smtp_port, bounce_domain=DOMAIN) == 1
        await client.post("/api/invitations", json={"name": "Bo", "email": "bo@example.com"}, headers=company.headers)
        assert await drain(catcher.smtp_port) == 1  # Bo's email goes out from the plain address: no button
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{catcher.http_port}") as http:
            caught = {item["to"]: item["id"] for item in (await http.get("/api/messages")).json()}
            nia = next(message_id for to, message_id in caught.items() if "nia@" in to)
            bo = next(message_id for to, message_id in caught.items() if "bo@" in to)
            assert "Send a bounce" in (await http.get(f"/messages/{nia}")).text
            assert "Send a bounce" not in (await http.get(f"/messages/{bo}")).text
            assert (await http.post(f"/messages/{bo}/bounce")).status_code == 404
            sent = await http.post(f"/messages/{nia}/bounce", follow_redirects=True)
            assert sent.status_code == 200 and "Bounce sent" in sent.text
    shown = await _shown(client, company, contact["id"])
    assert shown["state"] == "failed" and shown["reason"] == f"Bounced: {BOUNCE_DIAGNOSTIC}"
