"""Reading contact rows out of CSV files as real spreadsheets write them.

Handles UTF-8 with or without BOM, UTF-16 with BOM and Windows-1252; comma, semicolon or
tab delimiters; quoted fields with delimiters, quotes and newlines; blank lines; extra and
trailing empty columns; headers in any order and case, with common aliases.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from shared.limits import MAX_CSV_ROWS

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

DELIMITERS = (",", ";", "\t")
HEADER_ALIASES = {
    "name": {"name", "full name", "fullname", "contact name", "navn", "nom"},
    "email": {"email", "e-mail", "email address", "e-mail address", "mail", "emailaddress"},
    "tags": {"tags", "tag", "skills", "skill", "skills/tags", "tags/skills"},
}
# A line break inside a quoted tags cell separates tags too, as spreadsheets let people type them.
TAG_SEPARATORS = re.compile(r"[;,|\r\n]")
_SPACES = re.compile(r"\s+")
# Limits that keep a preview's time and memory bounded whatever the file (at most 200 MB) holds.
MAX_ROWS = MAX_CSV_ROWS
MAX_LINE_CHARS = 1024 * 1024
MAX_CELL_CHARS = 128 * 1024
MAX_COLUMNS = 1_000


class CsvProblem(ValueError):
    """The file cannot be read as a contacts CSV; the message says why, for people, and `code` for programs."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class CsvRow(NamedTuple):
    """One data row: its row number as a spreadsheet shows it (the header is row 1, a blank line is a
    row, a quoted cell's line breaks are not), its name and email cells, and its tags cell."""

    line: int
    name: str
    email: str
    tags: str


@dataclass(slots=True)
class ParsedCsv:
    """The rows of a file and what was detected about it."""

    encoding: str
    delimiter: str
    columns: dict[str, int]
    rows: list[CsvRow] = field(default_factory=list)


# Bytes read at a time when a file is checked or scanned as a whole.
_SCAN_BYTES = 8 * 1024 * 1024


def _decodes(binary: BinaryIO, encoding: str) -> bool:
    """Whether the whole stream reads without error in `encoding`, checked a block at a time."""
    binary.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while block := binary.read(_SCAN_BYTES):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _blank(binary: BinaryIO) -> bool:
    binary.seek(0)
    while block := binary.read(_SCAN_BYTES):
        if block.strip():
            return False
    return True


def detect_encoding(binary: BinaryIO) -> tuple[str, str]:
    """The codec to read the stream with and the encoding it reports (`utf-8-sig`, `utf-16`, …)."""
    binary.seek(0)
    head = binary.read(4096)
    if not head.strip() and _blank(binary):
        raise CsvProblem("The file is empty.", "empty_file")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not _decodes(binary, "utf-16"):
            raise CsvProblem("The file says it is UTF-16 but is not readable as UTF-16.", "unreadable_encoding")
        return "utf-16", "utf-16"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvProblem(
            "This is a spreadsheet workbook, not a CSV file. In your spreadsheet choose Save as (or Download as) CSV and upload that file.",
            "not_csv",
        )
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        odd_nuls, even_nuls = head[1::2].count(0), head[0::2].count(0)
        for encoding, nuls, others in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
            if nuls >= len(head) // 4 and others == 0 and _decodes(binary, encoding):
                return encoding, "utf-16"
    if b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > len(head) // 100:
        raise CsvProblem(
            "This is not a CSV file: it contains binary data. Export your sheet as CSV and try again.", "not_csv"
        )
    if _decodes(binary, "utf-8"):
        return "utf-8", "utf-8"
    return "cp1252", "windows-1252"


def open_text(binary: BinaryIO) -> tuple[io.TextIOWrapper, str]:
    """The stream as text, read a line at a time, and the encoding it was read with."""
    codec, encoding = detect_encoding(binary)
    binary.seek(0)
    errors = "replace" if codec == "cp1252" else "strict"
    return io.TextIOWrapper(binary, encoding=codec, errors=errors, newline=""), encoding


def _first_line(stream: io.TextIOBase) -> str:
    for line in _Lines(stream):
        if line.strip().strip(",;\t"):
            return line.rstrip("\r\n")
    raise CsvProblem("The file has no rows.", "no_rows")


def detect_delimiter(stream: io.TextIOBase) -> str:
    """The delimiter that splits the header line into the most cells (outside quotes)."""
    header = _first_line(stream)
    best, best_cells = ",", 1
    for delimiter in DELIMITERS:
        cells = len(next(csv.reader([header], delimiter=delimiter)))
        if cells > best_cells:
            best, best_cells = delimiter, cells
    return best


def _header_key(cell: str) -> str:
    return _SPACES.sub(" ", cell.replace("_", " ")).strip().strip('"').lower()


def map_columns(header: list[str]) -> dict[str, int]:
    """Which column holds name, email and tags; the first matching column wins."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in columns:
                columns[column] = index
    if "email" not in columns:
        found = ", ".join(f"“{c.strip()[:40]}”" for c in header if c.strip()) or "none"
        raise CsvProblem(
            f"No email column found. The first row must name the columns, e.g. Name, Email, Tags (found: {found}).",
            "no_email_column",
        )
    return columns


def split_tags(cell: str) -> list[str]:
    """Tags in one cell, separated by `;`, `,`, `|` or a line break."""
    return [tag for tag in (_SPACES.sub(" ", t).strip() for t in TAG_SEPARATORS.split(cell)) if tag]


class _Lines:
    """The stream's lines with their line breaks (CRLF, LF or CR), refusing any over `MAX_LINE_CHARS`;
    remembers the last line read, so the end of the file can be checked for an open quote."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self._readline = stream.readline
        self.number = 0
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        readline = self._readline
        while line := readline(MAX_LINE_CHARS + 1):
            self.number += 1
            if len(line) > MAX_LINE_CHARS:
                raise CsvProblem(
                    f"Line {self.number:,} is longer than {MAX_LINE_CHARS // 1024 // 1024} MB. A contacts file has one "
                    "short row per person: check that it was saved as CSV with one row per line.",
                    "line_too_long",
                )
            if line.strip():
                self.last = line
            yield line


