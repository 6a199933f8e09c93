"""Consent and privacy: statuses change only through the flows, invitations of contacts added by hand,
no company learns which emails have worker accounts, email changes, and a deleted contact's files."""

import asyncio
import json
import os
import re
import time
from pathlib import Path

import pytest

from backend.auth import WorkerPrincipal
from backend.connections.service import list_connections
from backend.contacts.tables import Contact, ContactFileRecord, Invitation
from backend.email.tables import OutboxEmail
from backend.errors import RuleViolation
from backend.imports.preview import StoredRow, pack_rows, unpack_rows
from backend.invitations import service
from backend.invitations.sweeper import remove_unreferenced_files
from backend.settings import get_settings
from backend.workers.tables import Worker
from shared.contacts import ContactStatus
from tests.factories import make_contact, make_worker

PASSWORD = "a-strong-password-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFER = {
    "title": "Brand refresh",
    "start_date": "2027-03-01",
    "end_date": "2027-04-30",
    "rate": "85.00",
    "rate_unit": "hour",
    "currency": "EUR",
    "remote": True,
}


async def _add(client, company, **fields) -> dict:
    response = await client.post(
        "/api/contacts", json={"name": "Grace Hopper", "email": "grace@navy.example", **fields}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _send(client, company, contact_id: int, message: str = "Join us"):
    return await client.post(
        f"/api/contacts/{contact_id}/invitation", json={"message": message}, headers=company.headers
    )


async def _contact(client, company, contact_id: int) -> dict:
    return (await client.get(f"/api/contacts/{contact_id}", headers=company.headers)).json()


def _link_token(email: dict) -> str:
    return re.search(r"/invite/([A-Za-z0-9_-]+)", email["text_body"]).group(1)


async def _worker(email: str = "grace@navy.example") -> int:
    return await make_worker("Grace", email)


# Statuses: only the flows set them


async def test_create_contact_by_hand_is_not_invited(client, company):
    contact = await _add(client, company)
    assert (contact["status"], contact["source"]) == ("not_invited", "manual")
    counts = {
        c["status"]: c["count"]
        for c in (await client.get("/api/contacts/status-counts", headers=company.headers)).json()
    }
    assert counts["not_invited"] == 1 and "connection_requested" not in counts
    listed = await client.get("/api/contacts", params={"status": "not_invited"}, headers=company.headers)
    assert [c["id"] for c in listed.json()["items"]] == [contact["id"]]
    assert await Invitation.count() == 0 and await OutboxEmail.count() == 0


@pytest.mark.parametrize("status", ["active", "declined", "not_invited", "connection_requested"])
async def test_update_contact_status_refused(client, company, status):
    contact = await _add(client, company)
    response = await client.patch(f"/api/contacts/{contact['id']}", json={"status": status}, headers=company.headers)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("status", "unknown_field")]
    assert (await _contact(client, company, contact["id"]))["status"] == "not_invited"


# Invite a contact added by hand


async def test_send_invitation_not_invited_emails_personal_link(client, company):
    contact = await _add(client, company, tags=["cobol"])
    response = await _send(client, company, contact["id"], "We'd love to work with you")
    assert response.status_code == 204, response.text
    after = await _contact(client, company, contact["id"])
    assert after["status"] == "invited" and after["invitation_expires_at"] is not None
    [invitation] = await Invitation.select().where(Invitation.contact == contact["id"])
    assert (invitation["kind"], invitation["state"], invitation["message"]) == (
        "signup",
        "pending",
        "We'd love to work with you",
    )
    [email] = await OutboxEmail.select().where(OutboxEmail.to_email == "grace@navy.example")
    assert email["kind"] == "invitation" and "http://testserver.local/invite/" in email["text_body"]
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [h["kind"] for h in history] == ["invitation_sent", "added"]


async def test_send_invitation_worker_email_sends_connection_request_shown_invited(client, company):
    await _worker()
    contact = await _add(client, company)
    assert (await _send(client, company, contact["id"])).status_code == 204
    [email] = await OutboxEmail.select().where(OutboxEmail.to_email == "grace@navy.example")
    assert email["kind"] == "connection_request"
    row = await Contact.select(Contact.status, Contact.worker).where(Contact.id == contact["id"]).first()
    assert row["status"] == "invited" and row["worker"] is not None
    after = await _contact(client, company, contact["id"])
    assert after["status"] == "invited"
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [(h["kind"], h["summary"]) for h in history][0] == ("invitation_sent", "Invitation sent")


