"""The invitation-link funnel: page views per day, and per link the sign-ups, confirmed emails, approvals,
rejections and the median time from sign-up to approval, each computed for all of a company's links at once."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from backend.clock import utcnow
from backend.contacts.tables import Contact
from backend.db import is_sqlite, raw_date, raw_datetime, write_transaction
from backend.links.tables import LinkViewDay
from shared.contacts import ContactStatus, EventKind
from shared.links import LinkCounts, LinkDay

CHART_DAYS = 30


async def count_link_view(link_id: int) -> None:
    """Count one opening of a link's public page today (UTC); nothing about the visitor is stored.

    Two first views of a day at once may write two rows for that day: every reader sums them.
    """
    today = utcnow().date()
    async with write_transaction():
        counted = (
            await LinkViewDay.update({LinkViewDay.views: LinkViewDay.views + 1})
            .where((LinkViewDay.link == link_id) & (LinkViewDay.day == today))
            .returning(LinkViewDay.id)
        )
        if not counted:
            await LinkViewDay(link=link_id, day=today, views=1).save()


def _day_of(column: str) -> str:
    """SQL for the UTC day of a timestamp column, on the engine in use."""
    return f"date({column})" if is_sqlite() else f"({column} AT TIME ZONE 'UTC')::date"


async def link_counts(company_id: int) -> dict[int, LinkCounts]:
    """Every link's funnel numbers, by link id: one grouped query per figure, whatever the number of links."""
    counts: dict[int, LinkCounts] = defaultdict(LinkCounts)
    rows = await Contact.raw(
        "SELECT c.invitation_link AS link, c.status AS status, "
        "CASE WHEN w.email_confirmed_at IS NULL THEN 0 ELSE 1 END AS confirmed, COUNT(*) AS n "
        "FROM contact c LEFT JOIN worker w ON w.id = c.worker "
        "WHERE c.company = {} AND c.invitation_link IS NOT NULL GROUP BY 1, 2, 3",
        company_id,
    )
    for row in rows:
        c = counts[row["link"]]
        c.signups += row["n"]
        if row["confirmed"]:
            c.confirmed += row["n"]
        if row["status"] == ContactStatus.APPLIED.value:
            # Only an applicant who proved their email can be approved.
            if row["confirmed"]:
                c.waiting += row["n"]
            else:
                c.unconfirmed += row["n"]
        elif row["status"] == ContactStatus.ACTIVE.value:
            c.approved += row["n"]
        elif row["status"] == ContactStatus.REJECTED.value:
            c.rejected += row["n"]
    views = await LinkViewDay.raw(
        "SELECT v.link AS link, SUM(v.views) AS n FROM link_view_day v JOIN invitation_link l ON l.id = v.link "
        "WHERE l.company = {} GROUP BY v.link",
        company_id,
    )
    for row in views:
        counts[row["link"]].views = int(row["n"])
    for link, hours in (await _approval_hours(company_id)).items():
        counts[link].median_hours_to_approval = round(statistics.median(hours), 1)
    return dict(counts)


async def _approval_hours(company_id: int) -> dict[int, list[float]]:
    """Hours from sign-up to approval of each approved applicant, by link."""
    rows = await Contact.raw(
        "SELECT c.invitation_link AS link, c.created_at AS signed_up, MIN(e.created_at) AS approved "
        "FROM contact c JOIN contact_event e ON e.contact = c.id AND e.kind = {} "
        "WHERE c.company = {} AND c.invitation_link IS NOT NULL AND c.status = {} "
        "GROUP BY c.id, c.invitation_link, c.created_at",
        EventKind.APPLICANT_APPROVED.value,
        company_id,
        ContactStatus.ACTIVE.value,
    )
    hours: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        waited = raw_datetime(row["approved"]) - raw_datetime(row["signed_up"])
        hours[row["link"]].append(max(waited.total_seconds(), 0) / 3600)
    return hours


async def link_days(company_id: int, link_ids: list[int], days: int = CHART_DAYS) -> dict[int, list[LinkDay]]:
    """Views and sign-ups of each of the links on each of the last `days` UTC days (today included), oldest first."""
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    series = {
        link: {first + timedelta(days=i): LinkDay(day=first + timedelta(days=i)) for i in range(days)}
        for link in link_ids
    }

    views = await LinkViewDay.raw(
        "SELECT v.link AS link, v.day AS day, SUM(v.views) AS n FROM link_view_day v "
        "JOIN invitation_link l ON l.id = v.link WHERE l.company = {} AND v.day >= {} GROUP BY v.link, v.day",
        company_id,
        first,
    )
    for row in views:
        when = raw_date(row["day"])
        if first <= when <= today and row["link"] in series:
            series[row["link"]][when].views += int(row["n"])
    signed_up = _day_of("c.created_at")
    signups = await Contact.raw(
        f"SELECT c.invitation_link AS link, {signed_up} AS day, COUNT(*) AS n FROM contact c "
        "WHERE c.company = {} AND c.invitation_link IS NOT NULL AND c.created_at >= {} GROUP BY 1, 2",
        company_id,
        datetime.combine(first, datetime.min.time(), tzinfo=utcnow().tzinfo),
    )
    for row in signups:
        when = raw_date(row["day"])
        if first <= when <= today and row["link"] in series:
            series[row["link"]][when].signups += int(row["n"])
    return {link: list(by_day.values()) for link, by_day in series.items()}
