"""Flow 2 through HTTP: invitation links, applicants, email confirmation, approval, limits and tenancy."""

import asyncio
import re
from datetime import timedelta

import pytest

from backend.clock import utcnow
from backend.contacts.tables import Contact
from backend.email.tables import OutboxEmail
from backend.errors import RuleViolation
from backend.links import applicants, service, signups
from backend.links.tables import InvitationLink
from backend.workers.tables import Worker
from shared.links import LinkSignup

PASSWORD = "a-strong-password-1"


def _token(link: dict) -> str:
    return link["url"].rsplit("/join/", 1)[1]


async def _link(client, company, **fields) -> dict:
    response = await client.post("/api/links", json={"label": "Email signature", **fields}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _signup(client, link, email="applicant@example.com", name="Alex Applicant"):
    return await client.post(
        f"/api/public/links/{_token(link)}/signup", json={"name": name, "email": email, "password": PASSWORD}
    )


async def _confirm(client, email="applicant@example.com"):
    row = (
        await OutboxEmail.select()
        .where((OutboxEmail.to_email == email) & (OutboxEmail.kind == "link_confirmation"))
        .first()
    )
    token = re.search(r"/confirm-email/([A-Za-z0-9_-]+)", row["text_body"]).group(1)
    return await client.post(f"/api/public/confirm-email/{token}"), token


async def _contact(email="applicant@example.com") -> dict:
    return await Contact.select().where(Contact.email == email).first()


async def test_create_link_shows_url_and_stores_only_hash(client, company):
    link = await _link(client, company, tags=["Design", "design"], allowed_domains=["@Example.com"], max_signups=5)
    assert link["url"].startswith("http://testserver.local/join/") and len(_token(link)) >= 43
    assert link["tags"] == ["design"] and link["allowed_domains"] == ["example.com"]
    assert link["state"] == "active"
    assert link["counts"] == {
        "signups": 0,
        "waiting": 0,
        "unconfirmed": 0,
        "approved": 0,
        "views": 0,
        "confirmed": 0,
        "rejected": 0,
        "median_hours_to_approval": None,
    }
    row = await InvitationLink.objects().first()
    assert _token(link) not in (row.token_hash, row.nonce)
    listed = (await client.get("/api/links", headers=company.headers)).json()
    assert listed[0]["url"] == link["url"]


async def test_public_page_shows_company(client, company):
    link = await _link(client, company)
    preview = await client.get(f"/api/public/links/{_token(link)}")
    assert preview.status_code == 200 and preview.json()["company_name"] == "Acme Ltd"


async def test_signup_applies_confirm_then_approve(client, company):
    link = await _link(client, company, tags=["python"])
    response = await _signup(client, link)
    assert response.status_code == 201, response.text
    assert response.json()["email_confirmed"] is False and response.json()["token"]
    contact = await _contact()
    assert (contact["status"], contact["source"]) == ("applied", "link")
    listing = (await client.get("/api/contacts", params={"status": "applied"}, headers=company.headers)).json()
    assert listing["items"][0]["tags"] == ["python"] and listing["items"][0]["email_confirmed"] is False

    early = await client.post("/api/applicants/approve", json={"ids": [contact["id"]]}, headers=company.headers)
    assert early.json()["done"] == [] and "confirmed" in early.json()["skipped"][str(contact["id"])]

    confirmed, token = await _confirm(client)
    assert confirmed.status_code == 200 and confirmed.json()["companies"] == ["Acme Ltd"]
    replay = await client.post(f"/api/public/confirm-email/{token}")
    assert replay.status_code == 422 and replay.json()["code"] == "confirmation_used"
    profile = (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()
    assert profile["email_confirmed"] is True

    approved = await client.post("/api/applicants/approve", json={"ids": [contact["id"]]}, headers=company.headers)
    assert approved.json()["done"] == [contact["id"]]
    assert (await _contact())["status"] == "active"
    assert await OutboxEmail.count().where(OutboxEmail.kind == "applicant_approved") == 1
    counts = (await client.get("/api/links", headers=company.headers)).json()[0]["counts"]
    assert counts == {
        "signups": 1,
        "waiting": 0,
        "unconfirmed": 0,
        "approved": 1,
        "views": 0,
        "confirmed": 1,
        "rejected": 0,
        "median_hours_to_approval": 0.0,
    }


async def test_count_applicants_unconfirmed_wait_for_confirmation_not_approval(client, company, other_company):
    link = await _link(client, company)
    await _signup(client, link, "ready@example.com", "Rea Dy")
    await _signup(client, link, "later@example.com", "Lat Er")
    await _signup(client, link, "third@example.com", "Thi Rd")
    await _confirm(client, "ready@example.com")

    counts = await client.get("/api/applicants/counts", headers=company.headers)
    assert counts.status_code == 200
    assert counts.json() == {"waiting_for_approval": 1, "waiting_for_confirmation": 2, "exact": True}
    card = (await client.get("/api/links", headers=company.headers)).json()[0]["counts"]
    assert {key: card[key] for key in ("signups", "waiting", "unconfirmed", "approved", "confirmed")} == {
        "signups": 3,
        "waiting": 1,
        "unconfirmed": 2,
        "approved": 0,
        "confirmed": 1,
    }

    # A second company sees none of them.
    theirs = await client.get("/api/applicants/counts", headers=other_company.headers)
    assert theirs.json() == {"waiting_for_approval": 0, "waiting_for_confirmation": 0, "exact": True}
    # Nor does anyone without a session.
    assert (await client.get("/api/applicants/counts")).status_code == 401


async def test_count_applicants_beyond_cap_is_not_exact(client, company):
    link = await _link(client, company)
    for n in range(3):
        await _signup(client, link, f"p{n}@example.com", f"Person {n}")
    counts = await applicants.applicant_counts(company.principal, count_cap=2)
    assert (counts.waiting_for_approval, counts.waiting_for_confirmation, counts.exact) == (0, 2, False)


async def test_approve_unconfirmed_applicant_refused_with_code(client, company):
    link = await _link(client, company)
    await _signup(client, link)
    contact = await _contact()
    refused = await client.post("/api/applicants/approve", json={"ids": [contact["id"]]}, headers=company.headers)
    assert refused.status_code == 200
    assert refused.json()["done"] == []
    assert refused.json()["skipped_codes"] == {str(contact["id"]): "email_not_confirmed"}
    with pytest.raises(RuleViolation) as refusal:
        await service.approve_applicant(company.principal, contact["id"])
    assert refusal.value.code == "email_not_confirmed"
    assert (await _contact())["status"] == "applied"
    assert await OutboxEmail.count().where(OutboxEmail.kind == "applicant_approved") == 0


async def test_reject_sends_no_email(client, company):
    link = await _link(client, company)
    await _signup(client, link)
    contact = await _contact()
    rejected = await client.post("/api/applicants/reject", json={"ids": [contact["id"]]}, headers=company.headers)
    assert rejected.json()["done"] == [contact["id"]]
    assert (await _contact())["status"] == "rejected"
    assert await OutboxEmail.count().where(OutboxEmail.kind == "applicant_approved") == 0


async def test_existing_worker_logs_in_and_applies(client, company, other_company):
    await _signup(client, await _link(client, company))
    await _confirm(client)
    login = await client.post("/api/worker/auth/login", json={"email": "applicant@example.com", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    other_link = await _link(client, other_company)
    applied = await client.post(f"/api/public/links/{_token(other_link)}/apply", headers=headers)
    assert applied.status_code == 201 and applied.json()["email_confirmed"] is True
    again = await _signup(client, other_link)
    assert again.status_code == 409 and again.json()["code"] == "account_exists"


async def test_list_worker_applications_waiting_for_confirmation_then_approval(client, company, other_company):
    signup = await _signup(client, await _link(client, company))
    mine = {"Authorization": f"Bearer {signup.json()['token']}"}
    listed = await client.get("/api/worker/applications", headers=mine)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert (item["company_name"], item["waiting_for"]) == ("Acme Ltd", "email_confirmation")
    assert item["applied_at"]

    await _confirm(client)
    applied = await client.post(f"/api/public/links/{_token(await _link(client, other_company))}/apply", headers=mine)
    assert applied.status_code == 201
    items = (await client.get("/api/worker/applications", headers=mine)).json()["items"]
    assert [(i["company_name"], i["waiting_for"]) for i in items] == [
        (other_company.name, "approval"),
        ("Acme Ltd", "approval"),
    ]

    # Another worker sees only their own; decided applications leave the list; a company session is refused.
    other = await _signup(client, await _link(client, other_company), "someone@example.com", "Some One")
    theirs = {"Authorization": f"Bearer {other.json()['token']}"}
    assert [
        i["company_name"] for i in (await client.get("/api/worker/applications", headers=theirs)).json()["items"]
    ] == [other_company.name]
    contact = (
        await Contact.select(Contact.id)
        .where((Contact.email == "applicant@example.com") & (Contact.company == company.principal.company_id))
        .first()
    )
    await client.post("/api/applicants/approve", json={"ids": [contact["id"]]}, headers=company.headers)
    items = (await client.get("/api/worker/applications", headers=mine)).json()["items"]
    assert [i["company_name"] for i in items] == [other_company.name]
    assert (await client.get("/api/worker/applications", headers=company.headers)).status_code == 401
    assert (await client.get("/api/worker/applications")).status_code == 401


@pytest.mark.parametrize(
    ("status", "code"),
    [("invited", "already_invited"), ("active", "already_connected"), ("applied", "already_applied")],
)
async def test_email_already_in_pool(client, company, status, code):
    from shared.contacts import ContactStatus
    from tests.factories import make_contact

    if status == "applied":
        link = await _link(client, company)
        await _signup(client, link)
        login = await client.post(
            "/api/worker/auth/login", json={"email": "applicant@example.com", "password": PASSWORD}
        )
        response = await client.post(
            f"/api/public/links/{_token(link)}/apply", headers={"Authorization": f"Bearer {login.json()['token']}"}
        )
    elif status == "active":
        # An active contact has the worker account that accepted behind it: that worker applies.
        from backend.workers.service import open_worker_session

        contact = await make_contact(company, email="applicant@example.com", status=ContactStatus.ACTIVE)
        worker = await Worker.select(Worker.id).where(Worker.email == contact.email).first()
        session = await open_worker_session(worker["id"], contact.name, contact.email, email_confirmed=True)
        link = await _link(client, company)
        response = await client.post(
            f"/api/public/links/{_token(link)}/apply", headers={"Authorization": f"Bearer {session.token}"}
        )
    else:
        await make_contact(company, email="applicant@example.com", status=ContactStatus(status))
        response = await _signup(client, await _link(client, company))
    assert response.status_code == 409 and response.json()["code"] == code
    assert await Contact.count() == 1


async def test_domain_not_allowed(client, company):
    link = await _link(client, company, allowed_domains=["acme.example"])
    response = await _signup(client, link, email="someone@gmail.com")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "email",
        "code": "domain_not_allowed",
        "message": "This link accepts emails at acme.example only.",
    }
    assert (await _signup(client, link, email="dev@acme.example")).status_code == 201
    assert await Worker.count() == 1


async def test_weak_password_and_html_name(client, company):
    link = await _link(client, company)
    weak = await client.post(
        f"/api/public/links/{_token(link)}/signup", json={"name": "A", "email": "a@b.example", "password": "short"}
    )
    assert weak.status_code == 422 and "at least 10" in weak.json()["errors"][0]["message"]
    html = await _signup(client, link, name="<img src=x onerror=alert(1)>")
    assert html.status_code == 201
    assert (await _contact())["name"] == "<img src=x onerror=alert(1)>"


async def _neutral(client, token):
    response = await client.get(f"/api/public/links/{token}")
    assert response.status_code == 404 and response.json()["code"] == "link_unavailable"
    return response.json()


async def test_unknown_revoked_expired_full_and_rotated_links_look_the_same(client, company):
    unknown = await _neutral(client, "x" * 43)
    revoked = await _link(client, company, label="Revoked")
    await client.post(f"/api/links/{revoked['id']}/revoke", headers=company.headers)
    expired = await _link(client, company, label="Expired")
    await InvitationLink.update({InvitationLink.expires_at: utcnow() - timedelta(seconds=1)}).where(
        InvitationLink.id == expired["id"]
    )
    full = await _link(client, company, label="Full", max_signups=1)
    assert (await _signup(client, full)).status_code == 201
    rotated = await _link(client, company, label="Rotated")
    new = (await client.post(f"/api/links/{rotated['id']}/rotate", headers=company.headers)).json()
    assert new["url"] != rotated["url"]
    for link in (revoked, expired, full, rotated):
        assert await _neutral(client, _token(link)) == unknown
    assert (await client.get(f"/api/public/links/{_token(new)}")).status_code == 200
    late = await _signup(client, revoked, email="late@example.com")
    assert late.status_code == 404 and late.json()["code"] == "link_unavailable"


@pytest.mark.parametrize("token", ["", "a", "x" * 500, "bad$token", "<script>"])
async def test_malformed_link_tokens(client, token):
    response = await client.get(f"/api/public/links/{token}")
    assert response.status_code == 404


async def test_last_slot_taken_once_under_concurrency(client, company):
    link = await _link(client, company, max_signups=1)
    results = await asyncio.gather(
        *[
            signups.sign_up_via_link(
                _token(link), LinkSignup(name=f"P{i}", email=f"p{i}@example.com", password=PASSWORD)
            )
            for i in range(5)
        ],
        return_exceptions=True,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(getattr(r, "code", None) == "link_unavailable" for r in results if isinstance(r, Exception))
    assert await Contact.count() == 1 and await Worker.count() == 1


async def test_public_endpoints_rate_limited(client, company, monkeypatch):
    from types import SimpleNamespace

    from backend import ratelimit
    from backend.settings import get_settings

    # Stay inside one window, whatever the clock says when the test runs.
    window = get_settings().public_rate_window_seconds
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000 * window + window / 2))
    link = await _link(client, company)
    limit = get_settings().public_rate_limit
    for _ in range(limit):
        assert (await client.get(f"/api/public/links/{_token(link)}")).status_code == 200
    blocked = await client.get(f"/api/public/links/{_token(link)}")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited"
    assert 1 <= int(blocked.headers["retry-after"]) <= get_settings().public_rate_window_seconds + 1


async def test_other_company_cannot_manage_links_or_applicants(client, company, other_company):
    link = await _link(client, company)
    await _signup(client, link)
    contact = await _contact()
    theirs = other_company.headers
    assert (await client.post(f"/api/links/{link['id']}/revoke", headers=theirs)).status_code == 404
    assert (await client.post(f"/api/links/{link['id']}/rotate", headers=theirs)).status_code == 404
    assert (await client.get("/api/links", headers=theirs)).json() == []
    approve = await client.post("/api/applicants/approve", json={"ids": [contact["id"]]}, headers=theirs)
    assert approve.json()["done"] == []
    reject = await client.post("/api/applicants/reject", json={"ids": [contact["id"]]}, headers=theirs)
    assert reject.json()["done"] == []
    assert (await _contact())["status"] == "applied"
    listing = (await client.get("/api/contacts", params={"status": "applied"}, headers=theirs)).json()
    assert listing["total"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label": ""}, "label"),
        ({"max_signups": 0}, "max_signups"),
        ({"allowed_domains": ["not a domain"]}, "allowed_domains"),
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
    ],
)
async def test_invalid_link_fields(client, company, fields, field):
    response = await client.post("/api/links", json={"label": "L", **fields}, headers=company.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert await InvitationLink.count() == 0


async def test_rate_limit_counts_each_forwarded_visitor_only_from_trusted_peers(company, set_env):
    from types import SimpleNamespace

    from backend.http import client_address

    def request(peer, forwarded):
        return SimpleNamespace(client=SimpleNamespace(host=peer), headers={"x-forwarded-for": forwarded})

    # No proxy is trusted by default, loopback included.
    assert client_address(request("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
    set_env(TP_TRUSTED_PROXIES="127.0.0.1")
    assert client_address(request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    assert client_address(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


async def test_delete_link_applicant_keeps_contact_without_link(client, company):
    link = await _link(client, company)
    assert (await _signup(client, link)).status_code == 201
    row = await InvitationLink.objects().first()
    assert (await _contact())["invitation_link"] == row.id
    await InvitationLink.delete().where(InvitationLink.id == row.id)
    contact = await _contact()
    assert contact is not None and contact["invitation_link"] is None


async def test_save_contact_unknown_link_refused(company):
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await Contact(
            company=company.principal.company_id, name="Nobody", email="nobody@example.com", invitation_link=999_999
        ).save()
    assert await Contact.count().where(Contact.email == "nobody@example.com") == 0