async def test_send_invitation_twice_refused(client, company):
    contact = await _add(client, company)
    assert (await _send(client, company, contact["id"])).status_code == 204
    again = await _send(client, company, contact["id"])
    assert again.status_code == 422 and again.json()["code"] == "already_invited"
    assert await Invitation.count() == 1 and await OutboxEmail.count() == 1


async def test_send_invitation_active_contact_refused(client, company):
    contact = await make_contact(company, status=ContactStatus.ACTIVE)
    response = await _send(client, company, contact.id)
    assert response.status_code == 422 and response.json()["code"] == "already_invited"
    assert await Invitation.count() == 0


async def test_send_invitation_other_company_not_found(client, company, other_company):
    contact = await _add(client, company)
    response = await _send(client, other_company, contact["id"])
    assert response.status_code == 404 and response.json()["code"] == "contact_not_found"
    assert (await _contact(client, company, contact["id"]))["status"] == "not_invited"
    assert await Invitation.count() == 0 and await OutboxEmail.count() == 0


@pytest.mark.parametrize(
    ("body", "field"), [({"message": "x" * 5001}, "message"), ({"message": "hi", "status": "active"}, "status")]
)
async def test_send_invitation_bad_body_refused(client, company, body, field):
    contact = await _add(client, company)
    response = await client.post(f"/api/contacts/{contact['id']}/invitation", json=body, headers=company.headers)
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field
    assert await Invitation.count() == 0


async def test_send_invitation_without_session_refused(client, company):
    contact = await _add(client, company)
    response = await client.post(f"/api/contacts/{contact['id']}/invitation", json={})
    assert response.status_code == 401


# Privacy: whether an email has a worker account stays hidden until the person answers


async def test_invite_worker_email_looks_like_new_person(client, company):
    await _worker("worker@example.com")
    replies = {}
    for email in ("new@example.com", "worker@example.com"):
        response = await client.post("/api/invitations", json={"name": "P", "email": email}, headers=company.headers)
        assert response.status_code == 201
        body = response.json()
        history = (await client.get(f"/api/contacts/{body['id']}/history", headers=company.headers)).json()
        replies[email] = (
            body["status"],
            sorted(k for k, v in body.items() if v is not None),
            [(h["kind"], h["summary"]) for h in history],
        )
    assert replies["new@example.com"] == replies["worker@example.com"]
    invited = await client.get("/api/contacts", params={"status": "invited", "q": "example"}, headers=company.headers)
    assert invited.json()["total"] == 2
    counts = {
        c["status"]: c["count"]
        for c in (await client.get("/api/contacts/status-counts", headers=company.headers)).json()
    }
    assert counts["invited"] == 2
    kinds = sorted(e["kind"] for e in await OutboxEmail.select(OutboxEmail.kind))
    assert kinds == ["connection_request", "invitation"]


async def test_connection_request_reaches_worker_then_answer_shows(client, company, other_company):
    invited = await client.post(
        "/api/invitations", json={"name": "Grace", "email": "grace@navy.example"}, headers=company.headers
    )
    session = await client.post(
        f"/api/public/invitations/{_link_token(await OutboxEmail.select().first())}/accept",
        json={"name": "Grace", "password": PASSWORD},
    )
    assert invited.status_code == 201 and session.status_code == 201
    headers = {"Authorization": f"Bearer {session.json()['token']}"}
    contact = await _add(client, other_company, name="G. Hopper")
    assert (await _send(client, other_company, contact["id"], "Hello from Globex")).status_code == 204
    # The worker still gets the in-platform request and its email.
    portal = (await client.get("/api/worker/connections", headers=headers)).json()
    assert [(r["company_name"], r["message"]) for r in portal["requests"]] == [("Globex Corp", "Hello from Globex")]
    assert (await OutboxEmail.select(OutboxEmail.kind).order_by(OutboxEmail.id, ascending=False).first())[
        "kind"
    ] == "connection_request"
    assert (await _contact(client, other_company, contact["id"]))["status"] == "invited"
    accepted = await client.post(f"/api/worker/connections/{contact['id']}/accept", headers=headers)
    assert accepted.status_code == 200
    assert (await _contact(client, other_company, contact["id"]))["status"] == "active"
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=other_company.headers)).json()
    assert history[0]["kind"] == "connection_accepted"


async def test_revoke_connection_request_history_says_invitation(client, company):
    await _worker()
    contact = await _add(client, company)
    await _send(client, company, contact["id"])
    assert (
        await client.post(f"/api/contacts/{contact['id']}/invitation/revoke", headers=company.headers)
    ).status_code == 204
    assert (
        await client.post(f"/api/contacts/{contact['id']}/invitation/resend", headers=company.headers)
    ).status_code == 204
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [h["kind"] for h in history] == ["invitation_resent", "invitation_revoked", "invitation_sent", "added"]
    assert (await _contact(client, company, contact["id"]))["status"] == "invited"


