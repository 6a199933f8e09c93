"""Contacts through HTTP: create, read, update, delete, validation, duplicates and bad input."""

import pytest

from backend.contacts.tables import Contact, ContactTag, Tag
from shared.contacts import ContactStatus
from tests.factories import make_contact

NEW = {
    "name": "Grace Hopper",
    "email": "Grace@Navy.example",
    "tags": [" COBOL ", "compilers", "cobol"],
    "links": ["https://grace.example/cv"],
    "notes": "Met at the conference.",
}


async def test_create_contact_normalises_email_and_tags(client, company):
    response = await client.post("/api/contacts", json=NEW, headers=company.headers)
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "grace@navy.example"
    assert body["tags"] == ["cobol", "compilers"]
    assert body["source"] == "manual" and body["status"] == "not_invited"
    assert body["links"] == ["https://grace.example/cv"]
    assert body["created_by"].startswith("Owner")


async def test_get_contact_returns_profile(client, company):
    created = (await client.post("/api/contacts", json=NEW, headers=company.headers)).json()
    response = await client.get(f"/api/contacts/{created['id']}", headers=company.headers)
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize("email", ["grace@navy.example", "GRACE@NAVY.EXAMPLE", "  Grace@Navy.Example  "])
async def test_create_contact_duplicate_email_conflict(client, company, email):
    assert (await client.post("/api/contacts", json=NEW, headers=company.headers)).status_code == 201
    response = await client.post("/api/contacts", json={**NEW, "email": email}, headers=company.headers)
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "email_taken"
    assert problem["errors"][0]["field"] == "email"
    assert await Contact.count() == 1


async def test_same_email_allowed_in_two_companies(client, company, other_company):
    assert (await client.post("/api/contacts", json=NEW, headers=company.headers)).status_code == 201
    assert (await client.post("/api/contacts", json=NEW, headers=other_company.headers)).status_code == 201


