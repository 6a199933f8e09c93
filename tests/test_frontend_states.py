"""The largest web app states, driven through their event handlers against the real BFF in-process.

Each test holds one browser tab's state tree the way the web app does (Reflex's state manager,
in memory), signs the tab in through the BFF, runs the states' event handlers as Reflex would
(collecting what they yield) and checks the state fields and the database rows. The BFF is the
real app behind an httpx ASGI transport: no network, no mocks.
"""

from __future__ import annotations

import inspect
import io
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import reflex as rx
from reflex.event import EventHandler
from reflex.istate.data import RouterData
from reflex.istate.manager import StateManager

import talent_pool.talent_pool  # noqa: F401  (registers every page and state of the app)
from backend.app import create_app
from backend.contacts.tables import Contact, Invitation
from backend.imports.runner import run_next_import
from backend.imports.tables import CsvImport
from backend.reminders.tables import ReminderSchedule
from shared.accounts import LoginCreate
from shared.contacts import ContactStatus
from shared.imports import ImportStatus, RowVerdict
from shared.limits import MESSAGE_MAX
from talent_pool.api import TalentPoolApi, use_http_client
from talent_pool.states.csv_import import CsvImportState
from talent_pool.states.csv_progress import CsvProgressState
from talent_pool.states.csv_review import CsvReviewState
from talent_pool.states.csv_upload import CsvUploadState
from talent_pool.states.pool import PoolState
from talent_pool.states.pool_bulk import PoolBulkState
from talent_pool.states.pool_decisions import PoolDecisionState
from talent_pool.states.pool_tags import PoolTagsState
from talent_pool.states.profile import ProfileState
from talent_pool.states.profile_invitation import ProfileInvitationState
from talent_pool.states.profile_jobs import ProfileJobsState
from talent_pool.states.session import LOGIN_ROUTE, SessionState
from talent_pool.states.settings import SettingsState
from tests.factories import PASSWORD, CompanyFixture, make_contact

# The class of the events a handler returns, e.g. rx.redirect(…).
REDIRECT = type(rx.redirect("/"))
TEAM_CSV = (
    b"Name;Email;Tags\r\nAda;ada@x.example;maths\r\nBob;bob@x.example;\r\nBad;bad;\r\nAda again;ADA@x.example;\r\n"
)


@pytest.fixture
async def bff() -> AsyncIterator[httpx.AsyncClient]:
    """The web app's BFF calls on this event loop go to a fresh BFF app, in-process."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://bff") as http:
        use_http_client(http)
        try:
            yield http
        finally:
            use_http_client(None)


@pytest.fixture
async def tab(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[rx.State]:
    """One browser tab's state tree, as Reflex's in-memory state manager holds it."""
    monkeypatch.setattr(rx.config.get_config(), "state_manager_mode", rx.constants.StateManagerMode.MEMORY)
    manager = StateManager.create()
    try:
        async with manager.modify_state(rx.BaseStateToken(ident=str(uuid.uuid4()), cls=SessionState)) as root:
            yield root
    finally:
        await manager.close()


async def sign_in(tab: rx.State, http: httpx.AsyncClient, company: CompanyFixture) -> SessionState:
    """Log the tab in as the company's user, as the login form does."""
    session = await TalentPoolApi(http=http).login(LoginCreate(email=company.email, password=PASSWORD))
    state = await tab.get_state(SessionState)
    state._remember_session(session)
    return state


def open_page(tab: rx.State, path: str, route: str, **params: str) -> None:
    """The tab is on `path` (of the page `route`, with its dynamic `params`), as after a navigation."""
    tab.router = RouterData.from_router_data(
        {"pathname": route, "asPath": path, "query": params, "headers": {"origin": "http://web"}}
    )


async def run(state: rx.State, handler: EventHandler, *args: Any) -> list[Any]:
    """Run an event handler on a state as Reflex does; what it yielded or returned (None entries dropped)."""
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result):
        updates = [update async for update in result]
    else:
        if inspect.iscoroutine(result):
            result = await result
        updates = list(result) if inspect.isgenerator(result) else [result]
    return [update for update in updates if update is not None]


