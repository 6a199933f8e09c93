"""The CSV upload streamed to disk: the byte limit, the row limit, and no temporary file left behind."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest

from backend.errors import ValidationFailed
from backend.imports import service
from backend.imports.csv_parser import MAX_ROWS, too_many_rows
from backend.imports.service import MAX_CSV_BYTES, FileTooLarge, create_import
from backend.imports.tables import CsvImport
from backend.imports.upload import received_file

MB = 1024 * 1024


def _open_upload_files() -> list[str]:
    """Files of this process still open in the temporary folder (a nameless one shows as deleted)."""
    folder = tempfile.gettempdir()
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if os.path.dirname(target) == folder and target.endswith(" (deleted)"):
            found.append(target)
    return found


def _chunks(count: int, size: int = MB, first: bytes = b"Name,Email\r\n"):
    yield first
    for _ in range(count):
        yield b"x" * size


async def _async(chunks):
    for chunk in chunks:
        yield chunk


def _csv_chunks(rows: int, per_chunk: int = 1000):
    yield b"Name,Email,Tags\r\n"
    for start in range(0, rows, per_chunk):
        yield b"".join(
            b"Person %d,p%d@example.com,python\r\n" % (i, i) for i in range(start, min(rows, start + per_chunk))
        )


async def test_upload_csv_over_byte_limit_refused_and_removed(client, company):
    before = _open_upload_files()
    body = b"".join(_chunks(MAX_CSV_BYTES // MB + 1))
    response = await client.post("/api/imports", content=body, headers=company.headers)
    del body
    assert response.status_code == 413, response.text
    problem = response.json()
    assert problem["code"] == "file_too_large" and problem["errors"][0]["field"] == "file"
    assert f"{MAX_CSV_BYTES // MB} MB" in problem["detail"]
    assert await CsvImport.count() == 0
    assert _open_upload_files() == before


async def test_upload_csv_large_file_previewed(client, company):
    before = _open_upload_files()
    body = b"".join(_csv_chunks(3000))
    response = await client.post("/api/imports", params={"filename": "big.csv"}, content=body, headers=company.headers)
    assert response.status_code == 201, response.text
    summary = response.json()
    assert summary["total_rows"] == 3000 and summary["selected"] == 3000 and summary["filename"] == "big.csv"
    page = await client.get(
        f"/api/imports/{summary['id']}/rows", params={"page": 60, "page_size": 50}, headers=company.headers
    )
    assert [row["line"] for row in page.json()["rows"]][-1] == 3001
    assert _open_upload_files() == before


async def test_received_file_over_limit_leaves_nothing(tmp_path: Path):
    with pytest.raises(FileTooLarge):
        async with received_file(_async(_chunks(3, size=10)), max_bytes=25, directory=str(tmp_path)):
            pytest.fail("a body over the limit is never handed on")
    assert list(tmp_path.iterdir()) == []
    assert not any(target.startswith(str(tmp_path)) for target in _open_upload_files())


async def test_received_file_body_kept_until_block_ends(tmp_path: Path):
    async with received_file(_async(_chunks(3, size=700_000)), directory=str(tmp_path)) as upload:
        data = upload.read()
        assert list(tmp_path.iterdir()) == []  # nameless: nothing to clean up after a crash
    assert data == b"Name,Email\r\n" + b"x" * 2_100_000
    assert upload.closed


async def test_create_import_over_row_limit_refused(company):
    rows = b"".join(b"P%d,p%d@example.com\n" % (i, i) for i in range(101))
    with pytest.raises(ValidationFailed) as refused:
        await create_import(company.principal, "many.csv", io.BytesIO(b"Name,Email\n" + rows), max_rows=100)
    assert refused.value.code == "too_many_rows"
    assert "more than 100 contacts" in refused.value.detail
    assert await CsvImport.count() == 0
    exactly = await create_import(
        company.principal, "many.csv", io.BytesIO(b"Name,Email\n" + rows[: rows.index(b"P100,")]), max_rows=100
    )
    assert exactly.total_rows == 100


def test_row_limit_message_names_the_limit():
    assert MAX_ROWS == 1_000_000
    assert "more than 1,000,000 contacts" in str(too_many_rows(MAX_ROWS))
    assert service.MAX_CSV_MB == 200
