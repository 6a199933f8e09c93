"""The Talent Pool listing: search, filters, sort, pagination, tags and status counts."""

from shared.contacts import ContactStatus
from tests.factories import make_contact

S = ContactStatus


async def _seed(company):
    await make_contact(company, name="alice Anders", email="alice@alpha.example", tags=["python", "sql"], status=S.ACTIVE)
    await make_contact(company, name="Bob Brown", email="bob@beta.example", tags=["python"], status=S.INVITED)
    await make_contact(company, name="Carol Clark", email="carol@gamma.example", tags=["design", "figma"], status=S.APPLIED)
    await make_contact(company, name="Dan 100% Real_Name", email="dan@delta.example", tags=["sql"], status=S.ACTIVE)


async def _list(client, company, **params):
    response = await client.get("/api/contacts", params=params, headers=company.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_list_sorts_by_name_case_insensitively(client, company):
    await _seed(company)
    page = await _list(client, company)
    assert [c["name"] for c in page["items"]] == ["alice Anders", "Bob Brown", "Carol Clark", "Dan 100% Real_Name"]
    desc = await _list(client, company, sort="-name")
    assert desc["items"][0]["name"] == "Dan 100% Real_Name"


async def test_search_matches_name_email_and_tag(client, company):
    await _seed(company)
    assert [c["name"] for c in (await _list(client, company, q="ALICE"))["items"]] == ["alice Anders"]
    assert [c["name"] for c in (await _list(client, company, q="beta.exa"))["items"]] == ["Bob Brown"]
    assert [c["name"] for c in (await _list(client, company, q="figm"))["items"]] == ["Carol Clark"]


async def test_search_treats_wildcards_literally(client, company):
    await _seed(company)
    assert (await _list(client, company, q="100%"))["total"] == 1
    assert (await _list(client, company, q="a_i"))["total"] == 0
    assert (await _list(client, company, q="l_n"))["total"] == 1
    assert (await _list(client, company, q="%"))["total"] == 1


async def test_filter_by_status_any_of(client, company):
    await _seed(company)
    assert (await _list(client, company, status="active"))["total"] == 2
    both = await _list(client, company, status=["active", "invited"])
    assert both["total"] == 3


async def test_filter_by_tags_requires_all(client, company):
    await _seed(company)
    assert (await _list(client, company, tag="python"))["total"] == 2
    assert [c["name"] for c in (await _list(client, company, tag=["python", "SQL "]))["items"]] == ["alice Anders"]
    assert (await _list(client, company, tag="unknown-tag"))["total"] == 0


async def test_filters_combine_with_search_and_sort(client, company):
    await _seed(company)
    page = await _list(client, company, status="active", tag="sql", sort="-email", q="a")
    assert [c["email"] for c in page["items"]] == ["dan@delta.example", "alice@alpha.example"]


async def test_pagination_reports_total_and_pages(client, company):
    for i in range(7):
        await make_contact(company, name=f"Person {i:02d}")
    first = await _list(client, company, page_size=3)
    third = await _list(client, company, page_size=3, page=3)
    assert first["total"] == 7 and len(first["items"]) == 3
    assert [c["name"] for c in third["items"]] == ["Person 06"]
    beyond = await _list(client, company, page_size=3, page=9)
    assert beyond["items"] == [] and beyond["total"] == 7


async def test_list_rejects_bad_parameters(client, company):
    for params in ({"page": 0}, {"page_size": 101}, {"sort": "password"}, {"status": "hired"}, {"q": "x" * 201}):
        response = await client.get("/api/contacts", params=params, headers=company.headers)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_failed"


async def test_list_items_carry_tags(client, company):
    await _seed(company)
    page = await _list(client, company, q="alice")
    assert page["items"][0]["tags"] == ["python", "sql"]
    assert page["items"][0]["status"] == "active"


async def test_tags_most_used_first_with_search(client, company):
    await _seed(company)
    tags = (await client.get("/api/tags", headers=company.headers)).json()
    assert tags[:2] == [{"name": "python", "count": 2}, {"name": "sql", "count": 2}]
    assert (await client.get("/api/tags", params={"q": "FIG"}, headers=company.headers)).json() == [
        {"name": "figma", "count": 1}
    ]


async def test_status_counts_cover_every_status(client, company):
    await _seed(company)
    counts = {c["status"]: c["count"] for c in (await client.get("/api/contacts/status-counts", headers=company.headers)).json()}
    assert counts["active"] == 2 and counts["invited"] == 1 and counts["applied"] == 1
    assert set(counts) == {s.value for s in ContactStatus}
