"""Flow 3: upload a contacts CSV, review each row's verdict, choose rows, and start the import."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from backend.activity.service import record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.db import write_transaction
from backend.email.outbox import save_template
from backend.email.render import personalise
from backend.errors import FieldErrors, FileTooLarge, NotFound, RuleViolation, ValidationFailed
from backend.imports.csv_parser import CsvProblem
from backend.imports.preview import (
    StoredRow,
    emails_in_pool,
    iter_row_frames,
    legacy_count,
    read_and_judge,
    unpack_rows,
)
from backend.imports.tables import CsvImport, CsvImportRows, CsvImportSkip
from backend.invitations.emails import invitation_template
from backend.invitations.service import company_and_inviter
from backend.rows import present
from backend.spreadsheet import write_csv
from backend.validation import clean_message
from shared.activity import ActivityKind
from shared.imports import (
    EmailPreview,
    ImportPublic,
    ImportRow,
    ImportRowPage,
    ImportSelection,
    ImportStatus,
    RowVerdict,
    VerdictCount,
)
from shared.limits import MAX_CSV_BYTES, MAX_CSV_MB
from shared.problems import FieldError

# 1,000,000 rows of a common export (Phone, E-mail, Full name, Skills, Notes) are about 130 MB.
PAGE_SIZE_MAX = 200
RECENT_IMPORTS = 10
# Decoded rows of the most recently used imports, per process. Rows never change once stored,
# so a cached copy is never stale; any replica can decode them from the database.
_ROWS_CACHE_SIZE = 2
_rows_cache: OrderedDict[int, list[StoredRow]] = OrderedDict()

ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "windows-1252": "Windows-1252"}
DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab"}
IMPORTABLE = frozenset(v.value for v in RowVerdict if v.importable)
TEMPLATE_ROWS = [
    ("Name", "Email", "Tags"),
    ("Ada Lovelace", "ada@example.com", "mathematics; engineering"),
    ("Grace Hopper", "grace@example.com", "compilers; cobol; teaching"),
]
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def too_large() -> FileTooLarge:
    """The problem for a file over `MAX_CSV_MB`."""
    message = f"The file is larger than {MAX_CSV_MB} MB. Split it into smaller files and upload them one by one."
    return FileTooLarge(detail=message, errors=[FieldError(field="file", message=message, code="file_too_large")])


def _file_problem(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(detail=message, code=code, errors=[FieldError(field="file", message=message, code=code)])


def clean_filename(raw: str) -> str:
    """The file's own name without folders or control characters, at most 255 characters."""
    name = _UNSAFE_FILENAME.sub("", os.path.basename(raw.replace("\\", "/"))).strip()
    return name[-255:] or "contacts.csv"


def template_csv() -> bytes:
    """The template users can fill in: the columns and two example rows."""
    return write_csv(TEMPLATE_ROWS)


@dataclass(slots=True)
class Selection:
    """Which importable rows are chosen: all but `off`, or none but `on`."""

    all: bool = True
    on: set[int] = field(default_factory=set)
    off: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, stored: dict | str | None) -> Selection:
        """From the stored JSON."""
        value: dict = (json.loads(stored or "{}") if isinstance(stored, str) else stored) or {}
        return cls(all=value.get("base", "all") == "all", on=set(value.get("on", [])), off=set(value.get("off", [])))

    def dump(self) -> dict:
        """To the stored JSON."""
        return {"base": "all" if self.all else "none", "on": sorted(self.on), "off": sorted(self.off)}

    def contains(self, row: StoredRow) -> bool:
        """Whether this row will be imported."""
        if row.verdict not in IMPORTABLE:
            return False
        return row.line not in self.off if self.all else row.line in self.on


def selected_rows(rows: list[StoredRow], selection: Selection) -> list[StoredRow]:
    """The rows to import, in file order."""
    return [row for row in rows if selection.contains(row)]


