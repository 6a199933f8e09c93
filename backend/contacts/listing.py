"""The Talent Pool listing: search, filters, sort and paging, with totals and the counts beside the filters.

Totals and counts are exact up to a cap and "more than" the cap beyond it: counting hundreds of
thousands of matches exactly would cost far more than finding the page.
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec

from backend.auth import Principal
from backend.contacts.delivery import invitation_deliveries
from backend.contacts.rules import worker_account_shown
from backend.contacts.service import tags_of
from backend.contacts.tables import Contact, Tag
from backend.db import is_sqlite, like_pattern, placeholders, raw_datetime
from backend.validation import normalise_tag
from backend.workers.tables import Worker
from shared.contacts import (
    ContactPage,
    ContactSort,
    ContactSource,
    ContactStatus,
    ContactSummary,
    StatusCount,
    TagCount,
)

PAGE_SIZE_MAX = 100
SEARCH_MAX = 200
SEARCH_INDEX_MIN_LENGTH = 3
# Up to this many matches, a text search sorts its matches; beyond, it walks the sort index.
SPARSE_MATCHES = 5_000
# Totals and counts are exact up to this many; beyond, "more than" this many (counting
# hundreds of thousands of matches exactly would cost more than finding the page).
COUNT_CAP = 10_000

_SORT_SQL = {
    ContactSort.NAME: "lower(c.name) ASC, c.id ASC",
    ContactSort.NAME_DESC: "lower(c.name) DESC, c.id DESC",
    ContactSort.EMAIL: "c.email ASC, c.id ASC",
    ContactSort.EMAIL_DESC: "c.email DESC, c.id DESC",
    ContactSort.STATUS: "c.status ASC, lower(c.name) ASC, c.id ASC",
    ContactSort.STATUS_DESC: "c.status DESC, lower(c.name) ASC, c.id ASC",
    ContactSort.CREATED: "c.created_at ASC, c.id ASC",
    ContactSort.CREATED_DESC: "c.created_at DESC, c.id DESC",
    ContactSort.ACTIVITY: "c.last_activity_at ASC, c.id ASC",
    ContactSort.ACTIVITY_DESC: "c.last_activity_at DESC, c.id DESC",
}


class ContactQuery(msgspec.Struct, kw_only=True):
    """What the Talent Pool table asks for."""

    q: str = ""
    statuses: list[ContactStatus] = []
    tags: list[str] = []
    sort: ContactSort = ContactSort.NAME
    # Only contacts hired before (an accepted job offer).
    worked_before: bool = False
    # Only contacts with an email that could not be delivered.
    email_failed: bool = False
    page: int = 1
    page_size: int = 25


def _uses_search_index(text: str) -> bool:
    """SQLite's trigram index answers substrings of three or more characters."""
    return is_sqlite() and len(text) >= SEARCH_INDEX_MIN_LENGTH