class _Records:
    """The CSV records of a reader, counting them (blank ones too): the count is the spreadsheet's row number."""

    def __init__(self, reader: CsvReader) -> None:
        self._reader = reader
        self.number = 0

    def __iter__(self) -> Iterator[list[str]]:
        for cells in self._reader:
            self.number += 1
            yield cells


def too_many_rows(max_rows: int) -> CsvProblem:
    """The problem for a file with more than `max_rows` contacts."""
    return CsvProblem(
        f"The file has more than {max_rows:,} contacts. Split it into files of at most {max_rows:,} rows "
        "and upload them one by one.",
        "too_many_rows",
    )


def _cell_too_long(line: int) -> CsvProblem:
    return CsvProblem(
        f'Row {line:,} has a cell longer than {MAX_CELL_CHARS // 1024} KB, or a quote (") that is never closed. '
        "Fix that row and upload the file again.",
        "cell_too_long",
    )


def _check_width(cells: list[str], line: int) -> None:
    if len(cells) > MAX_COLUMNS:
        raise CsvProblem(
            f"Row {line:,} has more than {MAX_COLUMNS:,} columns. Keep the name, email and tags columns and upload "
            "the file again.",
            "too_many_columns",
        )


def _unterminated_quote(last_line: str, last_cell: str) -> bool:
    """Whether the file ends inside a quoted cell: the last cell swallowed line breaks and no quote closes it."""
    return ("\n" in last_cell or "\r" in last_cell) and not last_line.rstrip("\r\n").endswith('"')


def parse_contacts_csv(data: bytes, max_rows: int | None = None) -> ParsedCsv:
    """Every non-blank data row of a contacts CSV, with its line number; cells are trimmed."""
    parsed, rows = read_contacts_csv(io.BytesIO(data), max_rows)
    parsed.rows = list(rows)
    return parsed


def read_contacts_csv(binary: BinaryIO, max_rows: int | None = None) -> tuple[ParsedCsv, Iterator[CsvRow]]:
    """What was detected about a contacts CSV (its `rows` left empty), and its data rows one by one as read.

    The file is read from the (seekable) stream a line at a time, never held whole. The rows come
    lazily so a caller can judge and drop each in turn; reading raises `CsvProblem` for a file over
    the limits (`max_rows`, by default `MAX_ROWS`; line length, cell length, columns) or ending in an open quote.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    stream, encoding = open_text(binary)
    delimiter = detect_delimiter(stream)
    stream.seek(0)
    lines = _Lines(stream)
    records = _Records(csv.reader(lines, delimiter=delimiter, strict=False))
    header: list[str] | None = None
    try:
        for cells in records:
            _check_width(cells, records.number)
            if any(cell.strip() for cell in cells):
                header = cells
                break
    except csv.Error:
        raise _cell_too_long(records.number + 1) from None
    if header is None:
        raise CsvProblem("The file has no rows.", "no_rows")
    parsed = ParsedCsv(encoding=encoding, delimiter=delimiter, columns=map_columns(header))
    return parsed, _data_rows(records, parsed.columns, lines, max_rows)


def _data_rows(records: _Records, columns: dict[str, int], lines: _Lines, max_rows: int) -> Iterator[CsvRow]:
    try:
        yield from _cells_to_rows(records, columns, lines, max_rows)
    except csv.Error:
        raise _cell_too_long(records.number + 1) from None


def _cells_to_rows(records: _Records, columns: dict[str, int], lines: _Lines, max_rows: int) -> Iterator[CsvRow]:
    name_at, email_at, tags_at = (columns.get(c, -1) for c in ("name", "email", "tags"))
    # Rows shorter than the widest mapped column get empty cells for the missing ones.
    width = max(name_at, email_at, tags_at) + 1
    padding = [""] * width
    count, last_row, last_cell = 0, 0, ""
    for cells in records:
        # A quoted cell may span lines; the row number counts records, as a spreadsheet shows them.
        row = records.number
        if not any(cells):
            continue
        raw_last = cells[-1]
        if len(cells) < width:
            cells = cells + padding
        elif len(cells) > MAX_COLUMNS:
            _check_width(cells, row)
        name = cells[name_at].strip() if name_at >= 0 else ""
        email = cells[email_at].strip()
        tags = cells[tags_at].strip() if tags_at >= 0 else ""
        if name or email or tags or any(cell.strip() for cell in cells):
            if count == max_rows:
                raise too_many_rows(max_rows)
            count += 1
            last_row, last_cell = row, raw_last
            yield CsvRow(row, name, email, tags)
    if count and _unterminated_quote(lines.last, last_cell):
        raise CsvProblem(
            f'Row {last_row:,} opens a quote (") that is never closed, so every line after it would be read as one '
            "cell. Close the quote or remove it, and upload the file again.",
            "unterminated_quote",
        )
