"""Generate a large, realistic Talent Pool straight into a migrated SQLite or PostgreSQL database.

Names and emails as people have them, 1–5 skill tags each (a few tags are common, most are rare)
and statuses spread as in a pool in use (most contacts invited or active, few rejected).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

from backend.contacts.service import search_text
from backend.seed import FIRST_NAMES, LAST_NAMES
from shared.contacts import ContactSource, ContactStatus

BENCH_EMAIL = "bench@talentpool.example"
BENCH_PASSWORD = "bench-password-123"

_SYLLABLES = "ka lo mi ne ru sa te vi zo an el is or ux py go js ml ai db ops dev ux qa".split()
# How statuses are spread in a pool in use.
STATUS_WEIGHTS = {
    ContactStatus.INVITED: 30,
    ContactStatus.ACTIVE: 35,
    ContactStatus.NOT_INVITED: 10,
    ContactStatus.APPLIED: 5,
    ContactStatus.DECLINED: 8,
    ContactStatus.EXPIRED: 7,
    ContactStatus.REVOKED: 3,
    ContactStatus.REJECTED: 2,
}
_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "web.de", "mail.dk", "studio.example"]
CONTACT_COLUMNS = (
    "id",
    "company",
    "name",
    "email",
    "status",
    "source",
    "links",
    "notes",
    "search_text",
    "created_at",
    "updated_at",
    "last_activity_at",
)


def tag_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct skill-like tags."""
    names: set[str] = set()
    while len(names) < count:
        names.add("-".join(rng.sample(_SYLLABLES, 2)) + str(rng.randint(1, 99)))
    return sorted(names)


def contact_rows(
    company_id: int, first_id: int, contacts: int, tag_ids: dict[str, int], rng: random.Random, now: datetime
) -> Iterator[tuple[tuple, list[tuple[int, int]]]]:
    """Each contact's row (CONTACT_COLUMNS, timestamps as datetimes) and its (contact, tag) pairs."""
    names = list(tag_ids)
    # Zipf-like: the tag ranked k is chosen about 1/k as often as the first.
    weights = [1 / (rank + 1) for rank in range(len(names))]
    statuses = [s.value for s in STATUS_WEIGHTS]
    status_weights = list(STATUS_WEIGHTS.values())
    sources = [s.value for s in ContactSource]
    for i in range(contacts):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}.{i}@{_DOMAINS[i % len(_DOMAINS)]}"
        chosen = sorted(set(rng.choices(names, weights, k=rng.randint(1, 5))))
        created = now - timedelta(minutes=rng.randint(0, 600_000))
        activity = created + timedelta(minutes=rng.randint(0, 60_000))
        contact_id = first_id + i
        row = (
            contact_id,
            company_id,
            name,
            email,
            rng.choices(statuses, status_weights)[0],
            rng.choice(sources),
            "[]",
            "",
            search_text(name, email, chosen),
            created,
            created,
            min(activity, now),
        )
        yield row, [(contact_id, tag_ids[t]) for t in chosen]


def search_fragments(sample: list[str], low: float, high: float) -> list[str]:
    """Three-letter substrings found in between `low` and `high` of the sampled search texts."""
    counts: dict[str, int] = {}
    for text in sample:
        for fragment in {text[i : i + 3] for i in range(len(text) - 2)}:
            if fragment.isalpha():
                counts[fragment] = counts.get(fragment, 0) + 1
    return sorted(f for f, n in counts.items() if low <= n / len(sample) <= high)


def _ts(value: datetime) -> str:
    return value.isoformat()


