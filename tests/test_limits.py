"""The limits in shared/limits.py are the ones the BFF applies, after it has normalised the input."""

from __future__ import annotations

from backend.contacts.tables import Contact
from shared.limits import NAME_MAX, TAGS_MAX, raw_input

NEW = {"email": "ada@example.com"}


async def test_create_contact_accepts_a_name_of_the_limit_once_single_spaced(client, company):
    words = "ab " * (NAME_MAX // 3)
    raw = words.replace(" ", "    ")  # four spaces where one is kept: over the limit as typed
    assert len(raw) > NAME_MAX >= len(" ".join(raw.split()))
    response = await client.post("/api/contacts", json={**NEW, "name": raw}, headers=company.headers)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == " ".join(raw.split())


async def test_create_contact_names_the_limit_for_a_name_just_over_it(client, company):
    response = await client.post("/api/contacts", json={**NEW, "name": "x" * (NAME_MAX + 1)}, headers=company.headers)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("name", "too_long")
    assert str(NAME_MAX) in error["message"]
    assert await Contact.count() == 0


async def test_openapi_documents_the_raw_input_bound_of_each_limit(client):
    schema = (await client.get("/schema/openapi.json")).json()
    found = {}
    for component in schema["components"]["schemas"].values():
        for name, prop in component.get("properties", {}).items():
            if name in ("name", "tags") and ("maxLength" in prop or "maxItems" in prop):
                found.setdefault(name, set()).add(prop.get("maxLength", prop.get("maxItems")))
    assert raw_input(NAME_MAX) in found["name"]
    assert raw_input(TAGS_MAX) in found["tags"]
