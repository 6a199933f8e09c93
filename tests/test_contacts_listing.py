"""The Talent Pool listing: search, filters, sort, pagination, tags and status counts."""

from backend.contacts import listing
from backend.contacts.listing import ContactQuery
from backend.contacts.tables import ContactTag
from backend.db import is_sqlite
from shared.contacts import ContactSort, ContactStatus
from tests.factories import make_contact

S = ContactStatus


async def _seed(company):
    await make_contact(
        company, name="alice Anders", email="alice@alpha.example", tags=["python", "sql"], status=S.ACTIVE
    )
    await make_contact(company, name="Bob Brown", email="bob@beta.example", tags=["python"], status=S.INVITED)
    await make_contact(
        company, name="Carol Clark", email="carol@gamma.example", tags=["design", "figma"], status=S.APPLIED
    )
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
    assert tags[:2] == [{"name": "python", "count": 2, "exact": True}, {"name": "sql", "count": 2, "exact": True}]
    assert (await client.get("/api/tags", params={"q": "FIG"}, headers=company.headers)).json() == [
        {"name": "figma", "count": 1, "exact": True}
    ]


async def test_status_counts_cover_every_status(client, company):
    await _seed(company)
    counts = {
        c["status"]: c["count"]
        for c in (await client.get("/api/contacts/status-counts", headers=company.headers)).json()
    }
    assert counts["active"] == 2 and counts["invited"] == 1 and counts["applied"] == 1
    assert set(counts) == {s.value for s in ContactStatus}


async def _capped(company, count_cap: int, **fields):
    """The listing through the service with a small count cap."""
    return await listing.list_contacts(company.principal, ContactQuery(**fields), count_cap=count_cap)


async def test_list_total_exact_up_to_cap(client, company):
    for i in range(5):
        await make_contact(company, name=f"Hansen {i}", email=f"hansen{i}@example.com")
    page = await _capped(company, 5)
    assert (page.total, page.total_exact) == (5, True)
    body = await _list(client, company)
    assert (body["total"], body["total_exact"]) == (5, True)


async def test_list_total_capped_beyond_cap(company):
    for i in range(7):
        await make_contact(company, name=f"Hansen {i}", email=f"hansen{i}@example.com", status=S.INVITED)
    await make_contact(company, name="Ada Berg", email="ada@example.com", status=S.ACTIVE)
    for fields in (
        {},
        {"q": "hansen"},
        {"q": "ha"},
        {"statuses": [S.INVITED]},
        {"q": "sen", "sort": ContactSort.ACTIVITY_DESC},
    ):
        page = await _capped(company, 5, page_size=2, **fields)
        assert (page.total, page.total_exact) == (5, False), fields
        assert len(page.items) == 2
    # Under the cap the same queries count exactly.
    exact = await _capped(company, 8, q="hansen", page_size=2)
    assert (exact.total, exact.total_exact) == (7, True)
    assert (await _capped(company, 7, statuses=[S.INVITED], page_size=2)).total_exact is True


async def test_list_capped_search_returns_the_same_rows(company):
    for i in range(12):
        await make_contact(company, name=f"Ola Hansen {i:02d}", email=f"ola{i}@example.com", tags=["python"])
    await make_contact(company, name="Kim Park", email="kim@example.com", tags=["python"])
    exact = await _capped(company, 1_000, q="hansen", page_size=5, page=2)
    capped = await _capped(company, 3, q="hansen", page_size=5, page=2)
    assert [c.id for c in capped.items] == [c.id for c in exact.items]
    assert [c.name for c in capped.items] == [f"Ola Hansen {i:02d}" for i in range(5, 10)]
    assert (exact.total, exact.total_exact) == (12, True)
    # Page 2 of 5 lies beyond a cap of 3: counted exactly up to its end, 10, and more than that.
    assert (capped.total, capped.total_exact) == (10, False)
    tagged = await _capped(company, 3, tags=["python"], page_size=2)
    assert (tagged.total, tagged.total_exact) == (3, False)