def fill(path: str, contacts: int = 100_000, tags: int = 2_000, others: int = 0, seed: int = 1) -> list[str]:
    """Write the bench company with `contacts` contacts (and another company with `others`); returns its tags."""
    rng = random.Random(seed)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    now = datetime.now(UTC)
    password_hash = PasswordHasher().hash(BENCH_PASSWORD)
    names = tag_names(tags, rng)
    first_id, links = 1, 0
    for company, count, email in (("Bench Co", contacts, BENCH_EMAIL), ("Other Co", others, "other-" + BENCH_EMAIL)):
        db.execute("INSERT INTO company (name, created_at) VALUES (?, ?)", (company, _ts(now)))
        company_id = db.execute("SELECT max(id) FROM company").fetchone()[0]
        db.execute(
            "INSERT INTO company_user (company, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            (company_id, "Bench User", email, password_hash, _ts(now)),
        )
        db.executemany("INSERT INTO tag (company, name) VALUES (?, ?)", [(company_id, n) for n in names])
        tag_id = dict(db.execute("SELECT name, id FROM tag WHERE company = ?", (company_id,)).fetchall())
        contact_batch, tag_batch = [], []
        with db:
            for row, pairs in contact_rows(company_id, first_id, count, tag_id, rng, now):
                contact_batch.append((*row[:9], *(_ts(t) for t in row[9:])))
                tag_batch.extend(pairs)
                if len(contact_batch) >= 10_000:
                    _sqlite_write(db, contact_batch, tag_batch)
                    links += len(tag_batch)
                    contact_batch, tag_batch = [], []
            _sqlite_write(db, contact_batch, tag_batch)
            links += len(tag_batch)
        first_id += count
    db.execute("ANALYZE")
    db.close()
    print(
        f"dataset: {contacts:,} + {others:,} contacts, {tags:,} tags, {links:,} tag links in {time.perf_counter() - started:.1f} s"
    )
    return names


def _sqlite_write(db: sqlite3.Connection, contacts: list[tuple], tags: list[tuple]) -> None:
    db.executemany(
        f"INSERT INTO contact ({', '.join(CONTACT_COLUMNS)}) VALUES ({', '.join('?' * len(CONTACT_COLUMNS))})", contacts
    )
    db.executemany("INSERT INTO contact_tag (contact, tag) VALUES (?, ?)", tags)


def fill_postgres(url: str, contacts: int, tags: int = 2_000, others: int = 0, seed: int = 1) -> list[str]:
    """The same data set loaded into PostgreSQL with COPY, then ANALYZE; returns the bench company's tags."""
    return asyncio.run(_fill_postgres(url, contacts, tags, others, seed))


async def _fill_postgres(url: str, contacts: int, tags: int, others: int, seed: int) -> list[str]:
    import asyncpg

    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    password_hash = PasswordHasher().hash(BENCH_PASSWORD)
    names = tag_names(tags, rng)
    db = await asyncpg.connect(url)
    first_id, links = 1, 0
    # Bulk loading: the migrations' indexes are dropped, then built once over all rows (far quicker
    # than keeping them up to date row by row, above all the trigram index).
    indexes = await db.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('contact', 'contact_tag') "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    try:
        for index in indexes:
            await db.execute(f'DROP INDEX "{index["indexname"]}"')
        for company, count, email in (
            ("Bench Co", contacts, BENCH_EMAIL),
            ("Other Co", others, "other-" + BENCH_EMAIL),
        ):
            company_id = await db.fetchval(
                "INSERT INTO company (name, created_at) VALUES ($1, $2) RETURNING id", company, now
            )
            await db.execute(
                "INSERT INTO company_user (company, name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
                company_id,
                "Bench User",
                email,
                password_hash,
                now,
            )
            await db.executemany("INSERT INTO tag (company, name) VALUES ($1, $2)", [(company_id, n) for n in names])
            tag_id = {
                r["name"]: r["id"] for r in await db.fetch("SELECT name, id FROM tag WHERE company = $1", company_id)
            }
            contact_batch, tag_batch = [], []
            for row, pairs in contact_rows(company_id, first_id, count, tag_id, rng, now):
                contact_batch.append(row)
                tag_batch.extend(pairs)
                if len(contact_batch) >= 50_000:
                    links += await _copy(db, contact_batch, tag_batch)
                    contact_batch, tag_batch = [], []
            links += await _copy(db, contact_batch, tag_batch)
            first_id += count
        await db.execute("SELECT setval(pg_get_serial_sequence('contact', 'id'), (SELECT max(id) FROM contact))")
        await db.execute("SET maintenance_work_mem = '512MB'")
        for index in indexes:
            await db.execute(index["indexdef"])
        await db.execute("VACUUM ANALYZE contact")
        await db.execute("VACUUM ANALYZE contact_tag")
        await db.execute("VACUUM ANALYZE tag")
    finally:
        await db.close()
    print(
        f"dataset: {contacts:,} + {others:,} contacts, {tags:,} tags, {links:,} tag links in {time.perf_counter() - started:.1f} s"
    )
    return names


async def _copy(db, contacts: list[tuple], tags: list[tuple]) -> int:
    await db.copy_records_to_table("contact", records=contacts, columns=list(CONTACT_COLUMNS))
    await db.copy_records_to_table("contact_tag", records=tags, columns=["contact", "tag"])
    return len(tags)
