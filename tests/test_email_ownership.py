"""Proven email ownership: unconfirmed worker accounts see nothing sent to their email, and the owner takes it back."""

import asyncio
import re
from datetime import timedelta

from backend.clock import utcnow
from backend.contacts.tables import Contact
from backend.email.tables import OutboxEmail
from backend.errors import Conflict
from backend.invitations import public as invitee
from backend.invitations import service as invitations
from backend.links import signups as links
from backend.links.tables import EmailConfirmation
from backend.workers.tables import Worker, WorkerSession
from shared.invitations import InvitationAccept, InviteCreate
from shared.links import LinkSignup

OWNER_PASSWORD = "owner-password-123"
SQUATTER_PASSWORD = "squatter-password-9"
EMAIL = "grace@navy.example"


async def _link_token(client, company) -> str:
    response = await client.post("/api/links", json={"label": "Website"}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()["url"].rsplit("/join/", 1)[1]


async def _squat(client, link_token: str, email: str = EMAIL) -> dict[str, str]:
    """Sign up through a link with someone else's email; returns the session's headers."""
    response = await client.post(
        f"/api/public/links/{link_token}/signup",
        json={"name": "Mallory", "email": email, "password": SQUATTER_PASSWORD},
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _invitation_token(email: str = EMAIL) -> str:
    row = (
        await OutboxEmail.select(OutboxEmail.text_body)
        .where((OutboxEmail.to_email == email) & (OutboxEmail.kind == "invitation"))
        .order_by(OutboxEmail.id, ascending=False)
        .first()
    )
    return re.search(r"/invite/([A-Za-z0-9_-]+)", row["text_body"]).group(1)


async def _invite(client, company, email: str = EMAIL) -> dict:
    response = await client.post(
        "/api/invitations", json={"name": "Grace Hopper", "email": email}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_get_portal_unconfirmed_worker_sees_nothing_addressed_to_email(client, company, other_company):
    headers = await _squat(client, await _link_token(client, other_company))
    worker = await Worker.select(Worker.id).where(Worker.email == EMAIL).first()
    # A request left from before the rule: linked to the account, but addressed to the email's owner.
    contact = Contact(
        company=company.principal.company_id,
        name="Grace",
        email=EMAIL,
        status="connection_requested",
        worker=worker["id"],
    )
    await contact.save()

    me = (await client.get("/api/worker/auth/me", headers=headers)).json()
    assert me["email_confirmed"] is False
    connections = (await client.get("/api/worker/connections", headers=headers)).json()
    assert connections == {"requests": [], "companies": []}
    assert (await client.get("/api/worker/offers", headers=headers)).json() == {"items": []}

    accept = await client.post(f"/api/worker/connections/{contact.id}/accept", headers=headers)
    assert accept.status_code == 403 and accept.json()["code"] == "email_not_confirmed"
    offer = await client.post("/api/worker/offers/1/accept", headers=headers)
    assert offer.status_code == 403 and offer.json()["code"] == "email_not_confirmed"
    assert (await Contact.select(Contact.status).where(Contact.id == contact.id).first())[
        "status"
    ] == "connection_requested"


async def test_invite_email_of_unconfirmed_worker_sends_invitation_link(client, company, other_company):
    await _squat(client, await _link_token(client, other_company))
    contact = await _invite(client, company)
    assert contact["status"] == "invited"
    row = await Contact.select(Contact.worker).where(Contact.id == contact["id"]).first()
    assert row["worker"] is None
    assert await OutboxEmail.count().where((OutboxEmail.to_email == EMAIL) & (OutboxEmail.kind == "invitation")) == 1
    assert await OutboxEmail.count().where(OutboxEmail.kind == "connection_request") == 0


async def test_accept_invitation_unconfirmed_account_taken_over_by_owner(client, company, other_company):
    contact = await _invite(client, company)
    squatter = await _squat(client, await _link_token(client, other_company))

    accepted = await client.post(
        f"/api/public/invitations/{await _invitation_token()}/accept",
        json={"name": "Grace Hopper", "password": OWNER_PASSWORD},
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["worker"]["email_confirmed"] is True
    workers = await Worker.select().where(Worker.email == EMAIL)
    assert len(workers) == 1 and workers[0]["name"] == "Grace Hopper" and workers[0]["email_confirmed_at"] is not None
    assert (await Contact.select(Contact.status, Contact.worker).where(Contact.id == contact["id"]).first()) == {
        "status": "active",
        "worker": workers[0]["id"],
    }
    # The application the squatter made with the address is withdrawn.
    assert await Contact.count().where(Contact.company == other_company.principal.company_id) == 0
    # The squatter's sessions ended and their password no longer works; the owner's does.
    gone = await client.get("/api/worker/auth/me", headers=squatter)
    assert gone.status_code == 401 and gone.json()["code"] == "session_expired"
    assert (
        await WorkerSession.count().where(
            (WorkerSession.worker == workers[0]["id"]) & WorkerSession.revoked_at.is_null()
        )
        == 1
    )
    old = await client.post("/api/worker/auth/login", json={"email": EMAIL, "password": SQUATTER_PASSWORD})
    assert old.status_code == 401
    login = await client.post("/api/worker/auth/login", json={"email": EMAIL, "password": OWNER_PASSWORD})
    assert login.status_code == 200 and login.json()["worker"]["email_confirmed"] is True
    owner = {"Authorization": f"Bearer {login.json()['token']}"}
    portal = (await client.get("/api/worker/connections", headers=owner)).json()
    assert [c["company_name"] for c in portal["companies"]] == ["Acme Ltd"]


async def test_accept_invitation_confirmed_account_refused(client, company, other_company):
    await _invite(client, company)
    await _squat(client, await _link_token(client, other_company))
    row = await OutboxEmail.select(OutboxEmail.text_body).where(OutboxEmail.kind == "link_confirmation").first()
    confirm = re.search(r"/confirm-email/([A-Za-z0-9_-]+)", row["text_body"]).group(1)
    assert (await client.post(f"/api/public/confirm-email/{confirm}")).status_code == 200

    # The account proved the email, so it is its owner's: the invitation cannot replace its password.
    accepted = await client.post(
        f"/api/public/invitations/{await _invitation_token()}/accept",
        json={"name": "Grace", "password": OWNER_PASSWORD},
    )
    assert accepted.status_code == 409 and accepted.json()["code"] == "account_exists"
    login = await client.post("/api/worker/auth/login", json={"email": EMAIL, "password": SQUATTER_PASSWORD})
    assert login.status_code == 200
    assert (await Contact.select(Contact.status).where(Contact.company == company.principal.company_id).first()) == {
        "status": "invited"
    }


async def test_sign_up_concurrently_link_and_invitation_owner_wins(client, company, other_company):
    link_token = await _link_token(client, other_company)
    for round_ in range(4):
        email = f"owner{round_}@example.com"
        await invitations.invite_contact(company.principal, InviteCreate(name="Owner", email=email))
        token = await _invitation_token(email)
        signup = links.sign_up_via_link(link_token, LinkSignup(name="Mallory", email=email, password=SQUATTER_PASSWORD))
        accept = invitee.accept_invitation(token, InvitationAccept(name="Owner", password=OWNER_PASSWORD))
        pair = (signup, accept) if round_ % 2 else (accept, signup)
        results = await asyncio.gather(*pair, return_exceptions=True)
        by_name = dict(zip(("signup", "accept") if round_ % 2 else ("accept", "signup"), results, strict=True))
        assert not isinstance(by_name["accept"], Exception), by_name["accept"]
        if isinstance(by_name["signup"], Exception):
            assert isinstance(by_name["signup"], Conflict) and by_name["signup"].code == "account_exists"
        workers = await Worker.select().where(Worker.email == email)
        assert len(workers) == 1 and workers[0]["name"] == "Owner" and workers[0]["email_confirmed_at"] is not None
        login = await client.post("/api/worker/auth/login", json={"email": email, "password": OWNER_PASSWORD})
        assert login.status_code == 200
        # The link's side was written whole (its confirmation email queued) or not at all; its
        # application never stays behind: refused, or withdrawn when the owner took the account.
        applied = await Contact.count().where(
            (Contact.company == other_company.principal.company_id) & (Contact.email == email)
        )
        confirmations = await OutboxEmail.count().where(
            (OutboxEmail.to_email == email) & (OutboxEmail.kind == "link_confirmation")
        )
        assert applied == 0
        assert confirmations == (0 if isinstance(by_name["signup"], Exception) else 1)
        owned = (
            await Contact.select(Contact.status)
            .where((Contact.company == company.principal.company_id) & (Contact.email == email))
            .first()
        )
        assert owned == {"status": "active"}


async def test_resend_confirmation_throttled(client, company):
    headers = await _squat(client, await _link_token(client, company), email="alex@example.com")
    too_soon = await client.post("/api/worker/confirmation/resend", headers=headers)
    assert too_soon.status_code == 429 and too_soon.json()["code"] == "confirmation_recently_sent"
    assert int(too_soon.headers["retry-after"]) >= 1

    await EmailConfirmation.update({EmailConfirmation.created_at: utcnow() - timedelta(minutes=2)}).where(
        EmailConfirmation.id > 0
    )
    resent = await client.post("/api/worker/confirmation/resend", headers=headers)
    assert resent.status_code == 204
    assert (
        await OutboxEmail.count().where(
            (OutboxEmail.to_email == "alex@example.com") & (OutboxEmail.kind == "link_confirmation")
        )
        == 2
    )

    worker = await Worker.select(Worker.id).where(Worker.email == "alex@example.com").first()
    for _ in range(3):
        await EmailConfirmation(
            worker=worker["id"], token_hash=f"{_}" * 64, expires_at=utcnow(), created_at=utcnow() - timedelta(hours=1)
        ).save()
    await EmailConfirmation.update({EmailConfirmation.created_at: utcnow() - timedelta(minutes=2)}).where(
        EmailConfirmation.id > 0
    )
    daily = await client.post("/api/worker/confirmation/resend", headers=headers)
    assert daily.status_code == 429 and daily.json()["code"] == "confirmation_daily_limit"

    assert (await client.post("/api/worker/confirmation/resend")).status_code == 401


async def test_resend_confirmation_confirmed_worker_refused(client, company):
    await _invite(client, company)
    accepted = await client.post(
        f"/api/public/invitations/{await _invitation_token()}/accept",
        json={"name": "Grace", "password": OWNER_PASSWORD},
    )
    headers = {"Authorization": f"Bearer {accepted.json()['token']}"}
    response = await client.post("/api/worker/confirmation/resend", headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "already_confirmed"