def redirects(updates: list[Any]) -> list[str]:
    """The paths the updates send the browser to (rx.redirect events)."""
    return [
        json.loads(str(value))
        for update in updates
        if isinstance(update, REDIRECT) and update.handler.fn.__qualname__ == "_redirect"
        for name, value in update.args
        if str(name) == "path"
    ]


def csv_file(name: str, data: bytes) -> rx.UploadFile:
    """A file as the browser uploads it."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


# -- CSV upload dialog ---------------------------------------------------------------------


async def test_upload_csv_states_review_select_and_import(bff, tab, company):
    await sign_in(tab, bff, company)
    upload = await tab.get_state(CsvUploadState)
    review = await tab.get_state(CsvReviewState)
    await run(upload, CsvUploadState.open_dialog)
    assert (upload.dialog_open, upload.step) == (True, "upload")
    assert company.name in review.message

    await run(upload, CsvUploadState.upload, [csv_file("team.csv", TEAM_CSV)])
    assert (upload.step, upload.uploading, upload.file_error) == ("review", False, "")
    assert upload.filename == "team.csv" and upload.total_rows == 4 and upload.selected == 2
    assert review.file_facts.endswith("semicolon-separated · 4 rows")
    assert [row.email for row in review.rows] == ["ada@x.example", "bob@x.example", "bad", "ada@x.example"]
    assert [row.importable for row in review.rows] == [True, True, False, False]
    assert [item.label for item in review.filters] == ["All", "New", "Invalid email", "Duplicate in file"]

    await run(review, CsvReviewState.filter_verdict, RowVerdict.INVALID_EMAIL.value)
    assert [row.email for row in review.rows] == ["bad"] and review.rows_total == 1
    await run(review, CsvReviewState.filter_verdict, "")
    await run(review, CsvReviewState.toggle_row, 3, False)
    assert review.selected == 1 and review.import_summary_text.startswith("1 person will be added")
    [stored] = await CsvImport.select(CsvImport.selected, CsvImport.company).where(CsvImport.id == upload.import_id)
    assert stored["selected"] == 1

    await run(review, CsvReviewState.set_message, "x" * (MESSAGE_MAX + 1))
    assert review.message_too_long
    await run(review, CsvReviewState.start_import)
    assert set(review.errors) == {"message"} and review.step == "review"
    assert await Contact.count() == 0

    await run(review, CsvReviewState.set_message, "Welcome aboard")
    updates = await run(review, CsvReviewState.start_import)
    assert review.errors == {} and review.step == "progress" and review.status == ImportStatus.IMPORTING.value
    assert CsvProgressState.watch_import in updates
    assert await run_next_import()
    contacts = await Contact.select(Contact.email, Contact.status).order_by(Contact.email)
    assert contacts == [{"email": "ada@x.example", "status": ContactStatus.INVITED.value}]
    assert await Invitation.count() == 1


async def test_upload_csv_state_not_csv_shows_file_error(bff, tab, company):
    await sign_in(tab, bff, company)
    upload = await tab.get_state(CsvUploadState)
    await run(upload, CsvUploadState.open_dialog)
    await run(upload, CsvUploadState.upload, [csv_file("photo.csv", b"\x00\x01\x02binary")])
    assert upload.step == "upload" and upload.file_error and not upload.uploading
    assert await CsvImport.count() == 0
    await run(upload, CsvUploadState.file_rejected, [{"name": "big.csv", "codes": ["file-too-large"]}])
    assert "big.csv" in upload.file_error


async def test_upload_csv_state_session_ended_goes_to_login(bff, tab, company):
    session = await sign_in(tab, bff, company)
    await TalentPoolApi(session.token, http=bff).logout()
    upload = await tab.get_state(CsvUploadState)
    open_page(tab, "/", "/")
    updates = await run(upload, CsvUploadState.upload, [csv_file("team.csv", TEAM_CSV)])
    assert redirects(updates) == [LOGIN_ROUTE]
    assert session.token == "" and session.user_name == ""
    assert await CsvImport.count() == 0


async def test_dismiss_csv_banner_after_import_finished(bff, tab, company):
    await sign_in(tab, bff, company)
    upload = await tab.get_state(CsvUploadState)
    progress = await tab.get_state(CsvProgressState)
    await run(upload, CsvUploadState.open_dialog)
    await run(upload, CsvUploadState.upload, [csv_file("team.csv", TEAM_CSV)])
    await run(await tab.get_state(CsvReviewState), CsvReviewState.start_import)
    await run(progress, CsvImportState.set_dialog_open, False)
    assert progress.show_banner and progress.banner_text == "Importing team.csv: 0 of 2"
    assert await run_next_import()
    # What the watcher does on its next poll.
    progress._show(await TalentPoolApi(progress.token, http=bff).get_import(progress.import_id))
    assert progress.finished and progress.result_title == "Imported 2 contacts"
    assert progress.banner_text == "Imported team.csv: 2 contacts added"
    await run(progress, CsvImportState.dismiss_banner)
    assert not progress.show_banner


# -- Talent Pool table ---------------------------------------------------------------------


async def test_load_pool_state_lists_own_company_only(bff, tab, company, other_company):
    await make_contact(company, "Ada Lovelace", "ada@x.example", tags=["maths"])
    await make_contact(company, "Grace Hopper", "grace@x.example", tags=["cobol"], status=ContactStatus.INVITED)
    await make_contact(other_company, "Eve Other", "eve@x.example", tags=["maths"])
    await sign_in(tab, bff, company)
    pool = await tab.get_state(PoolState)
    await run(pool, PoolState.load_pool)
    assert [row.name for row in pool.rows] == ["Ada Lovelace", "Grace Hopper"]
    assert pool.pool_total_text == "2 trusted contacts" and pool.loaded and not pool.error
    assert {status: count for status, count in pool.status_counts.items() if count} == {"active": 1, "invited": 1}

    await run(pool, PoolState.set_query, "grace")
    assert [row.email for row in pool.rows] == ["grace@x.example"] and pool.has_filters
    await run(pool, PoolState.clear_filters)
    await run(pool, PoolState.toggle_status, ContactStatus.ACTIVE.value, True)
    assert [row.email for row in pool.rows] == ["ada@x.example"]
    await run(pool, PoolState.clear_filters)
    await run(pool, PoolState.sort_by_column, "name")
    assert [row.name for row in pool.rows] == ["Grace Hopper", "Ada Lovelace"] and pool.sort_descending


async def test_search_pool_tags_state_filters_by_picked_tag(bff, tab, company, other_company):
    await make_contact(company, "Ada Lovelace", "ada@x.example", tags=["maths", "ux"])
    await make_contact(company, "Grace Hopper", "grace@x.example", tags=["cobol"])
    await make_contact(other_company, "Eve Other", "eve@x.example", tags=["machine-learning"])
    await sign_in(tab, bff, company)
    tags = await tab.get_state(PoolTagsState)
    await run(tags, PoolState.load_pool)
    await run(tags, PoolTagsState.search_tags, "ma")
    assert [option.name for option in tags.tag_options] == ["maths"]
    await run(tags, PoolTagsState.add_typed_tag, "Enter")
    assert tags.tags == ["maths"] and tags.tag_query == ""
    assert [row.name for row in tags.rows] == ["Ada Lovelace"]


async def test_delete_pool_bulk_state_removes_ticked_contacts_only(bff, tab, company, other_company):
    ada = await make_contact(company, "Ada Lovelace", "ada@x.example")
    bob = await make_contact(company, "Bob Builder", "bob@x.example")
    keep = await make_contact(company, "Cleo Keep", "cleo@x.example")
    foreign = await make_contact(other_company, "Eve Other", "eve@x.example")
    await sign_in(tab, bff, company)
    bulk = await tab.get_state(PoolBulkState)
    await run(bulk, PoolState.load_pool)
    await run(bulk, PoolBulkState.toggle_row, ada.id, True)
    await run(bulk, PoolBulkState.toggle_row, bob.id, True)
    # An id of another company, as a crafted event could send it.
    await run(bulk, PoolBulkState.toggle_row, foreign.id, True)
    assert bulk.selected_text == "3 selected"
    await run(bulk, PoolBulkState.set_confirm_delete_open, True)
    assert bulk.confirm_delete_open and bulk.delete_question == "Delete 3 contacts?"

    await run(bulk, PoolBulkState.delete_selected)
    assert bulk.selected_ids == [] and not bulk.confirm_delete_open and not bulk.deleting
    assert [row.id for row in bulk.rows] == [keep.id]
    remaining = {row["id"] for row in await Contact.select(Contact.id)}
    assert remaining == {keep.id, foreign.id}


async def test_invite_pool_bulk_state_row_sends_invitation(bff, tab, company):
    added = await make_contact(company, "Ada Lovelace", "ada@x.example", status=ContactStatus.NOT_INVITED)
    await sign_in(tab, bff, company)
    bulk = await tab.get_state(PoolBulkState)
    await run(bulk, PoolState.load_pool)
    await run(bulk, PoolBulkState.invite_row, added.id)
    assert bulk.inviting_id == 0 and [row.status for row in bulk.rows] == [ContactStatus.INVITED.value]
    assert await Invitation.count() == 1


async def test_reject_pool_decision_state_asks_first_naming_applicants(bff, tab, company, other_company):
    ada = await make_contact(company, "Ada Lovelace", "ada@x.example", status=ContactStatus.APPLIED)
    bob = await make_contact(company, "Bob Builder", "bob@x.example", status=ContactStatus.APPLIED)
    cleo = await make_contact(company, "Cleo Active", "cleo@x.example")
    foreign = await make_contact(other_company, "Eve Other", "eve@x.example", status=ContactStatus.APPLIED)
    await sign_in(tab, bff, company)
    decisions = await tab.get_state(PoolDecisionState)
    await run(decisions, PoolState.load_pool)
    assert decisions.applied_count == 2

    # Asking changes nothing; Cancel forgets whom it was about.
    await run(decisions, PoolDecisionState.ask_reject_row, ada.id)
    assert decisions.confirm_reject_open and decisions.reject_question == "Reject Ada Lovelace?"
    assert decisions.reject_description.startswith("Ada Lovelace will not join your Talent Pool.")
    await run(decisions, PoolDecisionState.set_confirm_reject_open, False)
    assert not decisions.confirm_reject_open and decisions.reject_ids == []
    # Another company's applicant is not on this page: nothing to ask about.
    await run(decisions, PoolDecisionState.ask_reject_row, foreign.id)
    assert not decisions.confirm_reject_open
    statuses = {row["id"]: row["status"] for row in await Contact.select(Contact.id, Contact.status)}
    assert statuses[ada.id] == statuses[bob.id] == "applied"

    # The ticked applicants are named; a ticked active contact is left alone.
    bulk = await tab.get_state(PoolBulkState)
    for contact_id in (ada.id, bob.id, cleo.id):
        await run(bulk, PoolBulkState.toggle_row, contact_id, True)
    assert decisions.selected_ids == [ada.id, bob.id, cleo.id]
    await run(decisions, PoolDecisionState.ask_reject_selected)
    assert (
        decisions.reject_names == ["Ada Lovelace", "Bob Builder"]
        and decisions.reject_question == "Reject 2 applicants?"
    )
    await run(decisions, PoolDecisionState.reject_confirmed)
    assert not decisions.confirm_reject_open and decisions.deciding == ""
    statuses = {row["id"]: row["status"] for row in await Contact.select(Contact.id, Contact.status)}
    assert (statuses[ada.id], statuses[bob.id], statuses[cleo.id], statuses[foreign.id]) == (
        "rejected",
        "rejected",
        "active",
        "applied",
    )
    assert decisions.applied_count == 0


# -- Contact profile -----------------------------------------------------------------------


async def test_load_profile_state_shows_contact_and_not_another_company(bff, tab, company, other_company):
    ada = await make_contact(company, "Ada Lovelace", "ada@x.example", status=ContactStatus.NOT_INVITED)
    foreign = await make_contact(other_company, "Eve Other", "eve@x.example")
    await sign_in(tab, bff, company)
    profile = await tab.get_state(ProfileState)
    open_page(tab, f"/contacts/{ada.id}", "/contacts/[contact_id]", contact_id=str(ada.id))
    await run(profile, ProfileState.load_contact)
    assert (profile.contact.name, profile.initials, profile.loading, profile.not_found) == (
        "Ada Lovelace",
        "AL",
        False,
        False,
    )
    assert profile.history and profile.offers == []

    open_page(tab, f"/contacts/{foreign.id}", "/contacts/[contact_id]", contact_id=str(foreign.id))
    await run(profile, ProfileState.load_contact)
    assert profile.not_found and profile.contact.name == ""

    open_page(tab, "/contacts/1e3", "/contacts/[contact_id]", contact_id="1e3")
    await run(profile, ProfileState.load_contact)
    assert profile.not_found and not profile.loading


async def test_invite_profile_invitation_state_then_revoke(bff, tab, company):
    ada = await make_contact(company, "Ada Lovelace", "ada@x.example", status=ContactStatus.NOT_INVITED)
    await sign_in(tab, bff, company)
    invitation = await tab.get_state(ProfileInvitationState)
    open_page(tab, f"/contacts/{ada.id}", "/contacts/[contact_id]", contact_id=str(ada.id))
    await run(invitation, ProfileState.load_contact)
    assert invitation.can_invite and not invitation.can_revoke

    await run(invitation, ProfileInvitationState.invite_contact)
    assert invitation.contact.status == ContactStatus.INVITED.value and invitation.can_revoke
    assert not invitation.resending
    await run(invitation, ProfileInvitationState.set_confirm_revoke_open, True)
    await run(invitation, ProfileInvitationState.revoke_invitation)
    assert invitation.contact.status == ContactStatus.REVOKED.value and not invitation.confirm_revoke_open
    [row] = await Contact.select(Contact.status).where(Contact.id == ada.id)
    assert row["status"] == ContactStatus.REVOKED.value


async def test_delete_profile_state_contact_goes_home(bff, tab, company):
    ada = await make_contact(company, "Ada Lovelace", "ada@x.example")
    await sign_in(tab, bff, company)
    jobs = await tab.get_state(ProfileJobsState)
    open_page(tab, f"/contacts/{ada.id}", "/contacts/[contact_id]", contact_id=str(ada.id))
    await run(jobs, ProfileState.load_contact)
    assert jobs.can_hire and jobs.hire_label == "Hire"
    updates = await run(jobs, ProfileState.delete_contact)
    assert redirects(updates) == ["/"]
    assert await Contact.count() == 0


async def test_review_csv_state_other_company_gets_no_rows(bff, tab, company, other_company):
    await sign_in(tab, bff, company)
    upload = await tab.get_state(CsvUploadState)
    review = await tab.get_state(CsvReviewState)
    await run(upload, CsvUploadState.open_dialog)
    await run(upload, CsvUploadState.upload, [csv_file("team.csv", TEAM_CSV)])
    # The same tab now signed in as another company, still pointing at the first company's upload.
    await sign_in(tab, bff, other_company)
    await run(review, CsvReviewState.retry_rows)
    assert review.rows_error and not review.rows_loading
    await run(review, CsvReviewState.select_none)
    updates = await run(review, CsvReviewState.start_import)
    assert review.errors == {"form": review.errors["form"]} and redirects(updates) == []
    [stored] = await CsvImport.select(CsvImport.selected, CsvImport.status).where(CsvImport.id == upload.import_id)
    assert stored["selected"] == 2 and stored["status"] != ImportStatus.IMPORTING.value


# -- Settings: the reminder schedule ---------------------------------------------------------


async def test_save_settings_state_out_of_range_days_in_use_error_beside_field(bff, tab, company):
    await sign_in(tab, bff, company)
    settings = await tab.get_state(SettingsState)
    await run(settings, SettingsState.load)
    settings.reminders, settings.first_after_days, settings.second_after_days = "1", "0", "99"
    await run(settings, SettingsState.save)
    # The first reminder is in use: 0 days is refused beside its field, not replaced by the default.
    assert set(settings.errors) == {"first_after_days"}
    assert "1 to 60" in settings.errors["first_after_days"]
    assert await ReminderSchedule.count() == 0

    # The second is not in use: its invalid number goes as the default, and the schedule is stored.
    settings.first_after_days = "5"
    await run(settings, SettingsState.save)
    assert settings.errors == {}
    rows = await ReminderSchedule.select(
        ReminderSchedule.reminders, ReminderSchedule.first_after_days, ReminderSchedule.second_after_days
    )
    assert rows == [{"reminders": 1, "first_after_days": 5, "second_after_days": 7}]
    assert (settings.first_after_days, settings.second_after_days) == ("5", "7")
