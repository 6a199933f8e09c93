"""Reading contact rows out of CSV files as real spreadsheets write them.

Handles UTF-8 with or without BOM, UTF-16 with BOM and Windows-1252; comma, semicolon or
tab delimiters; quoted fields with delimiters, quotes and newlines; blank lines; extra and
trailing empty columns; headers in any order and case, with common aliases.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

DELIMITERS = (",", ";", "\t")
HEADER_ALIASES = {
    "name": {"name", "full name", "fullname", "contact name", "navn", "nom"},
    "email": {"email", "e-mail", "email address", "e-mail address", "mail", "emailaddress"},
    "tags": {"tags", "tag", "skills", "skill", "skills/tags", "tags/skills"},
}
TAG_SEPARATORS = re.compile(r"[;,|]")
_SPACES = re.compile(r"\s+")
# Limits that keep a preview's time and memory bounded whatever the file (at most 20 MB) holds.
MAX_ROWS = 500_000
MAX_LINE_CHARS = 1024 * 1024
MAX_CELL_CHARS = 128 * 1024
MAX_COLUMNS = 1_000


class CsvProblem(ValueError):
    """The file cannot be read as a contacts CSV; the message says why, for people, and `code` for programs."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class CsvRow(NamedTuple):
    """One data row: its line number in the file, its name and email cells, and its tags cell."""

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


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if not data.strip():
        raise CsvProblem("The file is empty.", "empty_file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise CsvProblem("The file says it is UTF-16 but is not readable as UTF-16.", "unreadable_encoding") from None
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvProblem(
            "This is a spreadsheet workbook, not a CSV file. In your spreadsheet choose Save as (or Download as) CSV and upload that file.",
            "not_csv",
        )
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        odd_nuls, even_nuls = head[1::2].count(0), head[0::2].count(0)
        for encoding, nuls, others in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
            if nuls >= len(head) // 4 and others == 0:
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode(encoding), "utf-16"
    if b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > len(head) // 100:
        raise CsvProblem(
            "This is not a CSV file: it contains binary data. Export your sheet as CSV and try again.", "not_csv"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _first_line(text: str) -> str:
    for line in _lines(text):
        if line.strip().strip(",;\t"):
            return line.rstrip("\r\n")
    raise CsvProblem("The file has no rows.", "no_rows")


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most cells (outside quotes)."""
    header = _first_line(text)
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
    """Tags in one cell, separated by `;`, `,` or `|`."""
    return [tag for tag in (_SPACES.sub(" ", t).strip() for t in TAG_SEPARATORS.split(cell)) if tag]


def _lines(text: str) -> Iterator[str]:
    """The file's lines with their line breaks (CRLF, LF or CR), refusing any over `MAX_LINE_CHARS`."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise CsvProblem(
                f"Line {number:,} is longer than {MAX_LINE_CHARS // 1024 // 1024} MB. A contacts file has one short "
                "row per person: check that it was saved as CSV with one row per line.",
                "line_too_long",
            )
        yield line


def _cell_too_long(line: int) -> CsvProblem:
    return CsvProblem(
        f"Row {line:,} has a cell longer than {MAX_CELL_CHARS // 1024} KB, or a quote (\") that is never closed. "
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


def _unterminated_quote(text: str, last_cell: str) -> bool:
    """Whether the file ends inside a quoted cell: the last cell swallowed line breaks and no quote closes it."""
    return ("\n" in last_cell or "\r" in last_cell) and not text.rstrip("\r\n").endswith('"')


def parse_contacts_csv(data: bytes) -> ParsedCsv:
    """Every non-blank data row of a contacts CSV, with its line number; cells are trimmed."""
    parsed, rows = read_contacts_csv(data)
    parsed.rows = list(rows)
    return parsed


def read_contacts_csv(data: bytes) -> tuple[ParsedCsv, Iterator[CsvRow]]:
    """What was detected about a contacts CSV (its `rows` left empty), and its data rows one by one as read.

    The rows come lazily so a caller can judge and drop each in turn; reading raises `CsvProblem`
    for a file over the limits (rows, line length, cell length, columns) or ending in an open quote.
    """
    text, encoding = decode(data)
    del data
    delimiter = detect_delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    try:
        for cells in reader:
            _check_width(cells, reader.line_num)
            if any(cell.strip() for cell in cells):
                header = cells
                break
    except csv.Error:
        raise _cell_too_long(reader.line_num + 1) from None
    if header is None:
        raise CsvProblem("The file has no rows.", "no_rows")
    parsed = ParsedCsv(encoding=encoding, delimiter=delimiter, columns=map_columns(header))
    return parsed, _data_rows(reader, parsed.columns, text)


def _data_rows(reader: Iterator[list[str]], columns: dict[str, int], text: str) -> Iterator[CsvRow]:
    try:
        yield from _cells_to_rows(reader, columns, text)
    except csv.Error:
        raise _cell_too_long(reader.line_num + 1) from None


def _cells_to_rows(reader: Iterator[list[str]], columns: dict[str, int], text: str) -> Iterator[CsvRow]:
    name_at, email_at, tags_at = (columns.get(c, -1) for c in ("name", "email", "tags"))
    # Rows shorter than the widest mapped column get empty cells for the missing ones.
    width = max(name_at, email_at, tags_at) + 1
    padding = [""] * width
    count, last_line, last_cell, line = 0, 0, "", reader.line_num
    for cells in reader:
        # A quoted cell may span lines: a row starts on the line after the previous row ended.
        start, line = line + 1, reader.line_num
        if not any(cells):
            continue
        raw_last = cells[-1]
        if len(cells) < width:
            cells = cells + padding
        elif len(cells) > MAX_COLUMNS:
            _check_width(cells, start)
        name = cells[name_at].strip() if name_at >= 0 else ""
        email = cells[email_at].strip()
        tags = cells[tags_at].strip() if tags_at >= 0 else ""
        if name or email or tags or any(cell.strip() for cell in cells):
            if count == MAX_ROWS:
                raise CsvProblem(
                    f"The file has more than {MAX_ROWS:,} contacts. Split it into files of at most {MAX_ROWS:,} rows "
                    "and upload them one by one.",
                    "too_many_rows",
                )
            count += 1
            last_line, last_cell = start, raw_last
            yield CsvRow(start, name, email, tags)
    if count and _unterminated_quote(text, last_cell):
        raise CsvProblem(
            f"Row {last_line:,} opens a quote (\") that is never closed, so every line after it would be read as one "
            "cell. Close the quote or remove it, and upload the file again.",
            "unterminated_quote",
        )
