"""Writing the activity log (inside the change's own transaction) and reading it back: paged, filtered, as CSV."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from backend.accounts.tables import CompanyUser
from backend.activity.tables import Activity
from backend.auth import Principal
from backend.errors import FieldErrors
from backend.spreadsheet import write_csv
from shared.activity import ActivityEntry, ActivityKind, ActivityPage, ActivityPerson, activity_label

PAGE_SIZE_MAX = 100
# An export holds at most this many lines, newest first; narrower filters reach further back.
EXPORT_MAX = 50_000
SUBJECT_MAX = 400
DETAIL_MAX = 2_000


async def record_activity(principal: Principal, kind: ActivityKind, subject: str = "", detail: str = "") -> None:
    """Append one line to the caller's company log, naming the caller; call it inside the change's transaction."""
    await record_company_activity(
        principal.company_id, kind, subject, detail, actor_id=principal.user_id or None, actor_name=principal.user_name
    )


async def record_company_activity(
    company_id: int,
    kind: ActivityKind,
    subject: str = "",
    detail: str = "",
    *,
    actor_id: int | None = None,
    actor_name: str = "",
) -> None:
    """Append one line to a company's log; with no actor for what the product did itself (e.g. a reminder)."""
    await Activity(
        company=company_id,
        actor=actor_id,
        actor_name=actor_name[:200],
        kind=kind.value,
        subject=subject[:SUBJECT_MAX],
        detail=detail[:DETAIL_MAX],
    ).save()


@dataclass(slots=True)
class ActivityFilter:
    """Which lines to show: by teammate, kinds, and a date range (UTC days, both ends included)."""

    actor: int | None = None
    kinds: list[ActivityKind] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None


def _where(principal: Principal, filters: ActivityFilter):
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors = FieldErrors()
        errors.add("date_to", "The end date must not be before the start date.", "date_range_reversed")
        errors.raise_if_any()
    where: Any = Activity.company == principal.company_id
    if filters.actor is not None:
        where &= Activity.actor == filters.actor
    if filters.kinds:
        where &= Activity.kind.is_in([kind.value for kind in filters.kinds])
    if filters.date_from:
        where &= Activity.created_at >= datetime.combine(filters.date_from, time(), tzinfo=UTC)
    if filters.date_to:
        where &= Activity.created_at < datetime.combine(filters.date_to + timedelta(days=1), time(), tzinfo=UTC)
    return where


def _entry(row: dict) -> ActivityEntry:
    return ActivityEntry(
        id=row["id"],
        kind=row["kind"],
        label=activity_label(row["kind"]),
        actor_id=row["actor"],
        actor_name=row["actor_name"],
        subject=row["subject"],
        detail=row["detail"],
        at=row["created_at"],
    )


async def list_activity(principal: Principal, filters: ActivityFilter, page: int, page_size: int) -> ActivityPage:
    """A page of the company's log, newest first."""
    where = _where(principal, filters)
    rows = (
        await Activity.select()
        .where(where)
        .order_by(Activity.created_at, ascending=False)
        .order_by(Activity.id, ascending=False)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    total = await Activity.count().where(where)
    return ActivityPage(items=[_entry(row) for row in rows], total=total, page=page, page_size=page_size)


async def activity_people(principal: Principal) -> list[ActivityPerson]:
    """The company's teammates, by name, for the person filter."""
    rows = (
        await CompanyUser.select(CompanyUser.id, CompanyUser.name)
        .where(CompanyUser.company == principal.company_id)
        .order_by(CompanyUser.name)
    )
    return [ActivityPerson(id=row["id"], name=row["name"]) for row in rows]


async def activity_csv(principal: Principal, filters: ActivityFilter) -> tuple[str, bytes]:
    """The filtered log as a spreadsheet-safe CSV file (newest first), with its file name."""
    rows = (
        await Activity.select()
        .where(_where(principal, filters))
        .order_by(Activity.created_at, ascending=False)
        .order_by(Activity.id, ascending=False)
        .limit(EXPORT_MAX)
    )
    lines: list[tuple[object, ...]] = [("When (UTC)", "Person", "Action", "Subject", "Detail")]
    lines += [
        (
            row["created_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            row["actor_name"],
            activity_label(row["kind"]),
            row["subject"],
            row["detail"],
        )
        for row in rows
    ]
    return "activity.csv", await asyncio.to_thread(write_csv, lines)


def contact_subject(name: str, email: str) -> str:
    """How a contact is named in the log: name and email (the email alone when there is no name)."""
    return f"{name} <{email}>" if name else email
