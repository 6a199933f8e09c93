"""The activity log: what each change records, paging and filters, the CSV export, append-only routes, tenancy."""

import csv
import io
from datetime import timedelta

from backend.activity.service import record_activity
from backend.activity.tables import Activity
from backend.app import create_app
from backend.clock import utcnow
from backend.db import write_transaction
from backend.imports import runner
from shared.activity import ActivityKind
from tests.factories import invite_people, make_contact

INVITE = {"name": "Ada Lovelace", "email": "ada@example.com", "tags": [], "links": [], "notes": "", "message": ""}


async def _log(client, company, **params) -> dict:
    response = await client.get("/api/activity", params=params, headers=company.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _kinds(client, company, **params) -> list[str]:
    return [item["kind"] for item in (await _log(client, company, **params))["items"]]


async def test_invite_resend_revoke_record_activity_with_name(client, company):
    contact = (await client.post("/api/invitations", json=INVITE, headers=company.headers)).json()
    base = f"/api/contacts/{contact['id']}/invitation"
    assert (await client.post(f"{base}/resend", headers=company.headers)).status_code == 204
    assert (await client.post(f"{base}/revoke", headers=company.headers)).status_code == 204
    page = await _log(client, company)
    assert [item["kind"] for item in page["items"]] == ["invitation_revoked", "invitation_resent", "invitation_sent"]
    first = page["items"][0]
    assert first["actor_name"] == company.principal.user_name and first["actor_id"] == company.principal.user_id
    assert first["subject"] == "Ada Lovelace <ada@example.com>" and first["label"] == "Invitation revoked"
    assert page["total"] == 3


async def test_bulk_resend_records_one_entry_with_count(client, company):
    ids = await invite_people(company.principal, [(f"P{i}", f"p{i}@example.com") for i in range(3)])
    kept = await make_contact(company, "Kept", "kept@example.com")
    body = {"ids": [*ids.values(), kept.id]}
    response = await client.post("/api/invitations/resend", json=body, headers=company.headers)
    assert response.status_code == 200 and len(response.json()["done"]) == 3
    items = (await _log(client, company, kind="invitation_resent"))["items"]
    assert len(items) == 1 and items[0]["subject"] == "3 contacts" and items[0]["detail"] == "1 skipped"


async def test_contact_add_edit_delete_record_activity(client, company):
    contact = await make_contact(company, "Grace Hopper", "grace@example.com")
    response = await client.patch(f"/api/contacts/{contact.id}", json={"notes": "COBOL"}, headers=company.headers)
    assert response.status_code == 200
    assert (await client.delete(f"/api/contacts/{contact.id}", headers=company.headers)).status_code == 204
    items = (await _log(client, company))["items"]
    assert [item["kind"] for item in items] == ["contacts_deleted", "contact_edited", "contact_added"]
    assert items[0]["subject"] == "Grace Hopper <grace@example.com>" and items[1]["detail"] == "Changed: notes"
    # The deleted contact's history is gone; the log keeps what happened to it.
    assert await Activity.count().where(Activity.company == company.principal.company_id) == 3


async def test_bulk_delete_records_one_entry_with_count(client, company):
    ids = [(await make_contact(company, f"C{i}", f"c{i}@example.com")).id for i in range(4)]
    response = await client.post("/api/contacts/bulk-delete", json={"ids": ids}, headers=company.headers)
    assert response.status_code == 204
    items = (await _log(client, company, kind="contacts_deleted"))["items"]
    assert [item["subject"] for item in items] == ["4 contacts"]


async def test_link_create_rotate_revoke_record_activity(client, company):
    link = (await client.post("/api/links", json={"label": "Newsletter"}, headers=company.headers)).json()
    await client.post(f"/api/links/{link['id']}/rotate", headers=company.headers)
    await client.post(f"/api/links/{link['id']}/revoke", headers=company.headers)
    items = (await _log(client, company))["items"]
    assert [(item["kind"], item["subject"]) for item in items] == [
        ("link_revoked", "Newsletter"),
        ("link_rotated", "Newsletter"),
        ("link_created", "Newsletter"),
    ]


async def test_failed_change_records_no_activity(client, company):
    response = await client.post("/api/links/999/rotate", headers=company.headers)
    assert response.status_code == 404
    response = await client.post("/api/links", json={"label": " "}, headers=company.headers)
    assert response.status_code == 422
    assert await Activity.count() == 0


async def test_import_records_one_entry_with_counts(client, company):
    await make_contact(company, "Pooled", "pooled@example.com")
    body = b"Name,Email\r\nA,a@example.com\r\nB,b@example.com\r\nPooled,pooled@example.com\r\n"
    summary = (
        await client.post("/api/imports", params={"filename": "team.csv"}, content=body, headers=company.headers)
    ).json()
    response = await client.post(f"/api/imports/{summary['id']}/start", json={"message": ""}, headers=company.headers)
    assert response.status_code == 202
    while await runner.run_next_import():
        pass
    items = (await _log(client, company, kind="import_finished"))["items"]
    assert len(items) == 1 and items[0]["subject"] == "team.csv"
    assert items[0]["detail"].startswith("2 invited") and items[0]["actor_name"] == company.principal.user_name


async def test_list_activity_pages_newest_first(client, company):
    async with write_transaction():
        for i in range(30):
            await record_activity(company.principal, ActivityKind.LINK_CREATED, f"Link {i}")
    first = await _log(client, company, page=1, page_size=25)
    second = await _log(client, company, page=2, page_size=25)
    assert first["total"] == 30 and len(first["items"]) == 25 and len(second["items"]) == 5
    assert first["items"][0]["subject"] == "Link 29" and second["items"][-1]["subject"] == "Link 0"


async def test_list_activity_filters_by_person_kind_and_dates(client, company):
    async with write_transaction():
        await record_activity(company.principal, ActivityKind.LINK_CREATED, "Today")
        await record_activity(company.principal, ActivityKind.CONTACT_ADDED, "Also today")
    old = Activity(company=company.principal.company_id, actor=None, actor_name="Former teammate", kind="link_revoked")
    old.created_at = utcnow() - timedelta(days=10)
    await old.save()
    today = utcnow().date()
    assert await _kinds(client, company, kind="link_created") == ["link_created"]
    assert await _kinds(client, company, actor=company.principal.user_id) == ["contact_added", "link_created"]
    assert await _kinds(client, company, date_to=str(today - timedelta(days=5))) == ["link_revoked"]
    assert len(await _kinds(client, company, date_from=str(today), date_to=str(today))) == 2
    reversed_range = await client.get(
        "/api/activity",
        params={"date_from": str(today), "date_to": str(today - timedelta(days=1))},
        headers=company.headers,
    )
    assert reversed_range.status_code == 422 and reversed_range.json()["errors"][0]["code"] == "date_range_reversed"
    for bad in ({"kind": "nope"}, {"date_from": "yesterday"}, {"page": "0"}, {"actor": "-1"}):
        response = await client.get("/api/activity", params=bad, headers=company.headers)
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_activity_people_lists_the_company_users(client, company):
    response = await client.get("/api/activity/people", headers=company.headers)
    assert response.status_code == 200
    assert response.json() == [{"id": company.principal.user_id, "name": company.principal.user_name}]


async def test_export_activity_csv_neutralises_formulas(client, company):
    async with write_transaction():
        await record_activity(company.principal, ActivityKind.LINK_CREATED, '=HYPERLINK("x")', "+1")
        await record_activity(company.principal, ActivityKind.CONTACT_ADDED, "@SUM(A1)", "\tTab")
    response = await client.get("/api/activity.csv", params={"kind": "link_created"}, headers=company.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When (UTC)", "Person", "Action", "Subject", "Detail"]
    assert rows[1][1:] == [company.principal.user_name, "Invitation link created", '\'=HYPERLINK("x")', "'+1"]
    assert len(rows) == 2


async def test_activity_of_another_company_is_invisible(client, company, other_company):
    async with write_transaction():
        await record_activity(company.principal, ActivityKind.LINK_CREATED, "Secret link")
    page = await _log(client, other_company)
    assert page["items"] == [] and page["total"] == 0
    exported = await client.get("/api/activity.csv", headers=other_company.headers)
    assert "Secret link" not in exported.content.decode("utf-8-sig")
    # Filtering by the first company's user shows nothing either.
    assert await _kinds(client, other_company, actor=company.principal.user_id) == []


async def test_activity_requires_session(client):
    assert (await client.get("/api/activity")).status_code == 401
    assert (await client.get("/api/activity.csv")).status_code == 401


def test_no_route_edits_or_deletes_activity():
    app = create_app()
    methods = {
        method
        for route in app.routes
        if route.path.startswith("/api/activity")
        for method in getattr(route, "methods", set())
    }
    assert methods and methods <= {"GET", "HEAD", "OPTIONS"}


async def test_client_cannot_write_activity(client, company):
    for method in ("put", "patch", "delete", "post"):
        response = await getattr(client, method)("/api/activity", headers=company.headers)
        assert response.status_code == 405, method


async def test_contact_history_shows_teammate_name(client, company):
    contact = (await client.post("/api/invitations", json=INVITE, headers=company.headers)).json()
    history = (await client.get(f"/api/contacts/{contact['id']}/history", headers=company.headers)).json()
    assert [(event["kind"], event["actor"]) for event in history] == [("invitation_sent", company.principal.user_name)]
