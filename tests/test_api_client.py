"""The Reflex app's typed API client against the real BFF app (over ASGI, no network)."""

import re
from datetime import date
from decimal import Decimal

import httpx
import msgspec
import pytest

from backend.app import create_app
from backend.contacts.tables import Contact
from shared.accounts import LoginCreate, SignupCreate
from shared.contacts import ContactCreate, ContactStatus, ContactUpdate
from shared.invitations import InvitationAccept, InviteCreate
from shared.jobs import JobOfferCreate, OfferStatus, RateUnit
from talent_pool.api import ApiError, FileUpload, TalentPoolApi
from tests.factories import make_worker

SIGNUP = SignupCreate(
    company_name="Client Co", name="Cleo Client", email="cleo@client.example", password="a-long-password-1"
)


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
    assert created.status is ContactStatus.NOT_INVITED
    updated = await api.update_contact(created.id, ContactUpdate(name="Ada Lovelace"))
    assert (updated.name, updated.tags) == ("Ada Lovelace", ["math"])
    page = await api.list_contacts(q="lovelace", statuses=["not_invited"], tags=["math"], sort="-name")
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


def _offer(title: str = "Data pipeline", **changes) -> JobOfferCreate:
    """A job offer with sensible values; `changes` override them."""
    fields = {
        "title": title,
        "start_date": date(2027, 3, 1),
        "end_date": date(2027, 4, 30),
        "rate": Decimal(85),
        "currency": "EUR",
        "rate_unit": RateUnit.HOUR,
        "location": "Berlin",
        **changes,
    }
    return JobOfferCreate(**fields)


async def test_client_offers_a_job_lists_and_withdraws_it(http):
    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    ada = await api.create_contact(ContactCreate(name="Ada", email="ada@x.example"))
    with pytest.raises(ApiError) as caught:
        await api.create_offer(ada.id, _offer(remote=True, location=""))
    assert caught.value.status == 409 and caught.value.code == "contact_not_active"
    # As if Ada had accepted an invitation: active, with her worker account behind the contact.
    await Contact.update({Contact.status: "active", Contact.worker: await make_worker("Ada", "ada@x.example")}).where(
        Contact.id == ada.id
    )
    with pytest.raises(ApiError) as caught:
        await api.offer_prefill(ada.id)
    assert caught.value.status == 422 and caught.value.code == "no_previous_job"

    offer = await api.create_offer(ada.id, _offer(remote=True, location=""))
    assert offer.contact_id == ada.id and offer.status is OfferStatus.OFFERED
    assert str(offer.rate) == "85.00" and offer.remote and offer.location == ""
    assert [item.id for item in (await api.list_offers(ada.id)).items] == [offer.id]
    prefill = await api.offer_prefill(ada.id)
    assert (prefill.title, prefill.currency, prefill.remote) == ("Data pipeline", "EUR", True)

    withdrawn = await api.withdraw_offer(offer.id)
    assert withdrawn.status is OfferStatus.WITHDRAWN
    with pytest.raises(ApiError) as caught:
        await api.withdraw_offer(offer.id)
    assert caught.value.status == 409

    with pytest.raises(ApiError) as caught:
        await api.create_offer(ada.id, _offer(title=" ", end_date=date(2027, 2, 1), currency="XXQ", location=""))
    assert caught.value.status == 422
    assert set(caught.value.field_messages()) == {"title", "end_date", "currency", "location"}

    invited = await api.create_contact(ContactCreate(name="Bob", email="bob@x.example"))
    await api.send_invitation(invited.id, "Hello Bob")
    assert (await api.get_contact(invited.id)).status is ContactStatus.INVITED
    with pytest.raises(ApiError) as caught:
        await api.create_offer(invited.id, _offer())
    assert caught.value.status == 409 and caught.value.code == "contact_not_active"
    assert (await api.list_contacts(worked_before=True)).total == 0


async def test_client_invites_with_an_offer_the_worker_accepts_then_declines_a_rehire(http):
    from backend.email.tables import OutboxEmail

    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    with pytest.raises(ApiError) as caught:
        await api.invite(InviteCreate(name="Nora", email="nora@x.example", offer=_offer(rate=0)))
    assert caught.value.status == 422 and "offer.rate" in caught.value.field_messages()

    contact = await api.invite(InviteCreate(name="Nora", email="nora@x.example", offer=_offer()))
    [pending] = (await api.list_offers(contact.id)).items
    assert pending.status is OfferStatus.PENDING

    [email] = await OutboxEmail.select().where(OutboxEmail.to_email == "nora@x.example")
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", email["text_body"]).group(1)
    worker_session = await TalentPoolApi(http=http).accept_invitation(
        token, InvitationAccept(name="Nora", password="a-long-password-1")
    )
    worker = TalentPoolApi(worker_session.token, http=http)
    [offered] = (await worker.worker_offers()).items
    assert (offered.id, offered.status, offered.company_name) == (pending.id, OfferStatus.OFFERED, "Client Co")
    assert (await worker.accept_offer(offered.id)).status is OfferStatus.ACCEPTED

    hired = await api.get_contact(contact.id)
    assert hired.last_engagement == "Data pipeline" and hired.last_engaged_at is not None
    page = await api.list_contacts(worked_before=True)
    assert [item.id for item in page.items] == [contact.id] and page.items[0].last_engagement == "Data pipeline"

    rehire = await api.offer_prefill(contact.id)
    assert (rehire.title, str(rehire.rate), rehire.currency) == ("Data pipeline", "85.00", "EUR")
    second = await api.create_offer(contact.id, rehire)
    assert (await worker.decline_offer(second.id)).status is OfferStatus.DECLINED
    with pytest.raises(ApiError) as caught:
        await worker.accept_offer(second.id)
    assert caught.value.status == 409 and caught.value.code == "offer_answered"
    assert [o.status for o in (await api.list_offers(contact.id)).items] == [OfferStatus.DECLINED, OfferStatus.ACCEPTED]


async def test_client_stages_files_then_invites_with_them(http):
    session = await TalentPoolApi(http=http).signup(SIGNUP)
    api = TalentPoolApi(session.token, http=http)
    cv = await api.stage_upload(
        FileUpload(filename="cv.pdf", data=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    )
    extra = await api.stage_upload(FileUpload(filename="notes.txt", data=b"Notes", content_type="text/plain"))
    assert (cv.name, cv.size) == ("cv.pdf", 15)
    await api.remove_upload(extra.id)
    with pytest.raises(ApiError) as caught:
        await api.remove_upload(extra.id)
    assert caught.value.status == 404 and caught.value.problem.code == "upload_not_found"
    with pytest.raises(ApiError) as caught:
        await api.stage_upload(FileUpload(filename="setup.exe", data=b"MZ"))
    assert caught.value.status == 422 and set(caught.value.field_messages()) == {"file"}
    contact = await api.invite(InviteCreate(name="Nora", email="nora@files.example", upload_ids=[cv.id]))
    assert [file.filename for file in contact.files] == ["cv.pdf"]
