"""Each invitation's email state (queued, sent, failed with the reason) in the Talent Pool row and the profile,
over a real SMTP server that accepts, defers and rejects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from tests.test_email_delivery import RecordingHandler, SmtpTestServer, drain, smtp, unused_port  # noqa: F401  (smtp is a fixture)

REFUSED_AT_DATA = "554 5.7.1 Message refused: mailbox disabled"


class DataRefusingHandler(RecordingHandler):
    """Accepts every recipient, then refuses the message of chosen ones after DATA (a permanent rejection)."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse_data: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        if set(envelope.rcpt_tos) & self.refuse_data:
            return REFUSED_AT_DATA
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
async def smtp_refusing_data() -> AsyncIterator[SmtpTestServer]:
    server = SmtpTestServer(unused_port())
    server.handler = DataRefusingHandler()
    await server.start()
    yield server
    await server.stop()


async def _invite(client, company, email: str, name: str = "Nia Okafor") -> dict:
    response = await client.post("/api/invitations", json={"name": name, "email": email}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _row(client, company, contact_id: int) -> dict:
    listing = (await client.get("/api/contacts", headers=company.headers)).json()
    return next(item for item in listing["items"] if item["id"] == contact_id)


async def _profile(client, company, contact_id: int) -> dict:
    response = await client.get(f"/api/contacts/{contact_id}", headers=company.headers)
    assert response.status_code == 200
    return response.json()


async def test_deliver_invitation_queued_then_sent_in_row_and_profile(client, company, smtp):
    contact = await _invite(client, company, "nia@example.com")
    assert contact["invitation_email"] == {"state": "queued", "at": None, "reason": ""}
    assert (await _row(client, company, contact["id"]))["invitation_email"]["state"] == "queued"

    assert await drain(smtp.port) == 1
    row = await _row(client, company, contact["id"])
    profile = await _profile(client, company, contact["id"])
    for shown in (row["invitation_email"], profile["invitation_email"]):
        assert shown["state"] == "sent" and shown["reason"] == ""
        assert datetime.fromisoformat(shown["at"]).tzinfo is not None


async def test_deliver_invitation_rejected_at_rcpt_failed_with_reason(client, company, other_company, smtp):
    smtp.handler.refuse["typo@example.com"] = "550 5.1.1 No such user here"
    contact = await _invite(client, company, "typo@example.com")
    assert await drain(smtp.port) == 0
    for shown in (
        (await _row(client, company, contact["id"]))["invitation_email"],
        (await _profile(client, company, contact["id"]))["invitation_email"],
    ):
        assert shown["state"] == "failed" and "550" in shown["reason"] and "No such user" in shown["reason"]
        assert shown["at"] is not None
    # Another company sees nothing of it.
    assert (await client.get(f"/api/contacts/{contact['id']}", headers=other_company.headers)).status_code == 404
    assert (await client.get("/api/contacts", headers=other_company.headers)).json()["items"] == []


async def test_deliver_invitation_rejected_at_data_failed_and_counted(client, company, smtp_refusing_data):
    smtp_refusing_data.handler.refuse_data.add("gone@example.com")
    contact = await _invite(client, company, "gone@example.com")
    fine = await _invite(client, company, "fine@example.com", name="Fiona Fine")
    assert await drain(smtp_refusing_data.port) == 1
    shown = (await _profile(client, company, contact["id"]))["invitation_email"]
    assert shown["state"] == "failed" and "554" in shown["reason"]
    assert (await _row(client, company, fine["id"]))["invitation_email"]["state"] == "sent"
    failed = (await client.get("/api/contacts", params={"email_failed": "true"}, headers=company.headers)).json()
    assert [item["id"] for item in failed["items"]] == [contact["id"]]


async def test_deliver_invitation_deferred_stays_queued_with_reason(client, company, smtp):
    smtp.handler.refuse["busy@example.com"] = "451 4.3.0 Try again later"
    contact = await _invite(client, company, "busy@example.com")
    await drain(smtp.port)
    shown = (await _profile(client, company, contact["id"]))["invitation_email"]
    assert shown["state"] == "queued" and "451" in shown["reason"]


async def test_correct_email_after_failure_shows_new_email_queued_then_sent(client, company, smtp):
    smtp.handler.refuse["typo@example.com"] = "550 5.1.1 No such user here"
    contact = await _invite(client, company, "typo@example.com")
    await drain(smtp.port)
    fixed = await client.post(
        f"/api/contacts/{contact['id']}/correct-email", json={"email": "nia@example.com"}, headers=company.headers
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["invitation_email"]["state"] == "queued"
    assert await drain(smtp.port) == 1
    assert (await _row(client, company, contact["id"]))["invitation_email"]["state"] == "sent"


async def test_list_contacts_not_invited_have_no_invitation_email(client, company, smtp):
    added = await client.post(
        "/api/contacts", json={"name": "Ann", "email": "ann@example.com"}, headers=company.headers
    )
    assert added.status_code == 201
    assert added.json()["invitation_email"] is None
    assert (await _row(client, company, added.json()["id"]))["invitation_email"] is None
