"""Email that cannot be sent is never silent: internationalised addresses, permanent failures on the contact, the fix."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from aiosmtpd.smtp import SMTP as SMTPServer

from backend.contacts.tables import Contact, Invitation
from backend.email.tables import OutboxEmail
from backend.imports import runner
from tests.factories import invite_people
from tests.test_email_delivery import RecordingHandler, SmtpTestServer, drain, smtp, unused_port  # noqa: F401  (smtp is a fixture)

REJECTED = "550 5.1.1 No such user here"


class RawRecordingHandler(RecordingHandler):
    """Also keeps each message's bytes and envelope recipients as they arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append((list(envelope.rcpt_tos), envelope.original_content))
        return await super().handle_DATA(server, session, envelope)


class Utf8SmtpTestServer(SmtpTestServer):
    """The test SMTP server, offering SMTPUTF8 (addresses with non-ASCII local parts)."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.handler = RawRecordingHandler()

    def _session(self) -> SMTPServer:
        session = SMTPServer(self.handler, enable_SMTPUTF8=True)
        self._sessions.append(session)
        return session


@pytest.fixture
async def smtp_utf8() -> AsyncIterator[SmtpTestServer]:
    server = Utf8SmtpTestServer(unused_port())
    await server.start()
    yield server
    await server.stop()


async def _invite(client, company, email: str, name: str = "Léa Martin") -> dict:
    response = await client.post("/api/invitations", json={"name": name, "email": email}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _outbox(email: str) -> list[dict]:
    return await OutboxEmail.select().where(OutboxEmail.to_email == email).order_by(OutboxEmail.id)


async def test_deliver_invitation_internationalised_domain_delivered(client, company, smtp):
    contact = await _invite(client, company, " Lea@Exämple.com ")
    assert contact["email"] == "lea@exämple.com"

    assert await drain(smtp.port) == 1
    [message] = smtp.messages
    assert message["To"].addresses[0].addr_spec == "lea@xn--exmple-cua.com"
    assert message["To"].addresses[0].display_name == "Léa Martin"
    [row] = await _outbox("lea@exämple.com")
    assert row["status"] == "sent" and row["contact"] == contact["id"]
    profile = (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()
    assert profile["email_error"] == "" and profile["email_failed_at"] is None


async def test_deliver_invitation_non_ascii_local_part_with_smtputf8(client, company, smtp_utf8):
    await _invite(client, company, "léa@exämple.com")
    assert await drain(smtp_utf8.port) == 1
    [(recipients, raw)] = smtp_utf8.handler.raw
    assert recipients == ["léa@xn--exmple-cua.com"]
    # The header travels as UTF-8 (RFC 6532).
    assert "<léa@xn--exmple-cua.com>".encode() in raw.split(b"\r\n\r\n", 1)[0]
    [message] = smtp_utf8.messages
    assert "/invite/" in message.get_body(preferencelist=("plain",)).get_content()


async def test_deliver_invitation_non_ascii_local_part_without_smtputf8_fails_on_contact(client, company, smtp):
    contact = await _invite(client, company, "léa@example.com")
    assert await drain(smtp.port) == 0
    [row] = await _outbox("léa@example.com")
    assert row["status"] == "failed" and "SMTPUTF8" in row["last_error"]
    profile = (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()
    assert "SMTPUTF8" in profile["email_error"] and profile["email_failed_at"]


async def test_deliver_invitation_rejected_550_shows_on_contact_counted_and_filtered(
    client, company, other_company, smtp
):
    smtp.handler.refuse["typo@example.com"] = REJECTED
    failed = await _invite(client, company, "typo@example.com", name="Tim Typo")
    fine = await _invite(client, company, "fine@example.com", name="Fiona Fine")
    assert await drain(smtp.port) == 1

    listing = (await client.get("/api/contacts", headers=company.headers)).json()
    errors = {item["id"]: item["email_error"] for item in listing["items"]}
    assert "550" in errors[failed["id"]] and "No such user" in errors[failed["id"]]
    assert errors[fine["id"]] == ""
    only_failed = (await client.get("/api/contacts", params={"email_failed": "true"}, headers=company.headers)).json()
    assert [item["id"] for item in only_failed["items"]] == [failed["id"]] and only_failed["total"] == 1
    count = await client.get("/api/contacts/email-failures", headers=company.headers)
    assert count.status_code == 200 and count.json() == {"count": 1}
    profile = (await client.get(f"/api/contacts/{failed['id']}", headers=company.headers)).json()
    assert "550" in profile["email_error"] and profile["email_failed_at"]

    # Another company sees nothing of it and cannot correct it.
    assert (await client.get("/api/contacts/email-failures", headers=other_company.headers)).json() == {"count": 0}
    other = await client.post(
        f"/api/contacts/{failed['id']}/correct-email", json={"email": "tim@example.com"}, headers=other_company.headers
    )
    assert other.status_code == 404 and other.json()["code"] == "contact_not_found"
    assert (await Contact.select(Contact.email).where(Contact.id == failed["id"]).first())[
        "email"
    ] == "typo@example.com"


async def test_correct_email_resends_invitation_and_clears_failure(client, company, smtp):
    smtp.handler.refuse["typo@example.com"] = REJECTED
    contact = await _invite(client, company, "typo@example.com", name="Tim Typo")
    await drain(smtp.port)
    old_token = re.search(r"/invite/([A-Za-z0-9_-]+)", (await _outbox("typo@example.com"))[0]["text_body"]).group(1)

    fixed = await client.post(
        f"/api/contacts/{contact['id']}/correct-email", json={"email": " Tim@Example.com "}, headers=company.headers
    )
    assert fixed.status_code == 200, fixed.text
    body = fixed.json()
    assert body["email"] == "tim@example.com" and body["status"] == "invited"
    assert body["email_error"] == "" and body["email_failed_at"] is None
    assert (await client.get("/api/contacts/email-failures", headers=company.headers)).json() == {"count": 0}
    states = [row["state"] for row in await Invitation.select(Invitation.state).order_by(Invitation.id)]
    assert states == ["superseded", "pending"]
    gone = await client.get(f"/api/public/invitations/{old_token}")
    assert gone.status_code == 410

    assert await drain(smtp.port) == 1
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == ["tim@example.com"]
    [row] = await _outbox("tim@example.com")
    assert row["status"] == "sent" and row["contact"] == contact["id"]
    search = (await client.get("/api/contacts", params={"q": "tim@example"}, headers=company.headers)).json()
    assert [item["id"] for item in search["items"]] == [contact["id"]]
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert "Email address corrected: tim@example.com" in [event["summary"] for event in history]


async def test_correct_email_bad_input_writes_nothing(client, company, smtp):
    contact = await _invite(client, company, "typo@example.com")
    await _invite(client, company, "taken@example.com")
    active = (
        await client.post("/api/contacts", json={"name": "Ann", "email": "ann@example.com"}, headers=company.headers)
    ).json()
    before = await OutboxEmail.count()

    invalid = await client.post(
        f"/api/contacts/{contact['id']}/correct-email", json={"email": "not an email"}, headers=company.headers
    )
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "email"
    taken = await client.post(
        f"/api/contacts/{contact['id']}/correct-email", json={"email": "taken@example.com"}, headers=company.headers
    )
    assert taken.status_code == 409 and taken.json()["code"] == "email_taken"
    not_invited = await client.post(
        f"/api/contacts/{active['id']}/correct-email", json={"email": "a@example.com"}, headers=company.headers
    )
    assert not_invited.status_code == 422 and not_invited.json()["code"] == "email_not_correctable"
    extra = await client.post(
        f"/api/contacts/{contact['id']}/correct-email",
        json={"email": "x@example.com", "id": 3},
        headers=company.headers,
    )
    assert extra.status_code == 422
    assert await OutboxEmail.count() == before
    assert (await Contact.select(Contact.email).where(Contact.id == contact["id"]).first())[
        "email"
    ] == "typo@example.com"


async def test_deliver_failure_of_old_address_after_correction_not_shown(client, company, smtp):
    smtp.handler.refuse["typo@example.com"] = REJECTED
    contact = await _invite(client, company, "typo@example.com")
    # Corrected before the sender got to the first email: that email still fails, but says nothing of the new address.
    fixed = await client.post(
        f"/api/contacts/{contact['id']}/correct-email", json={"email": "tim@example.com"}, headers=company.headers
    )
    assert fixed.status_code == 200
    assert await drain(smtp.port) == 1
    profile = (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()
    assert profile["email_error"] == ""


async def test_deliver_bulk_and_csv_invitations_rejected_shows_on_their_contacts(client, company, smtp):
    smtp.handler.refuse["bulk-typo@example.com"] = REJECTED
    smtp.handler.refuse["csv-typo@example.com"] = REJECTED
    await invite_people(company.principal, [("Bulk Typo", "bulk-typo@example.com"), ("Bulk Fine", "bulk@example.com")])
    upload = await client.post(
        "/api/imports",
        params={"filename": "people.csv"},
        headers=company.headers,
        content=b"name,email\r\nCsv Typo,csv-typo@example.com\r\nCsv Fine,csv@example.com\r\n",
    )
    assert upload.status_code == 201, upload.text
    started = await client.post(
        f"/api/imports/{upload.json()['id']}/start", json={"message": ""}, headers=company.headers
    )
    assert started.status_code == 202, started.text
    while await runner.run_next_import():
        pass
    assert await drain(smtp.port) == 2

    failed = (await client.get("/api/contacts", params={"email_failed": "true"}, headers=company.headers)).json()
    assert {item["email"] for item in failed["items"]} == {"bulk-typo@example.com", "csv-typo@example.com"}
    assert all("550" in item["email_error"] for item in failed["items"])


async def test_deliver_email_with_unencodable_domain_fails_with_reason(smtp):
    from backend.db import write_transaction
    from backend.email.outbox import enqueue_email
    from backend.email.render import render_email

    async with write_transaction():
        email = render_email("invitation", company_name="Acme", inviter_name="Olivia", link="/invite/x")
        await enqueue_email(email, to_email="lea@exämple..com")
        await enqueue_email(email, to_email="ok@example.com")
    assert await drain(smtp.port) == 1
    [row] = await _outbox("lea@exämple..com")
    assert row["status"] == "failed" and "domain is not valid" in row["last_error"]
