"""Flow 1 through HTTP and the service: invite, accept, connection requests, resend, revoke, expiry, files."""

import asyncio
import re
from datetime import timedelta

import pytest

from backend.clock import utcnow
from backend.contacts.tables import Contact, ContactFileRecord, Invitation
from backend.email.tables import OutboxEmail
from backend.invitations import public, service
from backend.invitations.writes import PreparedInvite
from backend.workers.tables import Worker
from shared.invitations import InvitationAccept

INVITE = {
    "name": "Grace Hopper",
    "email": " Grace@Navy.example ",
    "tags": ["COBOL", "compilers"],
    "links": ["https://grace.example"],
    "notes": "Team-only note",
    "message": "We'd love to work with you again!\n<b>Really</b>.",
}
PASSWORD = "a-strong-password-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _emails(to: str) -> list[dict]:
    return await OutboxEmail.select().where(OutboxEmail.to_email == to).order_by(OutboxEmail.id)


def _token(email: dict) -> str:
    return re.search(r"/invite/([A-Za-z0-9_-]+)", email["text_body"]).group(1)


async def _invite(client, company, **changes) -> dict:
    response = await client.post("/api/invitations", json={**INVITE, **changes}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_invite_new_person_queues_email_with_link(client, company):
    contact = await _invite(client, company)
    assert contact["status"] == "invited" and contact["source"] == "email_invite"
    assert contact["invitation_expires_at"] is not None
    [email] = await _emails("grace@navy.example")
    assert email["kind"] == "invitation"
    assert "Acme Ltd" in email["text_body"] and "Acme Ltd" in email["html_body"]
    assert "http://testserver.local/invite/" in email["text_body"]
    token = _token(email)
    assert len(token) >= 32
    invitation = await Invitation.objects().first()
    assert invitation.token_hash != token and len(invitation.token_hash) == 64


async def test_invite_expiry_is_configured_default(client, company):
    await _invite(client, company)
    invitation = await Invitation.objects().first()
    assert timedelta(days=13, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=14)


async def test_accept_invitation_creates_worker_and_activates(client, company):
    contact = await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    preview = await client.get(f"/api/public/invitations/{token}")
    assert preview.status_code == 200
    body = preview.json()
    assert body["company_name"] == "Acme Ltd" and body["email"] == "grace@navy.example"
    assert body["message"].startswith("We'd love")
    assert "notes" not in body and "tags" not in body and "links" not in body

    accepted = await client.post(
        f"/api/public/invitations/{token}/accept", json={"name": "Grace B. Hopper", "password": PASSWORD}
    )
    assert accepted.status_code == 201, accepted.text
    session = accepted.json()
    assert session["worker"]["email"] == "grace@navy.example"
    me = await client.get("/api/worker/auth/me", headers={"Authorization": f"Bearer {session['token']}"})
    assert me.status_code == 200 and me.json()["name"] == "Grace B. Hopper"

    now_active = (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()
    assert now_active["status"] == "active"
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [e["kind"] for e in history] == ["invitation_accepted", "invitation_opened", "invitation_sent"]
    assert history[0]["actor"] == "Grace B. Hopper"


async def test_accept_invitation_twice_refused(client, company):
    await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    first = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    assert first.status_code == 201
    again = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    assert again.status_code == 410
    assert again.json()["code"] == "invitation_used"
    assert (await client.get(f"/api/public/invitations/{token}")).json()["code"] == "invitation_used"
    assert await Worker.count() == 1


async def test_accept_concurrently_activates_once(company):
    from shared.invitations import InviteCreate
    from tests.test_invitations import INVITE as data

    await service.invite_contact(company.principal, InviteCreate(**data))
    token = _token((await _emails("grace@navy.example"))[0])
    results = await asyncio.gather(
        *[public.accept_invitation(token, InvitationAccept(name=f"Grace {i}", password=PASSWORD)) for i in range(4)],
        return_exceptions=True,
    )
    successes = [r for r in results if not isinstance(r, Exception)]
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(successes) == 1
    assert all(getattr(f, "code", None) == "invitation_used" for f in failures), failures
    assert await Worker.count() == 1
    assert await Contact.select(Contact.status).first() == {"status": "active"}


async def test_accept_with_other_email_refused(client, company):
    await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    response = await client.post(
        f"/api/public/invitations/{token}/accept",
        json={"name": "Mallory", "password": PASSWORD, "email": "mallory@evil.example"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "email_mismatch"
    assert await Worker.count() == 0


async def test_accept_weak_password_explains_rule(client, company):
    await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    response = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": "short"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"
    assert "at least 10" in response.json()["errors"][0]["message"]


async def test_expired_invitation_refused_and_swept(client, company):
    contact = await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    assert (await client.get(f"/api/public/invitations/{token}")).json()["code"] == "invitation_expired"
    accept = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    assert accept.status_code == 410 and accept.json()["code"] == "invitation_expired"
    assert await service.expire_invitations() == 1
    assert (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()["status"] == "expired"
    listing = (await client.get("/api/contacts", params={"status": "expired"}, headers=company.headers)).json()
    assert listing["total"] == 1


async def test_revoked_invitation_refused(client, company):
    contact = await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    revoke = await client.post(f"/api/contacts/{contact['id']}/invitation/revoke", headers=company.headers)
    assert revoke.status_code == 204
    assert (await client.get(f"/api/public/invitations/{token}")).json()["code"] == "invitation_revoked"
    assert (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()["status"] == "revoked"
    again = await client.post(f"/api/contacts/{contact['id']}/invitation/revoke", headers=company.headers)
    assert again.status_code == 422 and again.json()["code"] == "cannot_revoke"


async def test_resend_invalidates_old_link_and_resets_expiry(client, company):
    contact = await _invite(client, company)
    old_token = _token((await _emails("grace@navy.example"))[0])
    await Invitation.update({Invitation.expires_at: utcnow() + timedelta(days=1)}, force=True)
    resend = await client.post(f"/api/contacts/{contact['id']}/invitation/resend", headers=company.headers)
    assert resend.status_code == 204
    emails = await _emails("grace@navy.example")
    assert len(emails) == 2
    new_token = _token(emails[1])
    assert new_token != old_token
    assert (await client.get(f"/api/public/invitations/{old_token}")).json()["code"] == "invitation_superseded"
    assert (await client.get(f"/api/public/invitations/{new_token}")).status_code == 200
    pending = await Invitation.objects().where(Invitation.state == "pending")
    assert len(pending) == 1 and pending[0].expires_at - utcnow() > timedelta(days=13)


async def test_resend_revoked_invitation_reopens_it(client, company):
    contact = await _invite(client, company)
    await client.post(f"/api/contacts/{contact['id']}/invitation/revoke", headers=company.headers)
    assert (
        await client.post(f"/api/contacts/{contact['id']}/invitation/resend", headers=company.headers)
    ).status_code == 204
    assert (await client.get(f"/api/contacts/{contact['id']}", headers=company.headers)).json()["status"] == "invited"


async def test_bulk_resend_and_revoke_report_skips(client, company, other_company):
    first = await _invite(client, company)
    second = await _invite(client, company, email="second@example.com")
    foreign = await _invite(client, other_company, email="foreign@example.com")
    revoked = await client.post(
        "/api/invitations/revoke", json={"ids": [first["id"], foreign["id"]]}, headers=company.headers
    )
    assert revoked.status_code == 200
    assert revoked.json()["done"] == [first["id"]]
    assert str(foreign["id"]) in revoked.json()["skipped"]
    resent = await client.post(
        "/api/invitations/resend", json={"ids": [first["id"], second["id"]]}, headers=company.headers
    )
    assert resent.json()["done"] == [first["id"], second["id"]]
    theirs = (await client.get(f"/api/contacts/{foreign['id']}", headers=other_company.headers)).json()
    assert theirs["status"] == "invited"
    assert len(await _emails("foreign@example.com")) == 1


async def test_invite_existing_worker_sends_connection_request(client, company, other_company):
    await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})

    contact = await _invite(client, other_company, name="G. Hopper", email="GRACE@navy.example")
    # Until Grace answers, Globex cannot tell that her email has a worker account.
    assert contact["status"] == "invited"
    email = (await _emails("grace@navy.example"))[-1]
    assert email["kind"] == "connection_request"
    assert "Globex Corp" in email["text_body"] and "http://testserver.local/worker/login" in email["text_body"]

    login = await client.post("/api/worker/auth/login", json={"email": "grace@navy.example", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    portal = (await client.get("/api/worker/connections", headers=headers)).json()
    assert [c["company_name"] for c in portal["requests"]] == ["Globex Corp"]
    assert [c["company_name"] for c in portal["companies"]] == ["Acme Ltd"]
    assert set(portal["requests"][0]) == {"id", "company_name", "status", "since", "message"}

    accepted = await client.post(f"/api/worker/connections/{contact['id']}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert (await client.get(f"/api/contacts/{contact['id']}", headers=other_company.headers)).json()[
        "status"
    ] == "active"
    twice = await client.post(f"/api/worker/connections/{contact['id']}/decline", headers=headers)
    assert twice.status_code == 422 and twice.json()["code"] == "request_not_pending"


async def test_worker_declines_connection_request(client, company, other_company):
    await _invite(client, company)
    token = _token((await _emails("grace@navy.example"))[0])
    session = (
        await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    ).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    contact = await _invite(client, other_company, email="grace@navy.example")
    declined = await client.post(f"/api/worker/connections/{contact['id']}/decline", headers=headers)
    assert declined.json()["status"] == "declined"
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=other_company.headers)).json()
    assert history[0]["kind"] == "connection_declined"


async def test_worker_cannot_answer_another_workers_request(client, company, other_company):
    for email in ("one@example.com", "two@example.com"):
        await _invite(client, company, email=email)
        token = _token((await _emails(email))[0])
        await client.post(f"/api/public/invitations/{token}/accept", json={"name": email, "password": PASSWORD})
    request_for_one = await _invite(client, other_company, email="one@example.com")
    login_two = await client.post("/api/worker/auth/login", json={"email": "two@example.com", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login_two.json()['token']}"}
    response = await client.post(f"/api/worker/connections/{request_for_one['id']}/accept", headers=headers)
    assert response.status_code == 404


async def test_company_token_is_not_a_worker_token(client, company):
    response = await client.get("/api/worker/connections", headers=company.headers)
    assert response.status_code == 401


async def test_invite_duplicate_email_queues_nothing(client, company):
    await _invite(client, company)
    response = await client.post(
        "/api/invitations", json={**INVITE, "email": "GRACE@navy.EXAMPLE"}, headers=company.headers
    )
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    assert len(await _emails("grace@navy.example")) == 1
    assert await Invitation.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"email": "not-an-email"}, "email", "invalid_email"),
        ({"name": ""}, "name", "required"),
        ({"message": "x" * 5001}, "message", "too_long"),
        ({"links": ["javascript:alert(1)"]}, "links", "invalid_url"),
    ],
)
async def test_invalid_invite_writes_nothing(client, company, changes, field, code):
    response = await client.post("/api/invitations", json={**INVITE, **changes}, headers=company.headers)
    assert response.status_code == 422
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (field, code)
    assert await Contact.count() == 0 and await Invitation.count() == 0 and await OutboxEmail.count() == 0


@pytest.mark.parametrize("token", ["nope", "x" * 500, "a" * 43, "abc$def!", "%00"])
async def test_unknown_or_malformed_token_not_found(client, token):
    response = await client.get(f"/api/public/invitations/{token}")
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


async def test_invite_with_files_and_download(client, company):
    import json

    files = [
        ("files", ("cv.pdf", PDF, "application/pdf")),
        ("files", ("notes.txt", b"Plain notes", "text/plain")),
    ]
    response = await client.post(
        "/api/invitations/form", data={"invite": json.dumps(INVITE)}, files=files, headers=company.headers
    )
    assert response.status_code == 201, response.text
    contact = response.json()
    assert [f["filename"] for f in contact["files"]] == ["cv.pdf", "notes.txt"]
    file_id = contact["files"][0]["id"]
    download = await client.get(f"/api/contacts/{contact['id']}/files/{file_id}", headers=company.headers)
    assert download.status_code == 200 and download.content == PDF
    assert "attachment" in download.headers["content-disposition"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cv.exe", b"MZ\x90\x00", "file_type"),
        ("cv.pdf", b"<html>not a pdf</html>", "file_type"),
        ("empty.pdf", b"", "empty_file"),
    ],
)
async def test_invite_with_bad_file_writes_nothing(client, company, name, data, code):
    import json

    response = await client.post(
        "/api/invitations/form",
        data={"invite": json.dumps(INVITE)},
        files=[("files", (name, data, "application/octet-stream"))],
        headers=company.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {**response.json()["errors"][0], "field": "files", "code": code}
    assert await Contact.count() == 0 and await OutboxEmail.count() == 0 and await ContactFileRecord.count() == 0


async def test_oversize_file_refused(client, company):
    import json

    big = PDF + b"0" * (10 * 1024 * 1024)
    response = await client.post(
        "/api/invitations/form",
        data={"invite": json.dumps(INVITE)},
        files=[("files", ("big.pdf", big, "application/pdf"))],
        headers=company.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "file_too_large"
    assert await Contact.count() == 0


async def test_other_company_cannot_touch_invitations_or_files(client, company, other_company):
    import json

    response = await client.post(
        "/api/invitations/form",
        data={"invite": json.dumps(INVITE)},
        files=[("files", ("cv.pdf", PDF, "application/pdf"))],
        headers=company.headers,
    )
    contact = response.json()
    theirs = other_company.headers
    base = f"/api/contacts/{contact['id']}"
    assert (await client.post(f"{base}/invitation/resend", headers=theirs)).status_code == 404
    assert (await client.post(f"{base}/invitation/revoke", headers=theirs)).status_code == 404
    assert (await client.get(f"{base}/history", headers=theirs)).status_code == 404
    assert (await client.get(f"{base}/files/{contact['files'][0]['id']}", headers=theirs)).status_code == 404
    assert len(await _emails("grace@navy.example")) == 1
    assert (await client.get(base, headers=company.headers)).json()["status"] == "invited"


async def _queue(company, invites):
    from backend.db import write_transaction

    async with write_transaction():
        return await service.queue_invitations(company.principal, invites)


def _prepared(name: str, email: str, tags: list[str] | None = None, message: str = ""):
    from backend.contacts.service import ContactFields

    return PreparedInvite(
        fields=ContactFields(name=name, email=email, tags=tags or [], links=[], notes=""), message=message
    )


async def test_queue_invitations_writes_everything_in_batches(company):
    invites = [_prepared(f"P {i}", f"p{i}@example.com", ["bulk", f"t{i % 3}"], "Hi") for i in range(1200)]
    ids = await _queue(company, invites)
    assert len(ids) == 1200
    assert await Contact.count() == 1200 and await Invitation.count() == 1200 and await OutboxEmail.count() == 1200
    email = (await _emails("p7@example.com"))[0]
    assert "Hi P 7" in email["text_body"] and "/invite/" in email["text_body"]
    token = _token(email)
    assert (await public.preview_invitation(token)).name == "P 7"


async def test_queue_invitations_writes_nothing_when_an_email_is_in_the_pool(company):
    from backend.errors import Conflict

    await _invite_one(company, "taken@example.com")
    with pytest.raises(Conflict):
        await _queue(company, [_prepared("Good", "good@example.com"), _prepared("T", "taken@example.com")])
    assert await Contact.count() == 1 and await OutboxEmail.count() == 1


async def _invite_one(company, email):
    from shared.invitations import InviteCreate

    return await service.invite_contact(company.principal, InviteCreate(name="One", email=email))
