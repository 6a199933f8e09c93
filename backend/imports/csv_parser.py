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
    for line in text.splitlines():
        if line.strip().strip(",;\t"):
            return line
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


def parse_contacts_csv(data: bytes) -> ParsedCsv:
    """Every non-blank data row of a contacts CSV, with its line number; cells are trimmed."""
    text, encoding = decode(data)
    del data
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    del text
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = cells
            break
    if header is None:
        raise CsvProblem("The file has no rows.", "no_rows")
    columns = map_columns(header)
    parsed = ParsedCsv(encoding=encoding, delimiter=delimiter, columns=columns)
    name_at, email_at, tags_at = (columns.get(c, -1) for c in ("name", "email", "tags"))
    # Rows shorter than the widest mapped column get empty cells for the missing ones.
    width = max(name_at, email_at, tags_at) + 1
    padding = [""] * width
    rows = parsed.rows
    append = rows.append
    line = reader.line_num
    for cells in reader:
        # A quoted cell may span lines: a row starts on the line after the previous row ended.
        start, line = line + 1, reader.line_num
        if not any(cells):
            continue
        if len(cells) < width:
            cells = cells + padding
        name = cells[name_at].strip() if name_at >= 0 else ""
        email = cells[email_at].strip()
        tags = cells[tags_at].strip() if tags_at >= 0 else ""
        if name or email or tags or any(cell.strip() for cell in cells):
            append(CsvRow(start, name, email, tags))
    return parsed
