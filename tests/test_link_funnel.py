"""The invitation-link funnel: views counted by the public preview, sign-ups, confirmations, decisions,
the median time to approval and the 30-day series, per link and per company."""

from datetime import timedelta

from backend.clock import utcnow
from backend.contacts.tables import Contact
from backend.links.tables import LinkViewDay
from tests.test_links import _confirm, _link, _signup, _token


async def _card(client, company, link_id: int) -> dict:
    links = (await client.get("/api/links", headers=company.headers)).json()
    return next(link for link in links if link["id"] == link_id)


async def test_preview_counts_link_views_per_day_without_visitor(client, company):
    link = await _link(client, company)
    for _ in range(3):
        assert (await client.get(f"/api/public/links/{_token(link)}")).status_code == 200
    assert (await client.get("/api/public/links/" + "x" * 43)).status_code == 404
    card = await _card(client, company, link["id"])
    assert card["counts"]["views"] == 3
    assert card["days"][-1] == {"day": str(utcnow().date()), "views": 3, "signups": 0}
    # One row per link and day, holding a count and nothing about who looked.
    rows = await LinkViewDay.select()
    assert len(rows) == 1 and set(rows[0]) == {"id", "link", "day", "views"}


async def test_revoked_link_views_are_not_counted(client, company):
    link = await _link(client, company)
    await client.post(f"/api/links/{link['id']}/revoke", headers=company.headers)
    assert (await client.get(f"/api/public/links/{_token(link)}")).status_code == 404
    assert await LinkViewDay.count() == 0


async def test_funnel_counts_signups_confirmed_approved_rejected(client, company):
    link = await _link(client, company)
    other = await _link(client, company, label="Other link")
    for email in ("a@example.com", "b@example.com", "c@example.com", "d@example.com"):
        assert (await _signup(client, link, email, "Person " + email[0])).status_code == 201
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        await _confirm(client, email)
    ids = {row["email"]: row["id"] for row in await Contact.select(Contact.id, Contact.email)}
    approve = await client.post(
        "/api/applicants/approve", json={"ids": [ids["a@example.com"]]}, headers=company.headers
    )
    reject = await client.post("/api/applicants/reject", json={"ids": [ids["b@example.com"]]}, headers=company.headers)
    assert approve.json()["done"] and reject.json()["done"]
    counts = (await _card(client, company, link["id"]))["counts"]
    assert (counts["signups"], counts["confirmed"], counts["approved"], counts["rejected"]) == (4, 3, 1, 1)
    assert (counts["waiting"], counts["unconfirmed"]) == (1, 1)
    card = await _card(client, company, link["id"])
    assert len(card["days"]) == 30 and card["days"][-1]["signups"] == 4
    assert sum(day["signups"] for day in card["days"]) == 4
    untouched = await _card(client, company, other["id"])
    assert untouched["counts"]["signups"] == 0 and sum(day["signups"] for day in untouched["days"]) == 0


async def test_funnel_median_hours_from_signup_to_approval(client, company):
    link = await _link(client, company)
    waited = {"a@example.com": 2, "b@example.com": 10, "c@example.com": 30}
    for email in waited:
        await _signup(client, link, email, "Person " + email[0])
        await _confirm(client, email)
    for email, hours in waited.items():
        await Contact.update({Contact.created_at: utcnow() - timedelta(hours=hours)}).where(Contact.email == email)
    ids = [row["id"] for row in await Contact.select(Contact.id)]
    await client.post("/api/applicants/approve", json={"ids": ids}, headers=company.headers)
    counts = (await _card(client, company, link["id"]))["counts"]
    assert counts["approved"] == 3 and 9.9 <= counts["median_hours_to_approval"] <= 10.1


async def test_funnel_of_another_company_is_invisible(client, company, other_company):
    link = await _link(client, company)
    await client.get(f"/api/public/links/{_token(link)}")
    await _signup(client, link)
    assert (await client.get("/api/links", headers=other_company.headers)).json() == []
    own = await _link(client, other_company, label="Theirs")
    card = await _card(client, other_company, own["id"])
    assert card["counts"]["views"] == 0 and card["counts"]["signups"] == 0


def test_link_card_formats_funnel_and_chart():
    from datetime import date

    from shared.links import LinkCounts, LinkDay, LinkPublic
    from talent_pool.states.links import link_card

    counts = LinkCounts(signups=4, approved=1, views=12, confirmed=3, rejected=1, median_hours_to_approval=5.4)
    link = LinkPublic(
        id=1,
        label="Meetup",
        url="http://x/join/t",
        expires_at=None,
        max_signups=None,
        allowed_domains=[],
        tags=[],
        created_at=utcnow(),
        state="active",
        counts=counts,
        days=[LinkDay(day=date(2026, 11, 30), views=12, signups=4)],
    )
    card = link_card(link)
    assert card.funnel[0] == ["Views", "12"] and card.funnel[-1] == ["Median to approval", "5 h"]
    assert card.chart == [{"day": "30 Nov", "views": 12, "signups": 4}]
    assert card.chart_label == "Last 30 days of Meetup: 12 views, 4 sign-ups"
