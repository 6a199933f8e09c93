"""A second company can neither see nor change anything of the first."""

from backend.contacts.tables import Contact, Invitation
from tests.factories import make_contact


async def test_other_company_gets_404_on_every_read_and_write(client, company, other_company):
    contact = await make_contact(company, name="Secret Sam", email="sam@acme.example", tags=["secret-skill"])
    url = f"/api/contacts/{contact.id}"
    theirs = other_company.headers

    assert (await client.get(url, headers=theirs)).status_code == 404
    assert (await client.patch(url, json={"name": "Hijacked"}, headers=theirs)).status_code == 404
    assert (await client.delete(url, headers=theirs)).status_code == 404
    assert (
        await client.post("/api/contacts/bulk-delete", json={"ids": [contact.id]}, headers=theirs)
    ).status_code == 404
    assert (await client.post(f"{url}/invitation", json={"message": "Hi"}, headers=theirs)).status_code == 404
    assert (await client.patch(url, json={"email": "sam@globex.example"}, headers=theirs)).status_code == 404

    listing = (await client.get("/api/contacts", params={"q": "sam"}, headers=theirs)).json()
    assert listing["total"] == 0 and listing["items"] == []
    by_tag = (await client.get("/api/contacts", params={"tag": "secret-skill"}, headers=theirs)).json()
    assert by_tag["total"] == 0
    assert (await client.get("/api/tags", headers=theirs)).json() == []
    counts = (await client.get("/api/contacts/status-counts", headers=theirs)).json()
    assert sum(c["count"] for c in counts) == 0

    mine = (await client.get(url, headers=company.headers)).json()
    assert (mine["name"], mine["email"], mine["status"]) == ("Secret Sam", "sam@acme.example", "active")
    assert await Contact.count() == 1 and await Invitation.count() == 0


async def test_other_company_can_reuse_email_without_touching_first(client, company, other_company):
    first = await make_contact(company, email="shared@example.com", tags=["alpha"])
    created = await client.post(
        "/api/contacts",
        json={"name": "Other", "email": "shared@example.com", "tags": ["alpha"]},
        headers=other_company.headers,
    )
    assert created.status_code == 201
    assert (await client.get(f"/api/contacts/{first.id}", headers=company.headers)).json()["name"] == "Ada Lovelace"
    tags_first = (await client.get("/api/tags", headers=company.headers)).json()
    assert tags_first == [{"name": "alpha", "count": 1, "exact": True}]