async def test_list_last_page_beyond_cap_counts_exactly(company):
    for i in range(9):
        await make_contact(company, name=f"Person {i}", email=f"p{i}@example.com")
    last = await _capped(company, 2, page_size=4, page=3)
    assert [c.name for c in last.items] == ["Person 8"]
    assert (last.total, last.total_exact) == (9, True)
    middle = await _capped(company, 2, page_size=4, page=2)
    assert (middle.total, middle.total_exact) == (8, False)


async def test_list_total_never_counts_another_company(company, other_company):
    for i in range(6):
        await make_contact(other_company, name=f"Hansen Other {i}", email=f"other{i}@example.com", tags=["python"])
    await make_contact(company, name="Lars Hansen", email="lars@example.com", tags=["python"])
    await make_contact(company, name="Mia Hansen", email="mia@example.com")
    for fields in ({}, {"q": "hansen"}, {"q": "sen"}, {"q": "ha"}, {"tags": ["python"]}, {"statuses": [S.ACTIVE]}):
        page = await _capped(company, 3, **fields)
        assert page.total_exact is True, fields
        assert {c.email for c in page.items} <= {"lars@example.com", "mia@example.com"}, fields
        assert page.total == len(page.items), fields
    counts = {c.status: (c.count, c.exact) for c in await listing.status_counts(company.principal, count_cap=3)}
    assert counts[S.ACTIVE] == (2, True)
    tags = await listing.list_tags(company.principal, count_cap=3)
    assert [(t.name, t.count, t.exact) for t in tags] == [("python", 1, True)]


async def test_status_counts_capped_beyond_cap(client, company):
    for i in range(4):
        await make_contact(company, name=f"Active {i}", status=S.ACTIVE)
    await make_contact(company, name="Invited", status=S.INVITED)
    counts = {c.status: (c.count, c.exact) for c in await listing.status_counts(company.principal, count_cap=3)}
    assert counts[S.ACTIVE] == (3, False)
    assert counts[S.INVITED] == (1, True)
    assert counts[S.REVOKED] == (0, True)
    body = (await client.get("/api/contacts/status-counts", headers=company.headers)).json()
    assert {"status": "active", "count": 4, "exact": True} in body


async def test_tag_counts_capped_beyond_cap(company):
    for i in range(4):
        await make_contact(company, name=f"Dev {i}", tags=["python", "sql"] if i else ["python"])
    await make_contact(company, name="Designer", tags=["figma"])
    tags = [(t.name, t.count, t.exact) for t in await listing.list_tags(company.principal, count_cap=2)]
    assert tags == [("python", 2, False), ("sql", 2, False), ("figma", 1, True)]


async def test_list_total_of_several_tags_capped(company, other_company):
    for i in range(3):
        await make_contact(company, name=f"Both {i}", tags=["python", "sql"])
    for i in range(2):
        await make_contact(company, name=f"Python {i}", tags=["python"])
    await make_contact(other_company, name="Other Both", tags=["python", "sql"])
    exact = await _capped(company, 5, tags=["python", "sql"], page_size=1)
    assert (exact.total, exact.total_exact) == (3, True)
    capped = await _capped(company, 2, tags=["python", "sql"], page_size=1)
    assert (capped.total, capped.total_exact) == (2, False)
    assert capped.items[0].name == "Both 0"


async def test_tags_of_a_large_pool_ordered_by_statistics(company, other_company):
    # The order PostgreSQL's statistics give (SQLite counts every tag): the same as counting here.
    for i in range(3):
        await make_contact(company, name=f"Dev {i}", tags=["python", "sql"] if i else ["python"])
    await make_contact(company, name="Designer", tags=["figma"])
    await make_contact(other_company, name="Other", tags=["figma", "rust"])
    if not is_sqlite():
        await ContactTag.raw("ANALYZE contact_tag")
    tags = await listing.list_tags(company.principal, count_cap=2, statistics_above=0)
    assert [(t.name, t.count, t.exact) for t in tags] == [("python", 2, False), ("sql", 2, True), ("figma", 1, True)]
    found = await listing.list_tags(company.principal, q="FIG", statistics_above=0)
    assert [(t.name, t.count) for t in found] == [("figma", 1)]
