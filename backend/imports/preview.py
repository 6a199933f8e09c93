"""The verdict on each row of an uploaded CSV, before anything is imported."""

from __future__ import annotations

from backend.accounts.service import Principal
from backend.contacts.tables import Contact
from backend.database import chunks
from backend.imports.csv_parser import ParsedCsv
from backend.validation import EMAIL_MAX, NAME_MAX, email_problem, normalise_email, normalise_tag
from backend.workers.tables import Worker
from shared.imports import PreviewRow, RowVerdict

WORKER_LOOKUP_CHUNK = 5_000


async def preview_rows(principal: Principal, parsed: ParsedCsv) -> list[PreviewRow]:
    """Each row with its verdict: new, in the pool, existing worker, invalid email, missing name or duplicate."""
    in_pool = {row["email"] for row in await Contact.select(Contact.email).where(Contact.company == principal.company_id)}
    first_line: dict[str, int] = {}
    rows: list[PreviewRow] = []
    candidates: list[PreviewRow] = []
    for raw in parsed.rows:
        email = normalise_email(raw.email)
        row = PreviewRow(
            line=raw.line, name=raw.name, email=email,
            tags=list(dict.fromkeys(t for t in map(normalise_tag, raw.tags) if t)), verdict=RowVerdict.NEW,
        )
        problem = "Email is missing." if not email else (
            f"Email is longer than {EMAIL_MAX} characters." if len(email) > EMAIL_MAX else email_problem(email)
        )
        if problem:
            row.verdict, row.reason = RowVerdict.INVALID_EMAIL, problem
        elif email in first_line:
            row.verdict, row.reason = RowVerdict.DUPLICATE, f"Same email as row {first_line[email]}."
        elif not raw.name.strip():
            first_line[email] = raw.line
            row.verdict, row.reason = RowVerdict.MISSING_NAME, "Name is missing."
        elif len(raw.name) > NAME_MAX:
            first_line[email] = raw.line
            row.verdict, row.reason = RowVerdict.MISSING_NAME, f"Name is longer than {NAME_MAX} characters."
        elif email in in_pool:
            first_line[email] = raw.line
            row.verdict = RowVerdict.IN_POOL
        else:
            first_line[email] = raw.line
            candidates.append(row)
        rows.append(row)
    workers: set[str] = set()
    for chunk in chunks([row.email for row in candidates], WORKER_LOOKUP_CHUNK):
        workers.update(r["email"] for r in await Worker.select(Worker.email).where(Worker.email.is_in(chunk)))
    for row in candidates:
        if row.email in workers:
            row.verdict = RowVerdict.EXISTING_WORKER
    return rows
