"""Hire and re-hire: job offers through HTTP and the service, the worker's answer, races, offers sent with invitations."""

import asyncio
import json
import re
from datetime import datetime, timedelta
from decimal import Decimal

import msgspec
import pytest

from backend.clock import utcnow
from backend.contacts.tables import Contact, ContactEvent, Invitation
from backend.email.tables import OutboxEmail
from backend.errors import Conflict
from backend.invitations import service as invitations
from backend.jobs import service
from backend.jobs.tables import JobOffer
from backend.workers.service import authenticate_worker
from shared.contacts import ContactStatus
from shared.jobs import JobOfferCreate
from tests.factories import make_contact

OFFER = {
    "title": "  Brand   refresh ",
    "description": "Logo, colours and a short style guide.",
    "start_date": "2027-03-01",
    "end_date": "2027-06-30",
    "rate": "85.50",
    "rate_unit": "hour",
    "currency": "eur",
    "remote": False,
    "location": "Copenhagen",
}
PASSWORD = "a-strong-password-1"


def _offer_data(**changes) -> JobOfferCreate:
    """The offer form as the service receives it."""
    return msgspec.convert({**OFFER, **changes}, JobOfferCreate)


async def _emails(to: str) -> list[dict]:
    return await OutboxEmail.select().where(OutboxEmail.to_email == to).order_by(OutboxEmail.id)


def _token(email: dict) -> str:
    return re.search(r"/invite/([A-Za-z0-9_-]+)", email["text_body"]).group(1)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _worker_contact(
    client, company, email: str = "grace@navy.example", name: str = "Grace Hopper"
) -> tuple[int, dict]:
    """An active contact with a worker account behind it (invited, then signed up): (contact id, worker headers)."""
    invited = await client.post("/api/invitations", json={"name": name, "email": email}, headers=company.headers)
    assert invited.status_code == 201, invited.text
    token = _token((await _emails(email))[-1])
    session = await client.post(f"/api/public/invitations/{token}/accept", json={"name": name, "password": PASSWORD})
    assert session.status_code == 201, session.text
    return invited.json()["id"], _bearer(session.json()["token"])


async def _connect(client, company, email: str, worker_headers: dict) -> int:
    """An existing worker invited by another company, who accepts the connection request: the contact's id."""
    invited = await client.post("/api/invitations", json={"name": "Grace", "email": email}, headers=company.headers)
    assert invited.json()["status"] == "invited"
    accepted = await client.post(f"/api/worker/connections/{invited.json()['id']}/accept", headers=worker_headers)
    assert accepted.status_code == 200
    return invited.json()["id"]


async def _hire(client, company, contact_id: int, **changes) -> dict:
    response = await client.post(
        f"/api/contacts/{contact_id}/offers", json={**OFFER, **changes}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _history(client, company, contact_id: int) -> list[dict]:
    return (await client.get(f"/api/contacts/{contact_id}/history", headers=company.headers)).json()


async def _status(offer_id: int) -> str:
    return (await JobOffer.select(JobOffer.status).where(JobOffer.id == offer_id).first())["status"]


# Validation


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 201}, "title", "too_long"),
        ({"title": "Bad\x00title"}, "title", "invalid_characters"),
        ({"description": "x" * 5001}, "description", "too_long"),
        ({"end_date": "2027-02-28"}, "end_date", "end_before_start"),
        ({"end_date": "2027-03-01"}, "end_date", "end_before_start"),
        ({"rate": "0"}, "rate", "rate_not_positive"),
        ({"rate": "-10"}, "rate", "rate_not_positive"),
        ({"rate": "NaN"}, "rate", "rate_not_positive"),
        ({"rate": "10.005"}, "rate", "rate_precision"),
        ({"rate": "1000000.01"}, "rate", "rate_too_large"),
        ({"rate": "Infinity"}, "rate", "rate_too_large"),
        ({"currency": "XYZ"}, "currency", "unknown_currency"),
        ({"currency": "XAU"}, "currency", "unknown_currency"),
        ({"currency": " "}, "currency", "required"),
        ({"location": "  "}, "location", "location_required"),
        ({"location": "x" * 201}, "location", "too_long"),
    ],
)
async def test_create_offer_invalid_field_writes_nothing(client, company, changes, field, code):
    contact = await make_contact(company)
    response = await client.post(
        f"/api/contacts/{contact.id}/offers", json={**OFFER, **changes}, headers=company.headers
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    assert await JobOffer.count() == 0 and await OutboxEmail.count() == 0


async def test_create_offer_reports_every_error_at_once(client, company):
    contact = await make_contact(company)
    bad = {"title": "", "end_date": "2027-01-01", "rate": "0.001", "currency": "eurx", "location": ""}
    response = await client.post(f"/api/contacts/{contact.id}/offers", json={**OFFER, **bad}, headers=company.headers)
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("title", "required"),
        ("end_date", "end_before_start"),
        ("rate", "rate_precision"),
        ("currency", "unknown_currency"),
        ("location", "location_required"),
    }


