"""The Talent Pool's change stamp: it moves with every change an open page must show, and only the
caller's own company moves it."""

from __future__ import annotations

import re

from backend.clock import utcnow
from backend.contacts.delivery import record_failed_deliveries
from backend.contacts.tables import Contact
from backend.email.tables import OutboxEmail, OutboxStatus
from shared.contacts import ContactStatus
from tests.factories import PASSWORD, make_contact


async def _stamp(client, company) -> str:
    response = await client.get("/api/contacts/changes", headers=company.headers)
    assert response.status_code == 200, response.text
    stamp = response.json()["stamp"]
    assert re.fullmatch(r"[0-9a-f]{32}", stamp)
    return stamp


async def _moves(client, company, before: str) -> str:
    after = await _stamp(client, company)
    assert after != before
    return after


async def test_stamp_moves_with_each_change_a_page_shows(client, company):
    first = await _stamp(client, company)
    assert await _stamp(client, company) == first  # nothing changed: the same stamp

    ada = await make_contact(company, email="ada@example.com")
    stamp = await _moves(client, company, first)

    edited = await client.patch(f"/api/contacts/{ada.id}", json={"tags": ["rust"]}, headers=company.headers)
    assert edited.status_code == 200, edited.text
    stamp = await _moves(client, company, stamp)

    # An email that could not be delivered shows on the row.
    invited = await client.post(
        "/api/invitations", json={"name": "Bo Bounce", "email": "bo@example.com"}, headers=company.headers
    )
    assert invited.status_code == 201, invited.text
    stamp = await _moves(client, company, stamp)
    outbox = await OutboxEmail.select(OutboxEmail.id).where(OutboxEmail.to_email == "bo@example.com").first()
    # Sent (accepted by the SMTP server): the row says so.
    await OutboxEmail.update({OutboxEmail.status: OutboxStatus.SENT.value, OutboxEmail.sent_at: utcnow()}).where(
        OutboxEmail.id == outbox["id"]
    )
    stamp = await _moves(client, company, stamp)
    await record_failed_deliveries([(outbox["id"], "550 No such user")], utcnow())
    stamp = await _moves(client, company, stamp)

    # An applicant confirming their email can now be approved.
    link = await client.post("/api/links", json={"label": "Site"}, headers=company.headers)
    token = link.json()["url"].rsplit("/join/", 1)[1]
    signup = await client.post(
        f"/api/public/links/{token}/signup", json={"name": "Al App", "email": "al@example.com", "password": PASSWORD}
    )
    assert signup.status_code == 201, signup.text
    stamp = await _moves(client, company, stamp)
    confirmation = await OutboxEmail.select().where(OutboxEmail.to_email == "al@example.com").first()
    confirm_token = re.search(r"/confirm-email/([A-Za-z0-9_-]+)", confirmation["text_body"]).group(1)
    assert (await client.post(f"/api/public/confirm-email/{confirm_token}")).status_code == 200
    stamp = await _moves(client, company, stamp)

    deleted = await client.delete(f"/api/contacts/{ada.id}", headers=company.headers)
    assert deleted.status_code == 204
    await _moves(client, company, stamp)


async def test_only_the_callers_company_moves_its_stamp(client, company, other_company):
    await make_contact(company, email="mine@example.com")
    mine = await _stamp(client, company)
    theirs = await make_contact(other_company, email="theirs@example.com")
    await Contact.update({Contact.status: ContactStatus.REVOKED.value, Contact.updated_at: utcnow()}).where(
        Contact.id == theirs.id
    )
    assert await _stamp(client, company) == mine
    assert (await client.get("/api/contacts/changes")).status_code == 401


async def test_stamp_moves_when_a_teammate_deletes_in_a_pool_beyond_the_count(client, company, monkeypatch):
    from backend.contacts import changes

    # The count stops at one contact, as it stops at 10,000 in a large pool.
    monkeypatch.setattr(changes, "COUNT_CAP", 0)
    first = await make_contact(company, email="one@example.com")
    await make_contact(company, email="two@example.com")
    before = await _stamp(client, company)
    # Not the latest-changed contact either: only the activity log shows the delete.
    deleted = await client.delete(f"/api/contacts/{first.id}", headers=company.headers)
    assert deleted.status_code == 204
    await _moves(client, company, before)