async def test_csv_upload_worker_email_reads_new(client, company):
    await _worker("worker@example.com")
    csv = b"name,email\nWorker Bee,worker@example.com\nNew Person,new@example.com\n"
    response = await client.post(
        "/api/imports", params={"filename": "people.csv"}, content=csv, headers=company.headers
    )
    assert response.status_code == 201, response.text
    summary = response.json()
    assert {c["verdict"]: c["count"] for c in summary["counts"] if c["count"]} == {"new": 2}
    assert summary["selected"] == 2 and "connection_requested" not in summary
    rows = (await client.get(f"/api/imports/{summary['id']}/rows", headers=company.headers)).json()["rows"]
    assert [r["verdict"] for r in rows] == ["new", "new"]


async def test_unpack_rows_older_worker_verdict_reads_new():
    packed = pack_rows(
        [StoredRow(1, "A", "a@x.example", [], "existing_worker"), StoredRow(2, "B", "b@x.example", [], "in_pool")]
    )
    assert [row.verdict for row in unpack_rows(packed)] == ["new", "in_pool"]


# Hiring needs the person's consent


async def test_hire_active_without_worker_refused(client, company):
    contact = await _add(client, company)
    await Contact.update({Contact.status: "active"}).where(Contact.id == contact["id"])
    response = await client.post(f"/api/contacts/{contact['id']}/offers", json=OFFER, headers=company.headers)
    assert response.status_code == 409 and response.json()["code"] == "contact_not_active"
    assert await OutboxEmail.count() == 0


async def test_hire_after_invite_and_accept_succeeds(client, company):
    contact = await _add(client, company)
    await _send(client, company, contact["id"])
    token = _link_token(await OutboxEmail.select().first())
    assert (
        await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": PASSWORD})
    ).status_code == 201
    assert (await _contact(client, company, contact["id"]))["status"] == "active"
    response = await client.post(f"/api/contacts/{contact['id']}/offers", json=OFFER, headers=company.headers)
    assert response.status_code == 201, response.text


# Email changes


async def test_update_email_linked_worker_refused(client, company):
    contact = await make_contact(company, email="ada@example.com", status=ContactStatus.ACTIVE)
    response = await client.patch(
        f"/api/contacts/{contact.id}", json={"email": "ada@elsewhere.example"}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["code"] == "email_linked_to_worker"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("email", "email_linked_to_worker")]
    assert (await _contact(client, company, contact.id))["email"] == "ada@example.com"


@pytest.mark.parametrize("has_worker", [False, True])
async def test_update_email_pending_invitation_refused_alike(client, company, has_worker):
    if has_worker:
        await _worker()
    contact = await _add(client, company)
    await _send(client, company, contact["id"])
    response = await client.patch(
        f"/api/contacts/{contact['id']}", json={"email": "g@other.example"}, headers=company.headers
    )
    # The same answer whether or not the email has a worker account.
    assert response.status_code == 422 and response.json()["code"] == "email_invitation_pending"
    assert (await _contact(client, company, contact["id"]))["email"] == "grace@navy.example"


async def test_update_email_not_invited_allowed(client, company):
    contact = await _add(client, company)
    response = await client.patch(
        f"/api/contacts/{contact['id']}", json={"email": " G@Other.example "}, headers=company.headers
    )
    assert response.status_code == 200 and response.json()["email"] == "g@other.example"


async def test_update_email_after_revoked_request_starts_over(client, company):
    await _worker()
    contact = await _add(client, company)
    await _send(client, company, contact["id"])
    await client.post(f"/api/contacts/{contact['id']}/invitation/revoke", headers=company.headers)
    response = await client.patch(
        f"/api/contacts/{contact['id']}", json={"email": "new@other.example"}, headers=company.headers
    )
    assert response.status_code == 200, response.text
    assert (await Contact.select(Contact.worker).where(Contact.id == contact["id"]).first())["worker"] is None
    assert (
        await client.post(f"/api/contacts/{contact['id']}/invitation/resend", headers=company.headers)
    ).status_code == 204
    latest = (
        await Invitation.select()
        .where(Invitation.contact == contact["id"])
        .order_by(Invitation.id, ascending=False)
        .first()
    )
    assert (latest["email"], latest["kind"]) == ("new@other.example", "signup")


