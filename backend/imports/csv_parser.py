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
from dataclasses import dataclass, field

DELIMITERS = (",", ";", "\t")
HEADER_ALIASES = {
    "name": {"name", "full name", "fullname", "contact name", "navn", "nom"},
    "email": {"email", "e-mail", "email address", "e-mail address", "mail", "emailaddress"},
    "tags": {"tags", "tag", "skills", "skill", "skills/tags", "tags/skills"},
}
TAG_SEPARATORS = re.compile(r"[;,|]")
_SPACES = re.compile(r"\s+")


class CsvProblem(ValueError):
    """The file cannot be read as a contacts CSV; the message says why, for people."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its line number in the file and its cells."""

    line: int
    name: str
    email: str
    tags: list[str]


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
        raise CsvProblem("The file is empty.")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise CsvProblem("The file says it is UTF-16 but is not readable as UTF-16.") from None
    if b"\x00" in data[:4096]:
        raise CsvProblem("This is not a CSV file: it contains binary data. Export your sheet as CSV and try again.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip().strip(",;\t"):
            return line
    raise CsvProblem("The file has no rows.")


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
            f"No email column found. The first row must name the columns, e.g. Name, Email, Tags (found: {found})."
        )
    return columns


def split_tags(cell: str) -> list[str]:
    """Tags in one cell, separated by `;`, `,` or `|`."""
    return [tag for tag in (_SPACES.sub(" ", t).strip() for t in TAG_SEPARATORS.split(cell)) if tag]


def parse_contacts_csv(data: bytes) -> ParsedCsv:
    """Every non-blank data row of a contacts CSV, with its line number."""
    text, encoding = decode(data)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    parsed: ParsedCsv | None = None
    name_at = email_at = tags_at = -1
    rows: list[CsvRow] = []
    last_line = 0
    for cells in reader:
        # A quoted cell may span lines: a row starts on the line after the previous row ended.
        line, last_line = last_line + 1, reader.line_num
        if not any(cells) or not "".join(cells).strip():
            continue
        if parsed is None:
            parsed = ParsedCsv(encoding=encoding, delimiter=delimiter, columns=map_columns(cells), rows=rows)
            name_at, email_at, tags_at = (parsed.columns.get(c, -1) for c in ("name", "email", "tags"))
            continue
        width = len(cells)
        tags = cells[tags_at] if 0 <= tags_at < width else ""
        rows.append(
            CsvRow(
                line=line,
                name=cells[name_at].strip() if 0 <= name_at < width else "",
                email=cells[email_at].strip() if email_at < width else "",
                tags=split_tags(tags) if tags else [],
            )
        )
    if parsed is None:
        raise CsvProblem("The file has no rows.")
    return parsed