def _phrase(text: str) -> str:
    """An FTS5 phrase matching `text` literally (a substring, with the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


_COLUMNS = (
    "c.id, c.name, c.email, c.status, c.source, c.created_at, c.last_activity_at, c.worker, "
    "c.last_engagement, c.last_engaged_at, c.email_error, c.email_failed_at"
)


class _Filter(msgspec.Struct):
    """A WHERE clause over `contact c` with its `{}` parameters."""

    sql: str
    params: list
    # The ids of the tags every match must carry (all of the company's own).
    tag_ids: list[int] = []


async def _filters(principal: Principal, query: ContactQuery) -> _Filter | None:
    """Company, status and tag conditions; None when a tag does not exist (nothing can match)."""
    where = ["c.company = {}"]
    params: list = [principal.company_id]
    if query.statuses:
        where.append(f"c.status IN ({placeholders(len(query.statuses))})")
        params.extend(s.value for s in query.statuses)
    if query.worked_before:
        # Answered by the partial index of hired contacts.
        where.append("c.last_engaged_at IS NOT NULL")
    if query.email_failed:
        # Answered by the partial index of contacts whose email failed.
        where.append("c.email_failed_at IS NOT NULL")
    tags = [t for t in dict.fromkeys(normalise_tag(t) for t in query.tags) if t]
    if tags:
        tag_rows = await Tag.select(Tag.id).where((Tag.company == principal.company_id) & Tag.name.is_in(tags))
        if len(tag_rows) < len(tags):
            return None
        if is_sqlite() and await _has_rare_tag([row["id"] for row in tag_rows]):
            # A rare tag's few contacts drive the query: gathered, then sorted.
            where.append(
                f"c.id IN (SELECT contact FROM contact_tag WHERE tag IN ({placeholders(len(tag_rows))}) "
                "GROUP BY contact HAVING COUNT(*) = {})"
            )
            params.extend(row["id"] for row in tag_rows)
            params.append(len(tag_rows))
        else:
            # One semi-join per tag: the sort index is walked and (contact, tag) probed, quick when every tag
            # is common. PostgreSQL chooses between that and gathering a rare tag's contacts from its statistics.
            for row in tag_rows:
                where.append("EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.contact = c.id AND ct.tag = {})")
                params.append(row["id"])
    return _Filter(" AND ".join(where), params, [row["id"] for row in tag_rows] if tags else [])


async def _has_rare_tag(tag_ids: list[int]) -> bool:
    """Whether one of these tags has at most SPARSE_MATCHES contacts (counted up to that, from the tag index)."""
    counts = " UNION ALL ".join(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM contact_tag WHERE tag = {} LIMIT {}) AS used" for _ in tag_ids
    )
    rows = await Contact.raw(counts, *[value for tag_id in tag_ids for value in (tag_id, SPARSE_MATCHES + 1)])
    return any(row["n"] <= SPARSE_MATCHES for row in rows)


def _text_match(text: str, company_id: int) -> _Filter:
    """Contacts whose name, email or tags contain `text`: the trigram index where it applies, else a scan."""
    if _uses_search_index(text):
        return _Filter("SELECT rowid AS id FROM contact_search WHERE contact_search MATCH {}", [_phrase(text)])
    return _Filter(
        "SELECT id FROM contact WHERE company = {} AND search_text LIKE {} ESCAPE '\\'",
        [company_id, like_pattern(text)],
    )


async def _sparse_search_page(match: _Filter, where: _Filter, query: ContactQuery) -> tuple[list[dict], int] | None:
    """Page and total of a search with few matches; None when matches are many.

    Counting the index's matches (up to the threshold) is cheap and decides: sorting the few
    matches beats walking the whole sort order for rare hits; SQLite keeps a CROSS JOIN's table
    order, so the matches drive the loop.
    """
    matched = await Contact.raw(
        f"SELECT COUNT(*) AS n FROM ({match.sql} LIMIT {{}}) AS m", *match.params, SPARSE_MATCHES + 1
    )
    if matched[0]["n"] > SPARSE_MATCHES:
        return None
    matches = f"WITH m AS MATERIALIZED ({match.sql}) "
    rows = await Contact.raw(
        f"{matches}SELECT {_COLUMNS}, COUNT(*) OVER () AS total FROM m CROSS JOIN contact c ON c.id = m.id "
        f"WHERE {where.sql} ORDER BY {_SORT_SQL[query.sort]} LIMIT {{}} OFFSET {{}}",
        *match.params,
        *where.params,
        query.page_size,
        (query.page - 1) * query.page_size,
    )
    if rows:
        return rows, rows[0]["total"]
    counted = await Contact.raw(
        f"{matches}SELECT COUNT(*) AS total FROM m CROSS JOIN contact c ON c.id = m.id WHERE {where.sql}",
        *match.params,
        *where.params,
    )
    return [], counted[0]["total"]


def count_limit(query: ContactQuery, count_cap: int) -> int:
    """Up to how many matches a listing counts exactly: the cap, or more when the page lies beyond it."""
    return max(count_cap, query.page * query.page_size)


def _count_source(text: str, source: str, where: _Filter, company_id: int, only_tags: bool) -> _Filter:
    """The FROM and WHERE of a listing's count.

    Filtered by tags alone, the count reads only the (tag, contact) index: the tags are the company's
    own (checked by `_filters`), so are the contacts that carry them. Many matches of a long enough
    search come from the trigram index.
    """
    if only_tags and where.tag_ids:
        first, *others = where.tag_ids
        also = "".join(
            " AND EXISTS (SELECT 1 FROM contact_tag o WHERE o.contact = ct.contact AND o.tag = {})" for _ in others
        )
        return _Filter(f"contact_tag ct WHERE ct.tag = {{}}{also}", [first, *others])
    if _uses_search_index(text):
        match = _text_match(text, company_id)
        # The matches drive the loop (CROSS JOIN keeps SQLite's table order), each checked against the filters.
        return _Filter(
            f"({match.sql}) AS m CROSS JOIN contact c ON c.id = m.id WHERE {where.sql}", [*match.params, *where.params]
        )
    return _Filter(f"{source} WHERE {where.sql}", where.params)


async def list_contacts(principal: Principal, query: ContactQuery, count_cap: int = COUNT_CAP) -> ContactPage:
    """One page of the caller's contacts, searched, filtered and sorted, with the total.

    The total is exact up to `count_limit` matches; beyond, it is that limit and `total_exact` is false.
    """
    where = await _filters(principal, query)
    if where is None:
        return ContactPage(items=[], total=0, page=query.page, page_size=query.page_size)
    limit = count_limit(query, count_cap)
    text = query.q.strip().lower()[:SEARCH_MAX]
    found = None
    if text and is_sqlite():
        found = await _sparse_search_page(_text_match(text, principal.company_id), where, query)
    if found is not None:
        rows, total = found
    else:
        if text:
            # Many matches: walking the sort order finds a page quickly; the count scans.
            where = _Filter(f"{where.sql} AND c.search_text LIKE {{}} ESCAPE '\\'", [*where.params, like_pattern(text)])
        # Hired contacts are few: SQLite would rather walk a whole sort index than sort them, PostgreSQL
        # chooses the partial index of hired contacts on its own.
        source = "contact c INDEXED BY contact_company_engaged" if query.worked_before and is_sqlite() else "contact c"
        if query.email_failed and not query.worked_before and is_sqlite():
            source = "contact c INDEXED BY contact_company_email_failed"
        page = Contact.raw(
            f"SELECT {_COLUMNS} FROM {source} WHERE {where.sql} ORDER BY {_SORT_SQL[query.sort]} LIMIT {{}} OFFSET {{}}",
            *where.params,
            query.page_size,
            (query.page - 1) * query.page_size,
        )
        only_tags = not (text or query.statuses or query.worked_before or query.email_failed)
        counted = _count_source(text, source, where, principal.company_id, only_tags)
        count = Contact.raw(
            f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM {counted.sql} LIMIT {{}}) AS found", *counted.params, limit + 1
        )
        # Two pooled connections: the database finds the page and counts at the same time.
        found_count: list[dict[str, Any]]
        rows, found_count = await asyncio.gather(page.run(), count.run())
        total = found_count[0]["n"]
    invited = [row["id"] for row in rows if row["status"] == ContactStatus.INVITED.value]
    tags_by_id, confirmed, deliveries = await asyncio.gather(
        tags_of([row["id"] for row in rows]),
        _confirmed_workers([row["worker"] for row in rows if row["status"] == ContactStatus.APPLIED.value]),
        invitation_deliveries(principal.company_id, invited),
    )
    items = [
        ContactSummary(
            id=row["id"],
            name=row["name"],
            email=row["email"],
            status=ContactStatus(row["status"]),
            source=ContactSource(row["source"]),
            tags=tags_by_id[row["id"]],
            created_at=raw_datetime(row["created_at"]),
            last_activity_at=raw_datetime(row["last_activity_at"]),
            email_confirmed=(row["worker"] in confirmed) if row["status"] == ContactStatus.APPLIED.value else None,
            last_engagement=row["last_engagement"],
            last_engaged_at=raw_datetime(row["last_engaged_at"]) if row["last_engaged_at"] is not None else None,
            email_error=row["email_error"] if row["email_failed_at"] is not None else "",
            has_worker_account=worker_account_shown(row["status"], row["worker"]),
            invitation_email=deliveries.get(row["id"]),
        )
        for row in rows
    ]
    exact = total <= limit
    return ContactPage(
        items=items, total=total if exact else limit, total_exact=exact, page=query.page, page_size=query.page_size
    )


async def _confirmed_workers(worker_ids: list[int]) -> set[int]:
    """Which of these workers have confirmed their email."""
    ids = [i for i in worker_ids if i is not None]
    if not ids:
        return set()
    rows = await Worker.select(Worker.id).where(Worker.id.is_in(ids) & Worker.email_confirmed_at.is_not_null())
    return {row["id"] for row in rows}


# Tag suggestions count each tag exactly up to this many ("1,000+" beyond): twenty tags stay cheap.
TAG_COUNT_CAP = 1_000
# Above this many tag links (PostgreSQL's estimate), PostgreSQL's statistics order the suggestions.
TAG_STATISTICS_MIN_LINKS = 100_000
# PostgreSQL's most common values of contact_tag.tag and their frequencies (its ANALYZE statistics).
_TAG_FREQUENCIES = (
    "SELECT unnest(most_common_vals::text::int[]) AS tag, unnest(most_common_freqs) AS freq FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'contact_tag' AND attname = 'tag'"
)


def _tag_count(alias: str) -> str:
    """The capped count of tag `alias`.id (its cap a `{}` parameter), read from the (tag, contact) index."""
    return f"(SELECT COUNT(*) FROM (SELECT 1 FROM contact_tag ct WHERE ct.tag = {alias}.id LIMIT {{}}) AS used)"


async def _uses_tag_statistics(statistics_above: int) -> bool:
    """Whether PostgreSQL estimates more than `statistics_above` tag links (counting them all would cost too much)."""
    if is_sqlite():
        return False
    rows = await Tag.raw("SELECT reltuples FROM pg_class WHERE relname = 'contact_tag' AND relkind = 'r'")
    return bool(rows) and rows[0]["reltuples"] > statistics_above


async def list_tags(
    principal: Principal,
    q: str = "",
    limit: int = 20,
    count_cap: int = TAG_COUNT_CAP,
    statistics_above: int = TAG_STATISTICS_MIN_LINKS,
) -> list[TagCount]:
    """The company's tags matching `q`, most used first; each count exact up to `count_cap`.

    Counting every tag of a large pool would read every tag link: there (PostgreSQL, more than
    `statistics_above` links) the order comes from PostgreSQL's statistics of the most common tags,
    then by name, and only the tags shown are counted.
    """
    params: list = [principal.company_id]
    condition = "t.company = {}"
    text = normalise_tag(q)[:SEARCH_MAX]
    if text:
        condition += " AND t.name LIKE {} ESCAPE '\\'"
        params.append(like_pattern(text))
    if await _uses_tag_statistics(statistics_above):
        query = (
            f"SELECT s.name, {_tag_count('s')} AS n FROM (SELECT t.id, t.name, m.freq FROM tag t "
            f"LEFT JOIN ({_TAG_FREQUENCIES}) AS m ON m.tag = t.id WHERE {condition} "
            "ORDER BY m.freq DESC NULLS LAST, t.name ASC LIMIT {}) AS s ORDER BY s.freq DESC NULLS LAST, s.name ASC"
        )
        rows = await Tag.raw(query, count_cap + 1, *params, limit)
    else:
        rows = await Tag.raw(
            f"SELECT t.name AS name, {_tag_count('t')} AS n FROM tag t WHERE {condition} ORDER BY n DESC, t.name ASC LIMIT {{}}",
            count_cap + 1,
            *params,
            limit,
        )
    return [TagCount(name=row["name"], count=min(row["n"], count_cap), exact=row["n"] <= count_cap) for row in rows]


async def status_counts(principal: Principal, count_cap: int = COUNT_CAP) -> list[StatusCount]:
    """How many of the caller's contacts are in each status (all statuses listed), each exact up to `count_cap`."""
    # One capped count per status, each read from the (company, status, …) index.
    counts = " UNION ALL ".join(
        f"SELECT '{status.value}' AS status, COUNT(*) AS n FROM "
        "(SELECT 1 FROM contact WHERE company = {} AND status = "
        f"'{status.value}'"
        " LIMIT {}) AS found"
        for status in ContactStatus
    )
    rows = await Contact.raw(counts, *[value for _ in ContactStatus for value in (principal.company_id, count_cap + 1)])
    found = {row["status"]: row["n"] for row in rows}
    return [
        StatusCount(status=status, count=min(found[status.value], count_cap), exact=found[status.value] <= count_cap)
        for status in ContactStatus
    ]
