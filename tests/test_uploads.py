"""Staged uploads: files sent one by one, then attached by an invitation (limits, types, tenancy, expiry)."""

from datetime import timedelta
from pathlib import Path

import pytest

from backend.clock import utcnow
from backend.contacts.tables import Contact, ContactFileRecord
from backend.email.tables import OutboxEmail
from backend.errors import Conflict, FieldErrors
from backend.invitations.sweeper import remove_unreferenced_files
from backend.settings import get_settings
from backend.uploads.service import MAX_STAGED_PER_USER, attach_uploads, expire_staged_uploads, uploads_for_invite
from backend.uploads.tables import StagedUpload
from shared.limits import MAX_FILES
from tests.factories import make_contact

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INVITE = {"name": "Grace Hopper", "email": "grace@navy.example", "message": "Hello"}


async def _stage(client, company, filename: str = "cv.pdf", data: bytes = PDF):
    return await client.post("/api/uploads", params={"filename": filename}, content=data, headers=company.headers)


async def _staged_id(client, company, filename: str = "cv.pdf", data: bytes = PDF) -> int:
    response = await _stage(client, company, filename, data)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _stored(key: str) -> Path:
    return Path(get_settings().files_dir) / key


async def test_stage_upload_keeps_checked_file(client, company):
    response = await _stage(client, company, "../../etc/cv.pdf")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "cv.pdf" and body["size"] == len(PDF)
    row = await StagedUpload.select().where(StagedUpload.id == body["id"]).first()
    assert row["company"] == company.principal.company_id and row["uploaded_by"] == company.principal.user_id
    assert row["content_type"] == "application/pdf"
    assert _stored(row["storage_key"]).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.exe", b"MZ\x90\x00", "file_type"),
        ("cv.pdf", b"<html>not a pdf</html>", "file_type"),
        ("notes.txt", b"\xff\xfe\x00bad", "file_type"),
        ("empty.pdf", b"", "empty_file"),
    ],
)
async def test_stage_upload_bad_file_refused(client, company, name, data, code):
    response = await _stage(client, company, name, data)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"][0]["field"] == "file" and response.json()["errors"][0]["code"] == code
    assert await StagedUpload.count() == 0


async def test_stage_upload_too_large_refused(client, company):
    response = await _stage(client, company, "big.pdf", PDF + b"0" * get_settings().max_file_bytes)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"
    assert await StagedUpload.count() == 0


async def test_stage_upload_without_session_refused(client):
    response = await client.post("/api/uploads", params={"filename": "cv.pdf"}, content=PDF)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert await StagedUpload.count() == 0


async def test_stage_upload_without_filename_refused(client, company):
    response = await client.post("/api/uploads", content=PDF, headers=company.headers)
    assert response.status_code == 400 and response.json()["code"] == "malformed_body"
    assert await StagedUpload.count() == 0


async def test_stage_upload_over_pending_limit_refused(client, company):
    for n in range(MAX_STAGED_PER_USER):
        await _staged_id(client, company, f"cv{n}.pdf")
    response = await _stage(client, company)
    assert response.status_code == 422 and response.json()["code"] == "too_many_uploads"
    assert await StagedUpload.count() == MAX_STAGED_PER_USER


async def test_remove_upload_deletes_row_and_bytes(client, company):
    upload_id = await _staged_id(client, company)
    key = (await StagedUpload.select().first())["storage_key"]
    response = await client.delete(f"/api/uploads/{upload_id}", headers=company.headers)
    assert response.status_code == 204
    assert await StagedUpload.count() == 0 and not _stored(key).exists()
    again = await client.delete(f"/api/uploads/{upload_id}", headers=company.headers)
    assert again.status_code == 404 and again.json()["code"] == "upload_not_found"


