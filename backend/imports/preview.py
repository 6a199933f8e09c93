"""The verdict on each row of an uploaded CSV, before anything is imported."""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import msgspec

from backend.contacts.tables import Contact
from backend.db.sqlite_tuning import paused_gc
from backend.imports.csv_parser import TAG_SEPARATORS, CsvRow, ParsedCsv, read_contacts_csv
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
# Rows are stored as a zlib stream of frames, each a 4-byte length and a MessagePack list of up
# to `_FRAME_ROWS` rows, so they can be written and read a frame at a time. Older imports hold one
# compressed list without this prefix.
_FRAMED = b"TPR2"
_FRAME_ROWS = 10_000
_LENGTH = struct.Struct(">I")
_READ_BYTES = 1024 * 1024


class RowPacker:
    """Packs rows as they come, a frame at a time, so only the compressed rows stay in memory."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(1)
        self._parts: list[bytes] = []
        self._frame: list[StoredRow] = []

    def add(self, row: StoredRow) -> None:
        """One more row, in file order."""
        self._frame.append(row)
        if len(self._frame) == _FRAME_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._frame:
            encoded = _encoder.encode(self._frame)
            self._parts.append(self._compressor.compress(_LENGTH.pack(len(encoded)) + encoded))
            self._frame = []

    def finish(self) -> bytes:
        """Every row added, as stored in the database."""
        self._flush()
        self._parts.append(self._compressor.flush())
        return _FRAMED + b"".join(self._parts)


def pack_rows(rows: Iterable[StoredRow]) -> bytes:
    """Rows as stored in the database: framed MessagePack, compressed."""
    packer = RowPacker()
    for row in rows:
        packer.add(row)
    return packer.finish()


def iter_row_frames(data: bytes) -> Iterator[list[StoredRow]]:
    """The rows `pack_rows` stored, a frame (up to 10,000 rows) at a time, in file order."""
    if not data.startswith(_FRAMED):
        yield _fix_legacy(zlib.decompress(data), _decoder.decode(zlib.decompress(data)))
        return
    decompressor = zlib.decompressobj()
    view = memoryview(data)
    buffer = bytearray()
    for at in range(len(_FRAMED), len(data) + 1, _READ_BYTES):
        buffer += decompressor.decompress(view[at : at + _READ_BYTES]) if at < len(data) else decompressor.flush()
        while len(buffer) >= _LENGTH.size and len(buffer) >= _LENGTH.size + (length := _LENGTH.unpack_from(buffer)[0]):
            raw = bytes(buffer[_LENGTH.size : _LENGTH.size + length])
            del buffer[: _LENGTH.size + length]
            yield _fix_legacy(raw, _decoder.decode(raw))


def _fix_legacy(raw: bytes, rows: list[StoredRow]) -> list[StoredRow]:
    if _LEGACY_WORKER.encode() in raw:
        for row in rows:
            if row.verdict == _LEGACY_WORKER:
                row.verdict = _NEW
    return rows


def unpack_rows(data: bytes) -> list[StoredRow]:
    """The rows `pack_rows` stored."""
    rows: list[StoredRow] = []
    # Decoding makes a new string of every tag and verdict of every row; sharing one string per
    # distinct value keeps a large file's rows in far less memory (as the preview built them).
    shared: dict[str, str] = {}
    with paused_gc():
        for frame in iter_row_frames(data):
            for row in frame:
                row.verdict = shared.setdefault(row.verdict, row.verdict)
                if row.tags:
                    row.tags = [shared.setdefault(tag, tag) for tag in row.tags]
            rows += frame
            if len(shared) > _TAG_CACHE_SIZE:
                shared.clear()
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
    return list(judge(csv_rows, in_pool))


def judge(csv_rows: Iterable[CsvRow], in_pool: set[str]) -> Iterator[StoredRow]:
    """Each row with its verdict, as the rows are read (see `judge_rows`)."""
    first_line: dict[str, int] = {}
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
        yield StoredRow(line, name, email, tags, verdict, reason)


@dataclass(slots=True)
class JudgedFile:
    """A previewed file: what was detected about it, its packed rows and how many got each verdict."""

    parsed: ParsedCsv
    packed: bytes
    counts: Counter


def read_and_judge(binary: BinaryIO, in_pool: set[str], max_rows: int | None = None) -> JudgedFile:
    """Parse a file and judge its rows as they are read, packing each in turn; no list of rows is kept."""
    counts: Counter = Counter()
    packer = RowPacker()
    add = packer.add
    with paused_gc():
        parsed, csv_rows = read_contacts_csv(binary, max_rows)
        for row in judge(csv_rows, in_pool):
            counts[row.verdict] += 1
            add(row)
    return JudgedFile(parsed=parsed, packed=packer.finish(), counts=counts)


async def emails_in_pool(company_id: int) -> set[str]:
    """Every email already in the company's pool."""
    return {row["email"] for row in await Contact.select(Contact.email).where(Contact.company == company_id)}
