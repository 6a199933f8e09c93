"""The verdict on each row of an uploaded CSV, before anything is imported."""

from __future__ import annotations

import re
import zlib

import msgspec

from backend.accounts.service import Principal
from backend.contacts.tables import Contact
from backend.database import chunks
from backend.imports.csv_parser import TAG_SEPARATORS, ParsedCsv
from backend.validation import EMAIL_MAX, NAME_MAX, TAG_MAX, TAGS_MAX, email_problem, has_control_characters
from backend.workers.tables import Worker
from shared.imports import PreviewRow, RowVerdict

WORKER_LOOKUP_CHUNK = 5_000
_SPACES = re.compile(r"\s+")
_NEW, _IN_POOL, _WORKER = RowVerdict.NEW.value, RowVerdict.IN_POOL.value, RowVerdict.EXISTING_WORKER.value


class StoredRow(msgspec.Struct, array_like=True):
    """A previewed row as kept with the import: compact, in file order."""

    line: int
    name: str
    email: str
    tags: list[str]
    verdict: str
    reason: str = ""

    def public(self) -> PreviewRow:
        """The row on the wire."""
        return PreviewRow(
            line=self.line, name=self.name, email=self.email, tags=self.tags, verdict=RowVerdict(self.verdict), reason=self.reason
        )


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(list[StoredRow])


def pack_rows(rows: list[StoredRow]) -> bytes:
    """Rows as stored in the database: MessagePack, compressed."""
    return zlib.compress(_encoder.encode(rows), 1)


def unpack_rows(data: bytes) -> list[StoredRow]:
    """The rows `pack_rows` stored."""
    return _decoder.decode(zlib.decompress(data))


def _tags(cell: str) -> tuple[list[str], str]:
    """A cell's tags, normalised and distinct, and why they can't be used (or "")."""
    tags = list(dict.fromkeys(tag for tag in (_SPACES.sub(" ", t).strip().lower() for t in TAG_SEPARATORS.split(cell)) if tag))
    if any(len(tag) > TAG_MAX for tag in tags):
        return tags, f"A tag is longer than {TAG_MAX} characters."
    if len(tags) > TAGS_MAX:
        return tags, f"More than {TAGS_MAX} tags."
    if has_control_characters(cell):
        return tags, "Tags contain characters that are not allowed."
    return tags, ""


def judge_rows(parsed: ParsedCsv, in_pool: set[str]) -> list[StoredRow]:
    """Each row with its verdict, except existing workers (see `mark_workers`); CPU only."""
    first_line: dict[str, int] = {}
    rows: list[StoredRow] = []
    append = rows.append
    for line, raw_name, raw_email, tag_cell in parsed.rows:
        email = raw_email.lower()
        tags, tags_problem = _tags(tag_cell) if tag_cell else ([], "")
        name = _SPACES.sub(" ", raw_name) if raw_name else ""
        if not email:
            verdict, reason = RowVerdict.INVALID_EMAIL.value, "Email is missing."
        elif len(email) > EMAIL_MAX:
            verdict, reason = RowVerdict.INVALID_EMAIL.value, f"Email is longer than {EMAIL_MAX} characters."
        elif problem := email_problem(email):
            verdict, reason = RowVerdict.INVALID_EMAIL.value, problem
        elif email in first_line:
            verdict, reason = RowVerdict.DUPLICATE.value, f"Same email as row {first_line[email]}."
        else:
            first_line[email] = line
            if not name:
                verdict, reason = RowVerdict.MISSING_NAME.value, "Name is missing."
            elif len(name) > NAME_MAX:
                verdict, reason = RowVerdict.INVALID_NAME.value, f"Name is longer than {NAME_MAX} characters."
            elif has_control_characters(name):
                verdict, reason = RowVerdict.INVALID_NAME.value, "Name contains characters that are not allowed."
            elif tags_problem:
                verdict, reason = RowVerdict.INVALID_TAGS.value, tags_problem
            elif email in in_pool:
                verdict, reason = _IN_POOL, ""
            else:
                verdict, reason = _NEW, ""
        append(StoredRow(line, name, email, tags, verdict, reason))
    return rows


async def emails_in_pool(company_id: int) -> set[str]:
    """Every email already in the company's pool."""
    return {row["email"] for row in await Contact.select(Contact.email).where(Contact.company == company_id)}


async def mark_workers(rows: list[StoredRow]) -> None:
    """Turn new rows whose email has a worker account into existing-worker rows."""
    new = [row for row in rows if row.verdict == _NEW]
    workers: set[str] = set()
    for chunk in chunks([row.email for row in new], WORKER_LOOKUP_CHUNK):
        workers.update(r["email"] for r in await Worker.select(Worker.email).where(Worker.email.is_in(chunk)))
    if workers:
        for row in new:
            if row.email in workers:
                row.verdict = _WORKER


async def preview_rows(principal: Principal, parsed: ParsedCsv) -> list[StoredRow]:
    """Each row with its verdict: new, in the pool, existing worker, invalid, missing name or duplicate."""
    rows = judge_rows(parsed, await emails_in_pool(principal.company_id))
    await mark_workers(rows)
    return rows
