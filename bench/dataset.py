"""Generate a large, realistic Talent Pool straight into a migrated SQLite file."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

from backend.contacts.service import search_text
from backend.seed import FIRST_NAMES, LAST_NAMES
from shared.contacts import ContactSource, ContactStatus

BENCH_EMAIL = "bench@talentpool.example"
BENCH_PASSWORD = "bench-password-123"

_SYLLABLES = "ka lo mi ne ru sa te vi zo an el is or ux py go js ml ai db ops dev ux qa".split()


def tag_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct skill-like tags."""
    names: set[str] = set()
    while len(names) < count:
        names.add("-".join(rng.sample(_SYLLABLES, 2)) + str(rng.randint(1, 99)))
    return sorted(names)


def _ts(value: datetime) -> str:
    return value.isoformat()


def fill(path: str, contacts: int = 100_000, tags: int = 2_000, tags_per_contact: int = 3, seed: int = 1) -> None:
    """Write one company with `contacts` contacts, each with `tags_per_contact` of `tags` tags."""
    rng = random.Random(seed)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    now = datetime.now(UTC)
    db.execute("INSERT INTO company (name, created_at) VALUES (?, ?)", ("Bench Co", _ts(now)))
    company_id = db.execute("SELECT max(id) FROM company").fetchone()[0]
    db.execute(
        "INSERT INTO company_user (company, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (company_id, "Bench User", BENCH_EMAIL, PasswordHasher().hash(BENCH_PASSWORD), _ts(now)),
    )
    names = tag_names(tags, rng)
    db.executemany("INSERT INTO tag (company, name) VALUES (?, ?)", [(company_id, n) for n in names])
    tag_id = dict(db.execute("SELECT name, id FROM tag WHERE company = ?", (company_id,)).fetchall())
    statuses = [s.value for s in ContactStatus]
    sources = [s.value for s in ContactSource]
    contact_rows, tag_rows = [], []
    first_id = (db.execute("SELECT coalesce(max(id), 0) FROM contact").fetchone()[0]) + 1
    for i in range(contacts):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}.{i}@mail{i % 50}.example"
        chosen = rng.sample(names, tags_per_contact)
        created = now - timedelta(minutes=rng.randint(0, 600_000))
        contact_rows.append((
            first_id + i, company_id, name, email, rng.choice(statuses), rng.choice(sources), json.dumps([]), "",
            search_text(name, email, chosen), _ts(created), _ts(created), _ts(created),
        ))
        tag_rows.extend((first_id + i, tag_id[t]) for t in chosen)
    with db:
        db.executemany(
            "INSERT INTO contact (id, company, name, email, status, source, links, notes, search_text, "
            "created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contact_rows,
        )
        db.executemany("INSERT INTO contact_tag (contact, tag) VALUES (?, ?)", tag_rows)
    db.execute("ANALYZE")
    db.close()
    print(f"dataset: {contacts:,} contacts, {tags:,} tags, {len(tag_rows):,} tag links in {time.perf_counter() - started:.1f} s")