def import_public(row: dict) -> ImportPublic:
    """A stored import on the wire."""
    counts = row["counts"]
    if isinstance(counts, str):
        counts = json.loads(counts)
    return ImportPublic(
        id=row["id"],
        filename=row["filename"],
        status=ImportStatus(row["status"]),
        encoding=row["encoding"],
        delimiter=row["delimiter"],
        total_rows=row["total_rows"],
        counts=[VerdictCount(verdict=v, count=counts.get(v.value, 0) + legacy_count(counts, v)) for v in RowVerdict],
        selected=row["selected"],
        message=row["message"],
        processed=row["processed"],
        invited=row["invited"] + row["connection_requested"],
        skipped=row["skipped"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        error=row["error"],
    )


async def load_import(company_id: int, import_id: int) -> dict:
    """An import of the company without its rows, or NotFound."""
    row = await CsvImport.select().where((CsvImport.id == import_id) & (CsvImport.company == company_id)).first()
    if row is None:
        raise NotFound(detail="No such upload.", code="import_not_found")
    return row


async def stored_rows(import_id: int) -> list[StoredRow]:
    """Every previewed row of an import, in file order."""
    rows = _rows_cache.get(import_id)
    if rows is None:
        record = present(
            await CsvImportRows.select(CsvImportRows.rows).where(CsvImportRows.csv_import == import_id).first(),
            "the import's rows",
        )
        rows = await asyncio.to_thread(unpack_rows, record["rows"])
        _remember(import_id, rows)
    else:
        _rows_cache.move_to_end(import_id)
    return rows


async def row_frames(import_id: int) -> Iterator[list[StoredRow]]:
    """Every previewed row of an import, in file order, decoded a frame (up to 10,000 rows) at a time."""
    record = present(
        await CsvImportRows.select(CsvImportRows.rows).where(CsvImportRows.csv_import == import_id).first(),
        "the import's rows",
    )
    return iter_row_frames(record["rows"])


def _remember(import_id: int, rows: list[StoredRow]) -> None:
    _rows_cache[import_id] = rows
    while len(_rows_cache) > _ROWS_CACHE_SIZE:
        _rows_cache.popitem(last=False)


def forget_rows(import_id: int) -> None:
    """Drop an import's decoded rows from this process's cache (they are no longer needed)."""
    _rows_cache.pop(import_id, None)


async def create_import(
    principal: Principal, filename: str, upload: BinaryIO, max_rows: int | None = None
) -> ImportPublic:
    """Read an uploaded CSV (a seekable file) and store every row with its verdict, ready for review; nothing is imported yet."""
    size = upload.seek(0, os.SEEK_END)
    if size > MAX_CSV_BYTES:
        raise too_large()
    try:
        judged = await asyncio.to_thread(read_and_judge, upload, await emails_in_pool(principal.company_id), max_rows)
    except CsvProblem as problem:
        raise _file_problem(str(problem), problem.code) from None
    counts = judged.counts
    if not counts:
        raise _file_problem("The file has column names but no contacts below them.", "no_rows")
    parsed = judged.parsed
    encoding, delimiter = ENCODING_LABELS.get(parsed.encoding, parsed.encoding), DELIMITER_LABELS[parsed.delimiter]
    record = CsvImport(
        company=principal.company_id,
        created_by=principal.user_id,
        filename=clean_filename(filename),
        size=size,
        encoding=encoding,
        delimiter=delimiter,
        status=ImportStatus.PREVIEW.value,
        total_rows=counts.total(),
        counts=dict(counts),
        selection=Selection().dump(),
        selected=sum(counts[verdict] for verdict in IMPORTABLE),
        created_at=utcnow(),
    )
    async with write_transaction():
        await record.save()
        await CsvImportRows(csv_import=record.id, rows=judged.packed).save()
    forget_rows(record.id)  # a cached import of the same id can only be from a database since reset
    return await get_import(principal, record.id)


async def get_import(principal: Principal, import_id: int) -> ImportPublic:
    """One upload of the caller's company, with its progress."""
    return import_public(await load_import(principal.company_id, import_id))


async def list_imports(principal: Principal) -> list[ImportPublic]:
    """The company's most recent uploads, newest first."""
    rows = (
        await CsvImport.select()
        .where(CsvImport.company == principal.company_id)
        .order_by(CsvImport.id, ascending=False)
        .limit(RECENT_IMPORTS)
    )
    return [import_public(row) for row in rows]


async def import_rows(
    principal: Principal, import_id: int, verdict: RowVerdict | None = None, page: int = 1, page_size: int = 50
) -> ImportRowPage:
    """One page of an upload's rows, optionally only those with one verdict."""
    record = await load_import(principal.company_id, import_id)
    selection = Selection.load(record["selection"])
    rows = await stored_rows(import_id)
    if verdict is not None:
        rows = [row for row in rows if row.verdict == verdict.value]
    start = (page - 1) * page_size
    return ImportRowPage(
        rows=[
            ImportRow(
                line=row.line,
                name=row.name,
                email=row.email,
                tags=row.tags,
                verdict=RowVerdict(row.verdict),
                reason=row.reason,
                selected=selection.contains(row),
            )
            for row in rows[start : start + page_size]
        ],
        total=len(rows),
        page=page,
        page_size=page_size,
    )


def _not_started(record: dict) -> None:
    if record["status"] != ImportStatus.PREVIEW.value:
        raise RuleViolation(detail="This upload has already been imported.", code="import_started")


async def select_rows(principal: Principal, import_id: int, change: ImportSelection) -> ImportPublic:
    """Change which rows will be imported: reset to all or none, then select and deselect rows by line."""
    record = await load_import(principal.company_id, import_id)
    _not_started(record)
    rows = await stored_rows(import_id)
    importable = {row.line for row in rows if row.verdict in IMPORTABLE}
    refused = [line for line in (*change.select, *change.deselect) if line not in importable]
    if refused:
        raise RuleViolation(
            detail=f"Row {refused[0]} cannot be imported, so it cannot be selected.", code="row_not_importable"
        )
    async with write_transaction():
        record = await load_import(principal.company_id, import_id)
        _not_started(record)
        selection = Selection.load(record["selection"])
        if change.reset is not None:
            selection = Selection(all=change.reset == "all")
        for line in change.select:
            (selection.off.discard if selection.all else selection.on.add)(line)
        for line in change.deselect:
            (selection.off.add if selection.all else selection.on.discard)(line)
        selected = len(importable - selection.off) if selection.all else len(selection.on)
        await CsvImport.update({CsvImport.selection: selection.dump(), CsvImport.selected: selected}).where(
            CsvImport.id == import_id
        )
    return await get_import(principal, import_id)


def _message(value: str) -> str:
    errors = FieldErrors()
    message = clean_message(value, errors)
    errors.raise_if_any()
    return message


async def email_preview(principal: Principal, import_id: int, message: str) -> EmailPreview:
    """The invitation as the first selected person will get it, with this message."""
    text = _message(message)
    record = await load_import(principal.company_id, import_id)
    rows = await stored_rows(import_id)
    selection = Selection.load(record["selection"])
    sample = next((row for row in rows if selection.contains(row)), None) or next(
        (row for row in rows if row.verdict in IMPORTABLE), None
    )
    name, email = (sample.name, sample.email) if sample else ("Ada Lovelace", "ada@example.com")
    company_name, inviter = await company_and_inviter(principal)
    email_text = personalise(
        invitation_template("invitation", company_name, inviter, text), name, "/invite/your-personal-link"
    )
    return EmailPreview(to=f"{name} <{email}>", subject=email_text.subject, text=email_text.text, html=email_text.html)


async def start_import(principal: Principal, import_id: int, message: str) -> ImportPublic:
    """Import the selected rows in the background with this invitation message; starting twice is harmless."""
    text = _message(message)
    async with write_transaction():
        record = await load_import(principal.company_id, import_id)
        if record["status"] != ImportStatus.PREVIEW.value:
            return import_public(record)
        if record["selected"] == 0:
            raise RuleViolation(detail="Select at least one row to import.", code="nothing_selected")
        company_name, inviter = await company_and_inviter(principal)
        templates = {
            kind: await save_template(
                invitation_template(kind, company_name, inviter, text), company_id=principal.company_id
            )
            for kind in ("invitation", "connection_request")
        }
        await CsvImport.update(
            {
                CsvImport.status: ImportStatus.IMPORTING.value,
                CsvImport.message: text,
                CsvImport.started_at: utcnow(),
                CsvImport.invitation_template: templates["invitation"],
                CsvImport.connection_template: templates["connection_request"],
            }
        ).where((CsvImport.id == import_id) & (CsvImport.status == ImportStatus.PREVIEW.value))
    return await get_import(principal, import_id)


async def not_imported_csv(principal: Principal, import_id: int) -> tuple[str, bytes]:
    """A CSV of the rows that did not become contacts, each with the reason; and its filename."""
    record = await load_import(principal.company_id, import_id)
    rows = await stored_rows(import_id)
    selection = Selection.load(record["selection"])
    skipped = {
        row["line"]: row["reason"]
        for row in await CsvImportSkip.select(CsvImportSkip.line, CsvImportSkip.reason).where(
            CsvImportSkip.csv_import == import_id
        )
    }
    status = ImportStatus(record["status"])
    position = 0
    out: list[tuple[object, ...]] = [("Row", "Name", "Email", "Tags", "Reason")]
    for row in rows:
        if row.verdict not in IMPORTABLE:
            label = RowVerdict(row.verdict).label
            reason = f"{label}: {row.reason}" if row.reason else label
        elif not selection.contains(row):
            reason = "Not selected"
        else:
            position += 1
            if row.line in skipped:
                reason = skipped[row.line]
            elif status is ImportStatus.PREVIEW:
                reason = "Not imported yet"
            elif position > record["processed"]:
                reason = "The import stopped before this row" if status is ImportStatus.FAILED else "Not imported yet"
            else:
                continue
        out.append((row.line, row.name, row.email, "; ".join(row.tags), reason))
    stem = record["filename"].rsplit(".", 1)[0] or "contacts"
    return f"{stem}-not-imported.csv", write_csv(out)


async def log_finished_import(record: dict, principal: Principal, invited: int, connected: int, skipped: int) -> None:
    """One line in the activity log for a whole import, with its counts (this last batch's included)."""
    totals = present(
        await CsvImport.select(CsvImport.invited, CsvImport.connection_requested, CsvImport.skipped)
        .where(CsvImport.id == record["id"])
        .first(),
        "the import",
    )
    detail = (
        f"{totals['invited'] + invited} invited, {totals['connection_requested'] + connected} connection requests, "
        f"{totals['skipped'] + skipped} already in the Talent Pool"
    )
    await record_activity(principal, ActivityKind.IMPORT_FINISHED, record["filename"], detail)