async def test_create_offer_malformed_body_is_a_field_error(client, company):
    contact = await make_contact(company)
    response = await client.post(
        f"/api/contacts/{contact.id}/offers", json={**OFFER, "start_date": "tomorrow"}, headers=company.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


@pytest.mark.parametrize("rate", ["0.01", "0.10", "85", "999999.99", "1000000", "1e3"])
async def test_create_offer_keeps_the_rate_exactly(client, company, rate):
    contact = await make_contact(company)
    offer = await _hire(client, company, contact.id, rate=rate)
    assert Decimal(offer["rate"]) == Decimal(rate)
    assert offer["rate"] == f"{Decimal(rate):.2f}"
    listed = (await client.get(f"/api/contacts/{contact.id}/offers", headers=company.headers)).json()
    assert listed["items"][0]["rate"] == offer["rate"]


async def test_create_offer_cleans_fields_and_ignores_location_when_remote(client, company):
    contact = await make_contact(company)
    offer = await _hire(client, company, contact.id, remote=True, location="Somewhere", end_date=None, currency=" usd ")
    assert offer["title"] == "Brand refresh"
    assert offer["currency"] == "USD" and offer["remote"] is True and offer["location"] == ""
    assert offer["end_date"] is None and offer["status"] == "offered"
    assert offer["contact_id"] == contact.id and offer["created_by"] == company.principal.user_name
    assert offer["answered_at"] is None


# Hiring


@pytest.mark.parametrize(
    "status",
    [
        ContactStatus.NOT_INVITED,
        ContactStatus.INVITED,
        ContactStatus.APPLIED,
        ContactStatus.DECLINED,
        ContactStatus.REVOKED,
        ContactStatus.EXPIRED,
    ],
)
async def test_only_active_contacts_can_be_hired(client, company, status):
    contact = await make_contact(company, status=status)
    response = await client.post(f"/api/contacts/{contact.id}/offers", json=OFFER, headers=company.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "contact_not_active"
    assert await JobOffer.count() == 0 and await OutboxEmail.count() == 0


async def test_hire_creates_offer_history_and_email(client, company):
    contact = await make_contact(company, name="Ada Lovelace", email="ada@example.com")
    before = (await client.get(f"/api/contacts/{contact.id}", headers=company.headers)).json()["last_activity_at"]
    offer = await _hire(client, company, contact.id)

    assert offer["status"] == "offered" and offer["title"] == "Brand refresh"
    assert offer["rate"] == "85.50" and offer["currency"] == "EUR" and offer["rate_unit"] == "hour"
    assert offer["start_date"] == "2027-03-01" and offer["end_date"] == "2027-06-30"

    [event, *_] = await _history(client, company, contact.id)
    assert event["kind"] == "offer_sent" and event["summary"] == "Job offer sent: Brand refresh"
    assert event["actor"] == company.principal.user_name

    [email] = await _emails("ada@example.com")
    assert email["kind"] == "job_offer" and email["company"] == company.principal.company_id
    assert email["subject"] == "Acme Ltd offers you a job: Brand refresh"
    for body in (email["text_body"], email["html_body"]):
        assert "Acme Ltd" in body and "Brand refresh" in body and "Ada Lovelace" in body
        assert "http://testserver.local/worker" in body
        assert "85.50 EUR per hour" in body and "Copenhagen" in body
    assert "View the offer" in email["html_body"]

    after = (await client.get(f"/api/contacts/{contact.id}", headers=company.headers)).json()["last_activity_at"]
    assert datetime.fromisoformat(after) > datetime.fromisoformat(before)


async def test_hire_email_escapes_the_title(client, company):
    contact = await make_contact(company, email="ada@example.com")
    await _hire(client, company, contact.id, title="<script>alert(1)</script> design")
    [email] = await _emails("ada@example.com")
    assert "<script>" not in email["html_body"] and "&lt;script&gt;" in email["html_body"]


async def test_offers_listed_newest_first(client, company):
    contact = await make_contact(company)
    first = await _hire(client, company, contact.id, title="First")
    second = await _hire(client, company, contact.id, title="Second")
    listed = (await client.get(f"/api/contacts/{contact.id}/offers", headers=company.headers)).json()
    assert [o["id"] for o in listed["items"]] == [second["id"], first["id"]]


# Re-hire


async def test_prefill_from_last_accepted_job(client, company):
    contact_id, worker = await _worker_contact(client, company)
    accepted = await _hire(client, company, contact_id, title="Website", rate="100", remote=True, end_date=None)
    assert (await client.post(f"/api/worker/offers/{accepted['id']}/accept", headers=worker)).status_code == 200
    await _hire(client, company, contact_id, title="Newer but open")

    prefill = await client.get(f"/api/contacts/{contact_id}/offers/prefill", headers=company.headers)
    assert prefill.status_code == 200
    body = prefill.json()
    assert body["title"] == "Website" and body["rate"] == "100.00" and body["remote"] is True
    assert body["end_date"] is None and body["currency"] == "EUR"
    # The prefill is a valid form as it stands.
    rehired = await client.post(f"/api/contacts/{contact_id}/offers", json=body, headers=company.headers)
    assert rehired.status_code == 201 and rehired.json()["title"] == "Website"


async def test_prefill_without_accepted_job_uses_last_offer(client, company):
    contact = await make_contact(company)
    await _hire(client, company, contact.id, title="Older")
    await _hire(client, company, contact.id, title="Latest", rate="12.30")
    body = (await client.get(f"/api/contacts/{contact.id}/offers/prefill", headers=company.headers)).json()
    assert body["title"] == "Latest" and body["rate"] == "12.30" and body["location"] == "Copenhagen"


async def test_prefill_without_any_job_refused(client, company):
    contact = await make_contact(company)
    response = await client.get(f"/api/contacts/{contact.id}/offers/prefill", headers=company.headers)
    assert response.status_code == 422 and response.json()["code"] == "no_previous_job"


# Withdraw


async def test_withdraw_before_answer(client, company):
    contact_id, worker = await _worker_contact(client, company)
    offer = await _hire(client, company, contact_id)
    withdrawn = await client.post(f"/api/offers/{offer['id']}/withdraw", headers=company.headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    history = await _history(client, company, contact_id)
    assert history[0]["kind"] == "offer_withdrawn" and history[0]["summary"] == "Job offer withdrawn: Brand refresh"

    again = await client.post(f"/api/offers/{offer['id']}/withdraw", headers=company.headers)
    assert again.status_code == 409 and again.json()["code"] == "offer_withdrawn"
    accept = await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    assert accept.status_code == 409 and accept.json()["code"] == "offer_withdrawn"
    portal = (await client.get("/api/worker/offers", headers=worker)).json()["items"]
    assert [o["status"] for o in portal] == ["withdrawn"]


async def test_withdraw_after_answer_refused(client, company):
    contact_id, worker = await _worker_contact(client, company)
    offer = await _hire(client, company, contact_id)
    await client.post(f"/api/worker/offers/{offer['id']}/decline", headers=worker)
    response = await client.post(f"/api/offers/{offer['id']}/withdraw", headers=company.headers)
    assert response.status_code == 409 and response.json()["code"] == "offer_answered"
    assert await _status(offer["id"]) == "declined"


async def test_withdraw_unknown_offer_not_found(client, company):
    response = await client.post("/api/offers/999999/withdraw", headers=company.headers)
    assert response.status_code == 404 and response.json()["code"] == "offer_not_found"


# The worker's answer


async def test_worker_lists_only_own_answerable_offers(client, company, other_company):
    contact_id, worker = await _worker_contact(client, company)
    elsewhere = await _connect(client, other_company, "grace@navy.example", worker)
    _, someone_else = await _worker_contact(client, company, email="linus@example.com", name="Linus")
    someone_elses_contact = (await Contact.select(Contact.id).where(Contact.email == "linus@example.com").first())["id"]

    answered = await _hire(client, company, contact_id, title="Answered")
    await client.post(f"/api/worker/offers/{answered['id']}/decline", headers=worker)
    open_acme = await _hire(client, company, contact_id, title="Open at Acme")
    open_globex = await _hire(client, other_company, elsewhere, title="Open at Globex", rate="1234.5")
    await _hire(client, company, someone_elses_contact, title="Not Grace's")
    invited = await client.post(
        "/api/invitations",
        json={"name": "Pending", "email": "pending@example.com", "offer": OFFER},
        headers=company.headers,
    )
    assert invited.status_code == 201

    items = (await client.get("/api/worker/offers", headers=worker)).json()["items"]
    assert [o["title"] for o in items] == ["Open at Globex", "Open at Acme", "Answered"]
    assert [o["status"] for o in items] == ["offered", "offered", "declined"]
    assert items[0]["company_name"] == "Globex Corp" and items[1]["company_name"] == "Acme Ltd"
    assert items[0]["rate"] == "1234.50" and items[0]["id"] == open_globex["id"] and items[1]["id"] == open_acme["id"]
    assert set(items[0]) == {
        "id",
        "company_name",
        "title",
        "description",
        "start_date",
        "end_date",
        "rate",
        "rate_unit",
        "currency",
        "remote",
        "location",
        "status",
        "offered_at",
        "answered_at",
    }
    assert [o["title"] for o in (await client.get("/api/worker/offers", headers=someone_else)).json()["items"]] == [
        "Not Grace's"
    ]


async def test_accept_hires_and_marks_the_contact_worked_before(client, company):
    contact_id, worker = await _worker_contact(client, company)
    other = await make_contact(company, name="Never Hired", email="never@example.com")
    offer = await _hire(client, company, contact_id)

    accepted = await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == "accepted" and body["answered_at"] is not None and body["company_name"] == "Acme Ltd"

    profile = (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()
    assert profile["last_engagement"] == "Brand refresh" and profile["last_engaged_at"] is not None
    assert (await client.get(f"/api/contacts/{other.id}", headers=company.headers)).json()["last_engagement"] is None

    hired = (await client.get("/api/contacts", params={"worked_before": "true"}, headers=company.headers)).json()
    assert hired["total"] == 1 and [c["id"] for c in hired["items"]] == [contact_id]
    assert hired["items"][0]["last_engagement"] == "Brand refresh" and hired["items"][0]["last_engaged_at"]
    everyone = (await client.get("/api/contacts", headers=company.headers)).json()
    assert everyone["total"] == 2
    assert {c["id"]: c["last_engagement"] for c in everyone["items"]} == {contact_id: "Brand refresh", other.id: None}
    for sort in ("name", "-last_activity_at", "status"):
        sorted_hired = (
            await client.get("/api/contacts", params={"worked_before": "true", "sort": sort}, headers=company.headers)
        ).json()
        assert sorted_hired["total"] == 1
    searched = (
        await client.get("/api/contacts", params={"worked_before": "true", "q": "never"}, headers=company.headers)
    ).json()
    assert searched["total"] == 0
    found = (
        await client.get("/api/contacts", params={"worked_before": "true", "q": "grace"}, headers=company.headers)
    ).json()
    assert found["total"] == 1

    history = await _history(client, company, contact_id)
    assert history[0]["kind"] == "offer_accepted" and history[0]["summary"] == "Hired: Brand refresh"
    assert history[0]["actor"] == "Grace Hopper"
    listed = (await client.get(f"/api/contacts/{contact_id}/offers", headers=company.headers)).json()["items"]
    assert listed[0]["status"] == "accepted" and listed[0]["answered_at"] is not None


async def test_decline_leaves_the_contact_unhired(client, company):
    contact_id, worker = await _worker_contact(client, company)
    offer = await _hire(client, company, contact_id)
    declined = await client.post(f"/api/worker/offers/{offer['id']}/decline", headers=worker)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()["last_engagement"] is None
    assert (await _history(client, company, contact_id))[0]["summary"] == "Job offer declined: Brand refresh"
    again = await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    assert again.status_code == 409 and again.json()["code"] == "offer_answered"
    hired = (await client.get("/api/contacts", params={"worked_before": "true"}, headers=company.headers)).json()
    assert hired["total"] == 0


async def test_last_engagement_is_the_latest_accepted_job(client, company):
    contact_id, worker = await _worker_contact(client, company)
    for title in ("First job", "Second job"):
        offer = await _hire(client, company, contact_id, title=title)
        await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    profile = (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()
    assert profile["last_engagement"] == "Second job"


async def test_another_worker_cannot_see_or_answer(client, company):
    contact_id, _ = await _worker_contact(client, company)
    _, intruder = await _worker_contact(client, company, email="mallory@example.com", name="Mallory")
    offer = await _hire(client, company, contact_id)
    for action in ("accept", "decline"):
        response = await client.post(f"/api/worker/offers/{offer['id']}/{action}", headers=intruder)
        assert response.status_code == 404 and response.json()["code"] == "offer_not_found"
    assert (await client.get("/api/worker/offers", headers=intruder)).json()["items"] == []
    assert await _status(offer["id"]) == "offered"
    unknown = await client.post("/api/worker/offers/999999/accept", headers=intruder)
    assert unknown.status_code == 404 and unknown.json()["code"] == "offer_not_found"


# Races: one conditional UPDATE decides


@pytest.mark.parametrize("accept_first", [True, False])
async def test_accept_and_withdraw_at_once_have_one_winner(client, company, accept_first):
    contact_id, headers = await _worker_contact(client, company)
    worker = await authenticate_worker(headers["Authorization"].removeprefix("Bearer "))
    data = _offer_data()
    for _ in range(10):
        offer = await service.create_offer(company.principal, contact_id, data)
        accept = service.answer_offer(worker, offer.id, accept=True)
        withdraw = service.withdraw(company.principal, offer.id)
        results = await asyncio.gather(
            *((accept, withdraw) if accept_first else (withdraw, accept)), return_exceptions=True
        )
        accepted, withdrawn = results if accept_first else results[::-1]
        winners = [r for r in (accepted, withdrawn) if not isinstance(r, BaseException)]
        losers = [r for r in (accepted, withdrawn) if isinstance(r, BaseException)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], Conflict), losers
        final = await _status(offer.id)
        if isinstance(accepted, BaseException):
            assert final == "withdrawn" and accepted.code == "offer_withdrawn"
        else:
            assert final == "accepted" and withdrawn.code == "offer_answered"
    events = await ContactEvent.select(ContactEvent.kind).where(
        ContactEvent.kind.is_in(["offer_accepted", "offer_withdrawn"])
    )
    assert len(events) == 10


async def test_accept_and_decline_at_once_have_one_winner(client, company):
    contact_id, headers = await _worker_contact(client, company)
    worker = await authenticate_worker(headers["Authorization"].removeprefix("Bearer "))
    offer = await service.create_offer(company.principal, contact_id, _offer_data())
    results = await asyncio.gather(
        *[service.answer_offer(worker, offer.id, accept=i % 2 == 0) for i in range(6)], return_exceptions=True
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(getattr(r, "code", None) == "offer_answered" for r in results if isinstance(r, BaseException))
    assert await _status(offer.id) == winners[0].status.value


# Invite and offer job


async def test_invite_with_offer_waits_for_sign_up(client, company):
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace Hopper", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    assert invited.status_code == 201, invited.text
    contact_id = invited.json()["id"]
    [offer] = (await client.get(f"/api/contacts/{contact_id}/offers", headers=company.headers)).json()["items"]
    assert offer["status"] == "pending" and offer["title"] == "Brand refresh"
    [email] = await _emails("grace@navy.example")
    assert email["kind"] == "invitation"
    assert "would also like to offer you a job: Brand refresh" in email["text_body"]
    assert "Brand refresh" in email["html_body"]
    assert await OutboxEmail.count() == 1  # no separate job offer email before the invitation is accepted

    session = await client.post(
        f"/api/public/invitations/{_token(email)}/accept", json={"name": "Grace Hopper", "password": PASSWORD}
    )
    worker = _bearer(session.json()["token"])
    [seen] = (await client.get("/api/worker/offers", headers=worker)).json()["items"]
    assert seen["id"] == offer["id"] and seen["status"] == "offered" and seen["company_name"] == "Acme Ltd"
    kinds = [e["kind"] for e in await _history(client, company, contact_id)]
    assert kinds[:2] == ["offer_sent", "invitation_accepted"] and "offer_attached" in kinds

    accepted = await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    assert accepted.status_code == 200
    profile = (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()
    assert profile["status"] == "active" and profile["last_engagement"] == "Brand refresh"


async def test_invite_existing_worker_with_offer_waits_for_connection(client, company, other_company):
    _, worker = await _worker_contact(client, company)
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=other_company.headers,
    )
    assert invited.json()["status"] == "invited"
    contact_id = invited.json()["id"]
    email = (await _emails("grace@navy.example"))[-1]
    assert email["kind"] == "connection_request" and "offer you a job: Brand refresh" in email["text_body"]

    assert (await client.get("/api/worker/offers", headers=worker)).json()["items"] == []
    [pending] = (await client.get(f"/api/contacts/{contact_id}/offers", headers=other_company.headers)).json()["items"]
    early = await client.post(f"/api/worker/offers/{pending['id']}/accept", headers=worker)
    assert early.status_code == 404 and early.json()["code"] == "offer_not_found"

    await client.post(f"/api/worker/connections/{contact_id}/accept", headers=worker)
    [seen] = (await client.get("/api/worker/offers", headers=worker)).json()["items"]
    assert seen["id"] == pending["id"] and seen["status"] == "offered" and seen["company_name"] == "Globex Corp"
    assert (await _history(client, other_company, contact_id))[0]["kind"] == "offer_sent"


async def test_declined_connection_withdraws_the_pending_offer(client, company, other_company):
    _, worker = await _worker_contact(client, company)
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=other_company.headers,
    )
    contact_id = invited.json()["id"]
    await client.post(f"/api/worker/connections/{contact_id}/decline", headers=worker)
    [offer] = (await client.get(f"/api/contacts/{contact_id}/offers", headers=other_company.headers)).json()["items"]
    assert offer["status"] == "withdrawn"
    assert (await _history(client, other_company, contact_id))[0]["kind"] == "offer_withdrawn"
    assert [o["status"] for o in (await client.get("/api/worker/offers", headers=worker)).json()["items"]] == []


async def test_revoked_invitation_withdraws_the_pending_offer(client, company):
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    contact_id = invited.json()["id"]
    token = _token((await _emails("grace@navy.example"))[0])
    assert (
        await client.post(f"/api/contacts/{contact_id}/invitation/revoke", headers=company.headers)
    ).status_code == 204
    [offer] = (await client.get(f"/api/contacts/{contact_id}/offers", headers=company.headers)).json()["items"]
    assert offer["status"] == "withdrawn"
    history = await _history(client, company, contact_id)
    assert history[0]["kind"] == "offer_withdrawn" and history[0]["actor"] == company.principal.user_name
    # A resent invitation does not bring the withdrawn offer back.
    await client.post(f"/api/contacts/{contact_id}/invitation/resend", headers=company.headers)
    assert "offer you a job" not in (await _emails("grace@navy.example"))[-1]["text_body"]
    assert (await client.get(f"/api/public/invitations/{token}")).json()["code"] == "invitation_revoked"


async def test_expired_invitation_withdraws_the_pending_offer(client, company):
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    assert await invitations.expire_invitations() == 1
    [offer] = (await client.get(f"/api/contacts/{invited.json()['id']}/offers", headers=company.headers)).json()[
        "items"
    ]
    assert offer["status"] == "withdrawn"


async def test_resent_invitation_still_mentions_the_pending_offer(client, company):
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    await client.post(f"/api/contacts/{invited.json()['id']}/invitation/resend", headers=company.headers)
    _, second = await _emails("grace@navy.example")
    assert "offer you a job: Brand refresh" in second["text_body"]
    session = await client.post(
        f"/api/public/invitations/{_token(second)}/accept", json={"name": "Grace", "password": PASSWORD}
    )
    items = (await client.get("/api/worker/offers", headers=_bearer(session.json()["token"]))).json()["items"]
    assert [o["status"] for o in items] == ["offered"]


async def test_company_can_withdraw_a_pending_offer(client, company):
    invited = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    contact_id = invited.json()["id"]
    [offer] = (await client.get(f"/api/contacts/{contact_id}/offers", headers=company.headers)).json()["items"]
    response = await client.post(f"/api/offers/{offer['id']}/withdraw", headers=company.headers)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    token = _token((await _emails("grace@navy.example"))[0])
    session = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    # It never reached the worker, so the portal does not show it.
    assert (await client.get("/api/worker/offers", headers=_bearer(session.json()["token"]))).json()["items"] == []
    late = await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=_bearer(session.json()["token"]))
    assert late.status_code == 404 and late.json()["code"] == "offer_not_found"


@pytest.mark.parametrize("form", [False, True])
async def test_invite_with_invalid_offer_writes_nothing(client, company, form):
    invite = {
        "name": "Grace",
        "email": "grace@navy.example",
        "offer": {**OFFER, "rate": "-1", "currency": "ABC", "title": ""},
    }
    if form:
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        response = await client.post(
            "/api/invitations/form",
            data={"invite": json.dumps(invite)},
            files=[("files", ("cv.pdf", pdf, "application/pdf"))],
            headers=company.headers,
        )
    else:
        response = await client.post("/api/invitations", json=invite, headers=company.headers)
    assert response.status_code == 422, response.text
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("offer.rate", "rate_not_positive"),
        ("offer.currency", "unknown_currency"),
        ("offer.title", "required"),
    }
    assert await Contact.count() == 0 and await Invitation.count() == 0
    assert await OutboxEmail.count() == 0 and await JobOffer.count() == 0 and await ContactEvent.count() == 0


async def test_invite_errors_and_offer_errors_come_together(client, company):
    invite = {"name": "", "email": "grace@navy.example", "offer": {**OFFER, "location": ""}}
    response = await client.post("/api/invitations", json=invite, headers=company.headers)
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("name", "required"),
        ("offer.location", "location_required"),
    }


async def test_invite_form_with_offer_and_files(client, company):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    invite = {"name": "Grace", "email": "grace@navy.example", "offer": OFFER}
    response = await client.post(
        "/api/invitations/form",
        data={"invite": json.dumps(invite)},
        files=[("files", ("cv.pdf", pdf, "application/pdf"))],
        headers=company.headers,
    )
    assert response.status_code == 201, response.text
    [offer] = (await client.get(f"/api/contacts/{response.json()['id']}/offers", headers=company.headers)).json()[
        "items"
    ]
    assert offer["status"] == "pending" and offer["location"] == "Copenhagen"


async def test_invite_with_offer_to_taken_email_writes_nothing(client, company):
    await make_contact(company, email="grace@navy.example")
    response = await client.post(
        "/api/invitations",
        json={"name": "Grace", "email": "grace@navy.example", "offer": OFFER},
        headers=company.headers,
    )
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    assert await JobOffer.count() == 0 and await Invitation.count() == 0


# Tenancy and sessions


async def test_other_company_gets_404_on_every_offer_route(client, company, other_company):
    contact_id, worker = await _worker_contact(client, company)
    offer = await _hire(client, company, contact_id)
    theirs = other_company.headers
    base = f"/api/contacts/{contact_id}/offers"

    for response in (
        await client.post(base, json=OFFER, headers=theirs),
        await client.get(base, headers=theirs),
        await client.get(f"{base}/prefill", headers=theirs),
    ):
        assert response.status_code == 404 and response.json()["code"] == "contact_not_found"
    withdraw = await client.post(f"/api/offers/{offer['id']}/withdraw", headers=theirs)
    assert withdraw.status_code == 404 and withdraw.json()["code"] == "offer_not_found"

    assert await _status(offer["id"]) == "offered" and await JobOffer.count() == 1
    assert (await client.get("/api/contacts", params={"worked_before": "true"}, headers=theirs)).json()["total"] == 0
    await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=worker)
    assert (await client.get("/api/contacts", params={"worked_before": "true"}, headers=theirs)).json()["total"] == 0


