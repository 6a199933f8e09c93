"""CSV files as spreadsheets open them, with every cell kept from running as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these runs as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.lstrip(" ").startswith(_FORMULA_START) else value


def write_csv(rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file as spreadsheets open it: UTF-8 with BOM, CRLF, every cell formula-safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerows([safe_cell(str(cell)) for cell in row] for row in rows)
    return "\ufeff".encode() + out.getvalue().encode()