@pytest.mark.parametrize(
    ("patch", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 201}, "name", "too_long"),
        ({"name": "Bad\x00Name"}, "name", "invalid_characters"),
        ({"email": "not-an-email"}, "email", "invalid_email"),
        ({"email": ""}, "email", "required"),
        ({"email": "a@b"}, "email", "invalid_email"),
        ({"tags": ["x" * 51]}, "tags", "too_long"),
        ({"tags": [f"t{i}" for i in range(31)]}, "tags", "too_many"),
        ({"links": ["javascript:alert(1)"]}, "links", "invalid_url"),
        ({"links": ["ftp://files.example"]}, "links", "invalid_url"),
        ({"notes": "n" * 10_001}, "notes", "too_long"),
    ],
)
async def test_create_contact_invalid_field(client, company, patch, field, code):
    response = await client.post("/api/contacts", json={**NEW, **patch}, headers=company.headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    assert await Contact.count() == 0
    assert await Tag.count() == 0


async def test_create_contact_reports_every_invalid_field(client, company):
    response = await client.post("/api/contacts", json={"name": "", "email": "x"}, headers=company.headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"name", "email"}


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({**NEW, "admin": True}, "admin", "unknown_field"),
        ({**NEW, "name": 42}, "name", "invalid"),
        ({**NEW, "tags": "python"}, "tags", "invalid"),
        # Only the flows set a status: a client that sends one is refused, whatever the value.
        ({**NEW, "status": "active"}, "status", "unknown_field"),
        ({**NEW, "name": "x" * 100_000}, "name", "invalid"),
        ({"email": "a@b.example"}, "name", "required"),
    ],
)
async def test_create_contact_malformed_body_rejected(client, company, body, field, code):
    response = await client.post("/api/contacts", json=body, headers=company.headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert await Contact.count() == 0


async def test_create_contact_broken_json_rejected(client, company):
    response = await client.post(
        "/api/contacts", content=b'{"name": "x", ', headers={**company.headers, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
    assert "Traceback" not in response.text


async def test_create_contact_oversized_body_rejected(client, company):
    body = b'{"name": "' + b"x" * 400_000 + b'", "email": "a@b.example"}'
    response = await client.post(
        "/api/contacts", content=body, headers={**company.headers, "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert await Contact.count() == 0


async def test_html_and_sql_stored_as_plain_text(client, company):
    nasty = {**NEW, "name": "<script>alert(1)</script> Robert'); DROP TABLE contact;--", "notes": "<b>bold</b>"}
    created = await client.post("/api/contacts", json=nasty, headers=company.headers)
    assert created.status_code == 201
    fetched = (await client.get(f"/api/contacts/{created.json()['id']}", headers=company.headers)).json()
    assert fetched["name"] == nasty["name"]
    assert fetched["notes"] == "<b>bold</b>"
    assert await Contact.count() == 1
    found = await client.get("/api/contacts", params={"q": "drop table"}, headers=company.headers)
    assert found.json()["total"] == 1


async def test_update_contact_changes_only_given_fields(client, company):
    created = (await client.post("/api/contacts", json=NEW, headers=company.headers)).json()
    response = await client.patch(
        f"/api/contacts/{created['id']}",
        json={"name": "Rear Admiral Hopper", "tags": ["navy"]},
        headers=company.headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Rear Admiral Hopper"
    assert body["tags"] == ["navy"]
    assert body["email"] == created["email"] and body["notes"] == created["notes"]
    assert body["updated_at"] >= created["updated_at"]
    search = await client.get("/api/contacts", params={"q": "navy"}, headers=company.headers)
    assert search.json()["total"] == 1


async def test_update_contact_to_existing_email_conflict(client, company):
    await make_contact(company, email="taken@example.com")
    other = await make_contact(company, email="free@example.com", status=ContactStatus.NOT_INVITED)
    response = await client.patch(
        f"/api/contacts/{other.id}", json={"email": " TAKEN@example.com"}, headers=company.headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    unchanged = await client.get(f"/api/contacts/{other.id}", headers=company.headers)
    assert unchanged.json()["email"] == "free@example.com"


async def test_update_contact_invalid_field_changes_nothing(client, company):
    contact = await make_contact(company, name="Keep Me", tags=["keep"])
    response = await client.patch(
        f"/api/contacts/{contact.id}", json={"name": "", "tags": ["new"]}, headers=company.headers
    )
    assert response.status_code == 422
    fetched = (await client.get(f"/api/contacts/{contact.id}", headers=company.headers)).json()
    assert (fetched["name"], fetched["tags"]) == ("Keep Me", ["keep"])


async def test_delete_contact_removes_it_and_its_tag_links(client, company):
    contact = await make_contact(company, tags=["a", "b"])
    assert (await client.delete(f"/api/contacts/{contact.id}", headers=company.headers)).status_code == 204
    assert (await client.get(f"/api/contacts/{contact.id}", headers=company.headers)).status_code == 404
    assert await ContactTag.count() == 0


async def test_bulk_delete_is_all_or_nothing(client, company, other_company):
    mine = [await make_contact(company) for _ in range(3)]
    theirs = await make_contact(other_company)
    mixed = await client.post(
        "/api/contacts/bulk-delete", json={"ids": [c.id for c in mine] + [theirs.id]}, headers=company.headers
    )
    assert mixed.status_code == 404
    assert await Contact.count() == 4
    ok = await client.post("/api/contacts/bulk-delete", json={"ids": [c.id for c in mine]}, headers=company.headers)
    assert ok.status_code == 204
    assert await Contact.count() == 1


async def test_missing_contact_not_found(client, company):
    response = await client.get("/api/contacts/999999", headers=company.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "contact_not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/contacts"),
        ("POST", "/api/contacts"),
        ("GET", "/api/contacts/1"),
        ("PATCH", "/api/contacts/1"),
        ("DELETE", "/api/contacts/1"),
        ("POST", "/api/contacts/bulk-delete"),
        ("GET", "/api/contacts/status-counts"),
        ("GET", "/api/tags"),
        ("GET", "/api/auth/me"),
        ("POST", "/api/auth/logout"),
    ],
)
async def test_every_private_endpoint_requires_session(client, method, path):
    response = await client.request(method, path, json={} if method in ("POST", "PATCH") else None)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_openapi_schema_served(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/contacts", "/api/contacts/{contact_id}", "/api/auth/login"} <= set(paths)


async def test_unknown_route_is_a_problem(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
