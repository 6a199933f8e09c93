"""The Reflex app's typed API client against the real BFF app (over ASGI, no network)."""

import sys
from pathlib import Path

import httpx
import msgspec
import pytest

from backend.app import create_app
from shared.accounts import LoginCreate, SignupCreate
from shared.contacts import ContactCreate, ContactStatus, ContactUpdate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "frontend"))
from talent_pool.api import ApiError, TalentPoolApi  # noqa: E402

SIGNUP = SignupCreate(company_name="Client Co", name="Cleo Client", email="cleo@client.example", password="a-long-password-1")


@pytest.fixture
async def http():
    """An httpx client wired straight to a fresh BFF app."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://bff") as client:
        yield client


async def test_client_round_trips_structs(http):
    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    created = await api.create_contact(ContactCreate(name="Ada", email="ADA@x.example", tags=["Math", "math"]))
    assert created.email == "ada@x.example" and created.tags == ["math"]
    assert created.status is ContactStatus.ACTIVE
    updated = await api.update_contact(created.id, ContactUpdate(name="Ada Lovelace"))
    assert (updated.name, updated.tags) == ("Ada Lovelace", ["math"])
    page = await api.list_contacts(q="lovelace", statuses=["active"], tags=["math"], sort="-name")
    assert page.total == 1 and page.items[0].id == created.id
    assert [t.name for t in await api.tags()] == ["math"]
    assert (await api.me()).company.name == "Client Co"


async def test_client_raises_problem_with_field_messages(http):
    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    with pytest.raises(ApiError) as caught:
        await api.create_contact(ContactCreate(name="", email="nope"))
    assert caught.value.status == 422
    assert set(caught.value.field_messages()) == {"name", "email"}


async def test_client_reports_401_after_logout(http):
    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    await api.logout()
    with pytest.raises(ApiError) as caught:
        await api.list_contacts()
    assert caught.value.is_unauthorized


async def test_client_login_wrong_password(http):
    await TalentPoolApi(http=http).signup(SIGNUP)
    with pytest.raises(ApiError) as caught:
        await TalentPoolApi(http=http).login(LoginCreate(email=SIGNUP.email, password="wrong-password"))
    assert caught.value.code == "invalid_credentials"


async def test_client_turns_unreachable_service_into_problem():
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as unreachable:
        with pytest.raises(ApiError) as caught:
            await TalentPoolApi("token", http=unreachable).list_contacts()
    assert caught.value.code == "unavailable" and caught.value.status == 503


def test_shared_structs_reject_unknown_fields():
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"name":"a","email":"b","is_admin":true}', type=ContactCreate)
    assert msgspec.json.encode(ContactUpdate(name="x")) == b'{"name":"x"}'


async def test_client_uploads_reviews_and_imports_a_csv(http):
    from backend.imports.runner import run_next_import
    from shared.imports import ImportSelection, ImportStatus, RowVerdict

    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    template = await api.import_template_csv()
    assert template.filename == "talent-pool-template.csv" and b"Name,Email,Tags" in template.data
    upload = await api.upload_csv("team.csv", b"Name;Email\r\nAda;ada@x.example\r\nBob;bob@x.example\r\nBad;bad\r\n")
    assert upload.delimiter == "semicolon" and upload.selected == 2
    page = await api.import_rows(upload.id, verdict=RowVerdict.INVALID_EMAIL)
    assert page.total == 1 and page.rows[0].email == "bad"
    assert (await api.select_import_rows(upload.id, ImportSelection(deselect=[3]))).selected == 1
    preview = await api.import_email_preview(upload.id, "Welcome aboard")
    assert "Welcome aboard" in preview.text and preview.to == "Ada <ada@x.example>"
    started = await api.start_import(upload.id, "Welcome aboard")
    assert started.status is ImportStatus.IMPORTING
    assert await run_next_import()
    done = await api.get_import(upload.id)
    assert done.status is ImportStatus.DONE and done.imported == 1
    assert [i.id for i in await api.recent_imports()] == [upload.id]
    report = await api.not_imported_csv(upload.id)
    assert report.filename == "team-not-imported.csv"
    assert "Bob" in report.data.decode("utf-8-sig") and "Not selected" in report.data.decode("utf-8-sig")
    with pytest.raises(ApiError) as caught:
        await api.upload_csv("x.csv", b"\x00\x01\x02binary")
    assert caught.value.code == "not_csv" and "file" in caught.value.field_messages()