@pytest.mark.parametrize(
    ("upload_id", "status", "code"),
    [
        ("0", 422, "validation_failed"),
        ("-1", 422, "validation_failed"),
        ("99999999999", 422, "validation_failed"),
        ("abc", 404, "not_found"),
    ],
)
async def test_remove_upload_bad_id_refused(client, company, upload_id, status, code):
    response = await client.delete(f"/api/uploads/{upload_id}", headers=company.headers)
    assert response.status_code == status and response.json()["code"] == code
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_invite_with_upload_ids_attaches_files(client, company):
    first = await _staged_id(client, company, "cv.pdf")
    second = await _staged_id(client, company, "notes.md", b"# Grace\nCompilers.")
    keys = {row["id"]: row["storage_key"] for row in await StagedUpload.select()}
    response = await client.post(
        "/api/invitations", json={**INVITE, "upload_ids": [second, first]}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    contact = response.json()
    assert [file["filename"] for file in contact["files"]] == ["notes.md", "cv.pdf"]
    assert await StagedUpload.count() == 0
    rows = await ContactFileRecord.select().order_by(ContactFileRecord.id)
    assert [row["storage_key"] for row in rows] == [keys[second], keys[first]]
    download = await client.get(
        f"/api/contacts/{contact['id']}/files/{contact['files'][1]['id']}", headers=company.headers
    )
    assert download.status_code == 200 and download.content == PDF


async def test_invite_with_used_upload_id_refused(client, company):
    upload_id = await _staged_id(client, company)
    assert (
        await client.post("/api/invitations", json={**INVITE, "upload_ids": [upload_id]}, headers=company.headers)
    ).status_code == 201
    again = await client.post(
        "/api/invitations",
        json={**INVITE, "email": "ada@example.com", "upload_ids": [upload_id]},
        headers=company.headers,
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "upload_ids"
    assert again.json()["errors"][0]["code"] == "upload_unavailable"
    assert await Contact.count() == 1 and await ContactFileRecord.count() == 1


async def test_invite_with_expired_upload_id_refused(client, company):
    upload_id = await _staged_id(client, company)
    await StagedUpload.update({StagedUpload.created_at: utcnow() - timedelta(hours=25)}).where(
        StagedUpload.id == upload_id
    )
    response = await client.post(
        "/api/invitations", json={**INVITE, "upload_ids": [upload_id]}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "upload_unavailable"
    assert await Contact.count() == 0 and await OutboxEmail.count() == 0


async def test_invite_with_unknown_upload_id_writes_nothing(client, company):
    response = await client.post("/api/invitations", json={**INVITE, "upload_ids": [424242]}, headers=company.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "upload_unavailable"
    assert await Contact.count() == 0 and await OutboxEmail.count() == 0


async def test_invite_with_too_many_upload_ids_refused(client, company):
    ids = [await _staged_id(client, company, f"cv{n}.pdf") for n in range(MAX_FILES + 1)]
    response = await client.post("/api/invitations", json={**INVITE, "upload_ids": ids}, headers=company.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {**response.json()["errors"][0], "field": "upload_ids", "code": "too_many"}
    assert await Contact.count() == 0 and await StagedUpload.count() == MAX_FILES + 1


@pytest.mark.parametrize(
    ("upload_ids", "code"),
    [
        ([0], "out_of_range"),
        ([-3], "out_of_range"),
        ([2**40], "out_of_range"),
        (["1"], "upload_unavailable"),
        (list(range(1, 30)), "invalid"),
    ],
)
async def test_invite_with_malformed_upload_ids_refused(client, company, upload_ids, code):
    response = await client.post("/api/invitations", json={**INVITE, "upload_ids": upload_ids}, headers=company.headers)
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
    assert response.json()["errors"][0] == {**response.json()["errors"][0], "field": "upload_ids", "code": code}
    assert await Contact.count() == 0


async def test_other_company_cannot_use_or_remove_upload(client, company, other_company):
    upload_id = await _staged_id(client, company)
    removed = await client.delete(f"/api/uploads/{upload_id}", headers=other_company.headers)
    assert removed.status_code == 404 and removed.json()["code"] == "upload_not_found"
    used = await client.post(
        "/api/invitations", json={**INVITE, "upload_ids": [upload_id]}, headers=other_company.headers
    )
    assert used.status_code == 422 and used.json()["errors"][0]["code"] == "upload_unavailable"
    assert await Contact.count() == 0 and await StagedUpload.count() == 1
    mine = await client.post("/api/invitations", json={**INVITE, "upload_ids": [upload_id]}, headers=company.headers)
    assert mine.status_code == 201 and len(mine.json()["files"]) == 1


async def test_expire_staged_uploads_removes_old_rows_and_bytes(client, company):
    old = await _staged_id(client, company, "old.pdf")
    fresh = await _staged_id(client, company, "fresh.pdf")
    keys = {row["id"]: row["storage_key"] for row in await StagedUpload.select()}
    await StagedUpload.update({StagedUpload.created_at: utcnow() - timedelta(hours=24, minutes=1)}).where(
        StagedUpload.id == old
    )
    assert await expire_staged_uploads() == 1
    assert [row["id"] for row in await StagedUpload.select(StagedUpload.id)] == [fresh]
    assert not _stored(keys[old]).exists() and _stored(keys[fresh]).exists()


async def test_sweep_keeps_bytes_of_staged_uploads(client, company):
    await _staged_id(client, company)
    key = (await StagedUpload.select().first())["storage_key"]
    await remove_unreferenced_files(grace_seconds=-1)
    assert _stored(key).exists()


async def test_attach_uploads_taken_meanwhile_conflict(client, company):
    upload_id = await _staged_id(client, company)
    errors = FieldErrors()
    rows = await uploads_for_invite(company.principal, [upload_id], errors)
    assert rows and not errors.errors
    await StagedUpload.delete().where(StagedUpload.id == upload_id)  # another invitation took it
    contact = await make_contact(company)
    with pytest.raises(Conflict) as caught:
        await attach_uploads(company.principal, rows, contact.id)
    assert caught.value.code == "upload_unavailable"
    assert await ContactFileRecord.count() == 0
