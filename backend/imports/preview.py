"""The verdict on each row of an uploaded CSV, before anything is imported."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import msgspec

from backend.contacts.tables import Contact
from backend.imports.csv_parser import TAG_SEPARATORS, CsvRow, ParsedCsv, read_contacts_csv
from backend.sqlite_tuning import paused_gc
from backend.validation import (
    EMAIL_MAX,
    NAME_MAX,
    TAG_MAX,
    TAGS_MAX,
    email_problem,
    has_control_characters,
    text_problem,
)
from shared.imports import RowVerdict

_SPACES = re.compile(r"\s+")
# Whitespace a name must have collapsed: a run of two or more, or anything but a plain space.
_ODD_SPACES = re.compile(r"\s\s|[^\S ]")
_TAG_CACHE_SIZE = 10_000
_NEW, _IN_POOL = RowVerdict.NEW.value, RowVerdict.IN_POOL.value
# Previews stored before emails with worker accounts were judged `new` like the rest.
_LEGACY_WORKER = "existing_worker"


class StoredRow(msgspec.Struct, array_like=True):
    """A previewed row as kept with the import: compact, in file order."""

    line: int
    name: str
    email: str
    tags: list[str]
    verdict: str
    reason: str = ""


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(list[StoredRow])


def pack_rows(rows: list[StoredRow]) -> bytes:
    """Rows as stored in the database: MessagePack, compressed."""
    return zlib.compress(_encoder.encode(rows), 1)


def unpack_rows(data: bytes) -> list[StoredRow]:
    """The rows `pack_rows` stored."""
    raw = zlib.decompress(data)
    with paused_gc():
        rows = _decoder.decode(raw)
    if _LEGACY_WORKER.encode() in raw:
        for row in rows:
            if row.verdict == _LEGACY_WORKER:
                row.verdict = _NEW
    return rows


def legacy_count(counts: dict, verdict: RowVerdict) -> int:
    """Rows an older preview counted as existing workers: they count as new."""
    return counts.get(_LEGACY_WORKER, 0) if verdict is RowVerdict.NEW else 0


def _tag_reader():
    """A function turning a tag cell into its normalised, distinct tags and why they can't be used (or "").

    It remembers each raw piece it has normalised (up to `_TAG_CACHE_SIZE` of them, so a file of
    distinct tags cannot fill memory): a file repeats the same few dozen skills across thousands of rows.
    """
    normal: dict[str, str] = {}
    unusable: dict[str, str] = {}
    split = TAG_SEPARATORS.split

    def read(cell: str) -> tuple[list[str], str]:
        tags: list[str] = []
        for piece in split(cell):
            tag = normal.get(piece)
            if tag is None:
                tag = _SPACES.sub(" ", piece).strip().lower()
                if len(normal) < _TAG_CACHE_SIZE:
                    normal[piece] = tag
                if tag and (problem := text_problem(tag)):
                    unusable[tag] = f"A tag {problem}."
            if tag and tag not in tags:
                tags.append(tag)
        if len(cell) > TAG_MAX and any(len(tag) > TAG_MAX for tag in tags):
            return tags, f"A tag is longer than {TAG_MAX} characters."
        if len(tags) > TAGS_MAX:
            return tags, f"More than {TAGS_MAX} tags."
        if unusable:
            for tag in tags:
                if tag in unusable:
                    return tags, unusable[tag]
        if has_control_characters(cell):
            return tags, "Tags contain characters that are not allowed."
        return tags, ""

    return read


def judge_rows(csv_rows: Iterable[CsvRow], in_pool: set[str]) -> list[StoredRow]:
    """Each row with its verdict (whether an email has a worker account is not looked up); CPU only."""
    first_line: dict[str, int] = {}
    rows: list[StoredRow] = []
    append = rows.append
    read_tags = _tag_reader()
    odd_spaces = _ODD_SPACES.search
    for line, raw_name, raw_email, tag_cell in csv_rows:
        email = raw_email.lower()
        tags, tags_problem = read_tags(tag_cell) if tag_cell else ([], "")
        name = _SPACES.sub(" ", raw_name) if odd_spaces(raw_name) else raw_name
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
            elif name_problem := text_problem(name):
                verdict, reason = RowVerdict.INVALID_NAME.value, f"Name {name_problem}."
            elif tags_problem:
                verdict, reason = RowVerdict.INVALID_TAGS.value, tags_problem
            elif email in in_pool:
                verdict, reason = _IN_POOL, ""
            else:
                verdict, reason = _NEW, ""
        append(StoredRow(line, name, email, tags, verdict, reason))
    return rows


def read_and_judge(data: bytes, in_pool: set[str]) -> tuple[ParsedCsv, list[StoredRow]]:
    """Parse a file and judge its rows (`judge_rows`) as they are read; the parsed file comes back without its rows."""
    with paused_gc():
        parsed, csv_rows = read_contacts_csv(data)
        rows = judge_rows(csv_rows, in_pool)
    return parsed, rows


async def emails_in_pool(company_id: int) -> set[str]:
    """Every email already in the company's pool."""
    return {row["email"] for row in await Contact.select(Contact.email).where(Contact.company == company_id)}