async def test_update_email_other_company_not_found(client, company, other_company):
    contact = await _add(client, company)
    response = await client.patch(
        f"/api/contacts/{contact['id']}", json={"email": "x@y.example"}, headers=other_company.headers
    )
    assert response.status_code == 404
    assert (await _contact(client, company, contact["id"]))["email"] == "grace@navy.example"


# Files


async def _invite_with_file(client, company, email: str) -> tuple[dict, Path]:
    response = await client.post(
        "/api/invitations/form",
        data={"invite": json.dumps({"name": "Grace", "email": email})},
        files=[("files", ("cv.pdf", PDF, "application/pdf"))],
        headers=company.headers,
    )
    assert response.status_code == 201, response.text
    key = (
        await ContactFileRecord.select(ContactFileRecord.storage_key)
        .where(ContactFileRecord.contact == response.json()["id"])
        .first()
    )["storage_key"]
    return response.json(), Path(get_settings().files_dir) / key


async def test_delete_contact_removes_its_files(client, company):
    contact, path = await _invite_with_file(client, company, "one@example.com")
    assert path.exists()
    assert (await client.delete(f"/api/contacts/{contact['id']}", headers=company.headers)).status_code == 204
    assert not path.exists() and await ContactFileRecord.count() == 0


async def test_bulk_delete_contacts_removes_their_files(client, company, other_company):
    first, first_path = await _invite_with_file(client, company, "one@example.com")
    second, second_path = await _invite_with_file(client, company, "two@example.com")
    theirs, their_path = await _invite_with_file(client, other_company, "three@example.com")
    refused = await client.post(
        "/api/contacts/bulk-delete", json={"ids": [first["id"], theirs["id"]]}, headers=company.headers
    )
    assert refused.status_code == 404 and first_path.exists() and their_path.exists()
    done = await client.post(
        "/api/contacts/bulk-delete", json={"ids": [first["id"], second["id"]]}, headers=company.headers
    )
    assert done.status_code == 204
    assert not first_path.exists() and not second_path.exists() and their_path.exists()


async def test_sweep_removes_old_unreferenced_files_only(client, company):
    _, kept = await _invite_with_file(client, company, "one@example.com")
    folder = Path(get_settings().files_dir)
    orphan, leftover, fresh = folder / ("a" * 32), folder / ("b" * 32 + ".part"), folder / ("c" * 32)
    for path in (orphan, leftover, fresh):
        path.write_bytes(b"x")
    hour_ago = time.time() - 7200
    for path in (kept, orphan, leftover):
        os.utime(path, (hour_ago, hour_ago))
    assert await remove_unreferenced_files(grace_seconds=3600) >= 2
    assert kept.exists() and fresh.exists()
    assert not orphan.exists() and not leftover.exists()
    fresh.unlink()


async def test_list_connections_notes_request_opened_like_a_link(client, company):
    await make_worker("Grace", "grace@navy.example")
    contact = await _add(client, company)
    await _send(client, company, contact["id"])
    worker = await Worker.select(Worker.id).where(Worker.email == "grace@navy.example").first()
    principal = WorkerPrincipal(worker_id=worker["id"], name="Grace", session_id=0, email_confirmed=True)
    for _ in range(2):
        assert [r.id for r in (await list_connections(principal)).requests] == [contact["id"]]
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [(h["kind"], h["summary"]) for h in history][:2] == [
        ("invitation_opened", "Invitation opened"),
        ("invitation_sent", "Invitation sent"),
    ]
    assert len(history) == 3


async def test_send_invitation_concurrent_clicks_send_one(client, company):
    contact = await _add(client, company)
    results = await asyncio.gather(
        *[service.send_invitation(company.principal, contact["id"]) for _ in range(4)], return_exceptions=True
    )
    assert sum(result is None for result in results) == 1
    assert all(isinstance(result, RuleViolation) for result in results if result is not None)
    assert await Invitation.count() == 1 and await OutboxEmail.count() == 1


async def test_resend_not_invited_refused_with_invite_hint(client, company):
    contact = await _add(client, company)
    single = await client.post(f"/api/contacts/{contact['id']}/invitation/resend", headers=company.headers)
    assert single.status_code == 422 and single.json()["code"] == "not_invited"
    bulk = await client.post("/api/invitations/resend", json={"ids": [contact["id"]]}, headers=company.headers)
    assert (
        bulk.status_code == 200 and bulk.json()["done"] == [] and "Invite" in bulk.json()["skipped"][str(contact["id"])]
    )
    assert await Invitation.count() == 0 and await OutboxEmail.count() == 0
