"""Emails to someone with a worker account greet them by the name on the account, not the name a company typed."""

import re

from backend.email.tables import OutboxEmail
from backend.workers.tables import Worker
from tests.factories import make_contact, make_worker

PASSWORD = "a-strong-password-1"


async def _emails(to: str, kind: str) -> list[dict]:
    return (
        await OutboxEmail.select()
        .where((OutboxEmail.to_email == to) & (OutboxEmail.kind == kind))
        .order_by(OutboxEmail.id)
    )


def _assert_greets(email: dict, name: str, typed: str) -> None:
    assert f"Hi {name}," in email["text_body"] and f"Hi {name}," in email["html_body"]
    assert typed not in email["text_body"] and typed not in email["html_body"]
    assert email["to_name"] == name


async def test_send_connection_request_greets_by_account_name(client, company, other_company):
    await make_worker("Grace Hopper", "grace@navy.example")
    sent = await client.post(
        "/api/invitations", json={"name": "G. H. (navy)", "email": "grace@navy.example"}, headers=company.headers
    )
    assert sent.status_code == 201, sent.text
    [email] = await _emails("grace@navy.example", "connection_request")
    _assert_greets(email, "Grace Hopper", "G. H. (navy)")

    # Resending goes through the same path; the other company's contact keeps its own typed name.
    resent = await client.post("/api/invitations/resend", json={"ids": [sent.json()["id"]]}, headers=company.headers)
    assert resent.json()["done"] == [sent.json()["id"]]
    _assert_greets((await _emails("grace@navy.example", "connection_request"))[-1], "Grace Hopper", "G. H. (navy)")
    theirs = await client.get(f"/api/contacts/{sent.json()['id']}", headers=other_company.headers)
    assert theirs.status_code == 404
    assert (await client.get(f"/api/contacts/{sent.json()['id']}", headers=company.headers)).json()["name"] == (
        "G. H. (navy)"
    )


async def test_send_invitation_new_email_greets_by_typed_name(client, company):
    sent = await client.post(
        "/api/invitations", json={"name": "Nina Newcomer", "email": "nina@example.com"}, headers=company.headers
    )
    assert sent.status_code == 201
    [email] = await _emails("nina@example.com", "invitation")
    assert "Hi Nina Newcomer," in email["text_body"]


async def test_hire_offer_email_greets_by_account_name(client, company):
    contact = await make_contact(company, name="Ada Lovelace", email="ada@example.com")
    renamed = await client.patch(f"/api/contacts/{contact.id}", json={"name": "Ada (analyst)"}, headers=company.headers)
    assert renamed.status_code == 200
    offer = {
        "title": "Brand refresh",
        "start_date": "2027-03-01",
        "currency": "EUR",
        "rate": "80",
        "rate_unit": "hour",
        "remote": True,
    }
    hired = await client.post(f"/api/contacts/{contact.id}/offers", json=offer, headers=company.headers)
    assert hired.status_code == 201, hired.text
    [email] = await _emails("ada@example.com", "job_offer")
    _assert_greets(email, "Ada Lovelace", "Ada (analyst)")


async def test_approve_applicant_email_greets_by_account_name(client, company):
    link = await client.post("/api/links", json={"label": "Meetup"}, headers=company.headers)
    token = link.json()["url"].rsplit("/join/", 1)[1]
    signup = await client.post(
        f"/api/public/links/{token}/signup",
        json={"name": "Alex Applicant", "email": "alex@example.com", "password": PASSWORD},
    )
    assert signup.status_code == 201
    [confirmation] = await _emails("alex@example.com", "link_confirmation")
    confirm_token = re.search(r"/confirm-email/([A-Za-z0-9_-]+)", confirmation["text_body"]).group(1)
    assert (await client.post(f"/api/public/confirm-email/{confirm_token}")).status_code == 200
    contact_id = (await client.get("/api/contacts", headers=company.headers)).json()["items"][0]["id"]
    renamed = await client.patch(
        f"/api/contacts/{contact_id}", json={"name": "Alex from the meetup"}, headers=company.headers
    )
    assert renamed.status_code == 200

    approved = await client.post("/api/applicants/approve", json={"ids": [contact_id]}, headers=company.headers)
    assert approved.json()["done"] == [contact_id]
    [email] = await _emails("alex@example.com", "applicant_approved")
    _assert_greets(email, "Alex Applicant", "Alex from the meetup")
    assert await Worker.count().where(Worker.name == "Alex Applicant") == 1