async def test_offer_routes_need_a_session(client, company):
    contact_id, worker = await _worker_contact(client, company)
    offer = await _hire(client, company, contact_id)
    anonymous = [
        ("post", f"/api/contacts/{contact_id}/offers"),
        ("get", f"/api/contacts/{contact_id}/offers"),
        ("get", f"/api/contacts/{contact_id}/offers/prefill"),
        ("post", f"/api/offers/{offer['id']}/withdraw"),
        ("get", "/api/worker/offers"),
        ("post", f"/api/worker/offers/{offer['id']}/accept"),
        ("post", f"/api/worker/offers/{offer['id']}/decline"),
    ]
    for method, url in anonymous:
        kwargs = {"json": OFFER} if method == "post" and url.endswith("/offers") else {}
        response = await getattr(client, method)(url, **kwargs)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"
    # A company session is not a worker session, and the other way round.
    assert (await client.get("/api/worker/offers", headers=company.headers)).status_code == 401
    assert (await client.post(f"/api/worker/offers/{offer['id']}/accept", headers=company.headers)).status_code == 401
    assert (await client.get(f"/api/contacts/{contact_id}/offers", headers=worker)).status_code == 401
    assert (await client.post(f"/api/offers/{offer['id']}/withdraw", headers=worker)).status_code == 401
    assert await _status(offer["id"]) == "offered"


async def test_deleting_a_contact_deletes_its_offers(client, company):
    contact = await make_contact(company)
    await _hire(client, company, contact.id)
    assert (await client.delete(f"/api/contacts/{contact.id}", headers=company.headers)).status_code == 204
    assert await JobOffer.count() == 0
