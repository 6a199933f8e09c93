"""Hire on an active contact with no worker account: the invitation carries the offer instead."""

import re

from backend.contacts.tables import Contact
from backend.email.tables import OutboxEmail
from backend.jobs.tables import JobOffer
from shared.contacts import ContactStatus
from tests.factories import make_contact

OFFER = {
    "title": "Site audit",
    "start_date": "2027-03-01",
    "rate": "90",
    "rate_unit": "hour",
    "currency": "EUR",
    "remote": True,
}
PASSWORD = "a-strong-password-1"


async def _active_without_account(company) -> int:
    """A contact added by hand and then made active by hand: no worker account behind it."""
    contact = await make_contact(company, name="Hal Hand", email="hal@hand.example", status=ContactStatus.NOT_INVITED)
    await Contact.update({Contact.status: ContactStatus.ACTIVE.value}).where(Contact.id == contact.id)
    return contact.id


async def test_list_contacts_worker_account_shown_for_active_only(client, company):
    by_hand = await _active_without_account(company)
    answered = await make_contact(company, name="Ann Swered")
    invited = await make_contact(company, name="Ivy Ted", status=ContactStatus.INVITED)
    listing = (await client.get("/api/contacts", headers=company.headers)).json()["items"]
    shown = {item["id"]: item["has_worker_account"] for item in listing}
    assert shown == {by_hand: False, answered.id: True, invited.id: None}
    profile = (await client.get(f"/api/contacts/{by_hand}", headers=company.headers)).json()
    assert profile["has_worker_account"] is False


async def test_create_offer_active_without_account_refused(client, company):
    contact_id = await _active_without_account(company)
    response = await client.post(f"/api/contacts/{contact_id}/offers", json=OFFER, headers=company.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "contact_not_active"
    assert await JobOffer.count() == 0
    assert await OutboxEmail.count() == 0


async def test_send_invitation_with_offer_active_without_account_invites(client, company):
    contact_id = await _active_without_account(company)
    response = await client.post(
        f"/api/contacts/{contact_id}/invitation",
        json={"message": "Come on board.", "offer": OFFER},
        headers=company.headers,
    )
    assert response.status_code == 204, response.text
    contact = await Contact.select(Contact.status).where(Contact.id == contact_id).first()
    assert contact["status"] == ContactStatus.INVITED.value
    offers = await JobOffer.select(JobOffer.title, JobOffer.status).where(JobOffer.contact == contact_id)
    assert offers == [{"title": "Site audit", "status": "pending"}]
    emails = await OutboxEmail.select().where(OutboxEmail.to_email == "hal@hand.example")
    assert len(emails) == 1
    assert "Site audit" in emails[0]["text_body"]

    # Accepting the invitation makes them active with an account, and the offer reaches them.
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", emails[0]["text_body"]).group(1)
    accepted = await client.post(
        f"/api/public/invitations/{token}/accept", json={"name": "Hal Hand", "password": PASSWORD}
    )
    assert accepted.status_code == 201, accepted.text
    offer = await JobOffer.select(JobOffer.status).where(JobOffer.contact == contact_id).first()
    assert offer["status"] == "offered"
    profile = (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()
    assert (profile["status"], profile["has_worker_account"]) == ("active", True)


async def test_send_invitation_active_with_account_refused(client, company):
    contact = await make_contact(company)
    response = await client.post(
        f"/api/contacts/{contact.id}/invitation", json={"offer": OFFER}, headers=company.headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "already_invited"
    assert await JobOffer.count() == 0
    assert await OutboxEmail.count() == 0


async def test_send_invitation_invalid_offer_writes_nothing(client, company):
    contact_id = await _active_without_account(company)
    response = await client.post(
        f"/api/contacts/{contact_id}/invitation",
        json={"offer": {**OFFER, "rate": "-1"}},
        headers=company.headers,
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["offer.rate"]
    contact = await Contact.select(Contact.status).where(Contact.id == contact_id).first()
    assert contact["status"] == ContactStatus.ACTIVE.value
    assert await JobOffer.count() == 0


async def test_send_invitation_with_offer_other_company_not_found(client, company, other_company):
    contact_id = await _active_without_account(company)
    response = await client.post(
        f"/api/contacts/{contact_id}/invitation", json={"offer": OFFER}, headers=other_company.headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "contact_not_found"
    contact = await Contact.select(Contact.status).where(Contact.id == contact_id).first()
    assert contact["status"] == ContactStatus.ACTIVE.value
    assert await JobOffer.count() == 0
    assert await OutboxEmail.count() == 0
