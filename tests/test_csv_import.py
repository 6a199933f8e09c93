"""Flow 3 through HTTP: upload, verdicts, paging, selection, email preview, background import, resume, tenancy."""

from __future__ import annotations

import asyncio
import contextvars
import csv
import io
import re

import pytest

from backend.clock import utcnow
from backend.contacts import search_index
from backend.contacts.tables import Contact, ContactEvent, ContactTag, Invitation, Tag
from backend.db import execute_many, is_sqlite, write_transaction
from backend.db.sqlite_tuning import writers_waiting
from backend.email.tables import OutboxEmail
from backend.imports import runner
from backend.imports import service as imports_service
from backend.imports.service import MAX_CSV_BYTES
from backend.imports.tables import CsvImport
from backend.spreadsheet import safe_cell
from backend.workers.tables import Worker
from tests.factories import make_contact
from tests.test_email_delivery import drain, smtp  # noqa: F401  (smtp is a fixture)

CSV = (
    "Name,Email,Tags\r\n"
    "New Person,new@example.com,Python; SQL\r\n"
    "Pooled,POOLED@example.com,\r\n"
    "Worker Bee,worker@example.com,design\r\n"
    "Broken,not-an-email,\r\n"
    ",noname@example.com,\r\n"
    "Again,New@Example.com,\r\n"
    "=cmd|' /C calc'!A0,formula@example.com,\r\n"
    "Ctrl\x07Char,ctrl@example.com,\r\n"
    "Long Tag,longtag@example.com," + "x" * 60 + "\r\n"
)
MESSAGE = "Hello from the team!\nWe would love to work with you again."


async def _upload(client, company, data: bytes | str, filename: str = "people.csv"):
    body = data.encode() if isinstance(data, str) else data
    return await client.post("/api/imports", params={"filename": filename}, content=body, headers=company.headers)


async def _uploaded(client, company, data: bytes | str = CSV) -> dict:
    response = await _upload(client, company, data)
    assert response.status_code == 201, response.text
    return response.json()


async def _rows(client, company, import_id: int, **params) -> dict:
    response = await client.get(f"/api/imports/{import_id}/rows", params=params, headers=company.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _start(client, company, import_id: int, message: str = MESSAGE) -> dict:
    response = await client.post(f"/api/imports/{import_id}/start", json={"message": message}, headers=company.headers)
    assert response.status_code == 202, response.text
    return response.json()


async def _run_all() -> None:
    while await runner.run_next_import():
        pass


def _counts(summary: dict) -> dict[str, int]:
    return {c["verdict"]: c["count"] for c in summary["counts"] if c["count"]}


async def test_upload_gives_every_verdict(client, company, other_company):
    await make_contact(company, email="pooled@example.com")
    await make_contact(other_company, email="new@example.com")
    await Worker(name="Bee", email="worker@example.com", password_hash="!", email_confirmed_at=utcnow()).save()
    summary = await _uploaded(client, company)
    assert summary["status"] == "preview" and summary["filename"] == "people.csv"
    assert summary["total_rows"] == 9 and summary["selected"] == 3
    assert summary["encoding"] == "UTF-8" and summary["delimiter"] == "comma"
    assert _counts(summary) == {
        "new": 3,
        "in_pool": 1,
        "invalid_email": 1,
        "missing_name": 1,
        "duplicate": 1,
        "invalid_name": 1,
        "invalid_tags": 1,
    }
    rows = (await _rows(client, company, summary["id"]))["rows"]
    assert [(r["line"], r["verdict"], r["selected"]) for r in rows] == [
        (2, "new", True),
        (3, "in_pool", False),
        (4, "new", True),
        (5, "invalid_email", False),
        (6, "missing_name", False),
        (7, "duplicate", False),
        (8, "new", True),
        (9, "invalid_name", False),
        (10, "invalid_tags", False),
    ]
    assert rows[0]["tags"] == ["python", "sql"] and rows[1]["email"] == "pooled@example.com"
    assert rows[5]["reason"] == "Same email as row 2." and "@" in rows[3]["reason"]


async def test_rows_are_paged_and_filtered_without_truncation(client, company):
    lines = "".join(f"Person {i},p{i}@example.com,\r\n" for i in range(1, 1201)) + "Bad,bad,\r\n"
    summary = await _uploaded(client, company, "Name,Email\r\n" + lines)
    assert summary["total_rows"] == 1201
    last = await _rows(client, company, summary["id"], page=25, page_size=50)
    assert last["total"] == 1201 and [r["line"] for r in last["rows"]] == [1202]
    invalid = await _rows(client, company, summary["id"], verdict="invalid_email")
    assert invalid["total"] == 1 and invalid["rows"][0]["email"] == "bad"
    response = await client.get(
        f"/api/imports/{summary['id']}/rows", params={"page_size": 1000}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "page_size"


async def test_selection_all_none_and_single_rows(client, company):
    summary = await _uploaded(client, company)
    url = f"/api/imports/{summary['id']}/selection"
    assert summary["selected"] == 4
    response = await client.post(url, json={"deselect": [2]}, headers=company.headers)
    assert response.json()["selected"] == 3
    response = await client.post(url, json={"reset": "none", "select": [8]}, headers=company.headers)
    assert response.json()["selected"] == 1
    rows = (await _rows(client, company, summary["id"]))["rows"]
    assert [r["line"] for r in rows if r["selected"]] == [8]
    response = await client.post(url, json={"reset": "all"}, headers=company.headers)
    assert response.json()["selected"] == 4
    response = await client.post(url, json={"select": [5]}, headers=company.headers)
    assert response.status_code == 422 and response.json()["code"] == "row_not_importable"


async def test_email_preview_shows_the_edited_message(client, company):
    summary = await _uploaded(client, company)
    response = await client.post(
        f"/api/imports/{summary['id']}/email-preview", json={"message": "Hi <b>you</b>"}, headers=company.headers
    )
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["to"] == "New Person <new@example.com>" and "Acme Ltd" in preview["subject"]
    assert "Hi <b>you</b>" in preview["text"] and "Hi &lt;b&gt;you&lt;/b&gt;" in preview["html"]
    response = await client.post(
        f"/api/imports/{summary['id']}/email-preview", json={"message": "x" * 5001}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "message"


async def test_import_creates_contacts_tags_invitations_and_emails(client, company):
    await Worker(name="Bee", email="worker@example.com", password_hash="!", email_confirmed_at=utcnow()).save()
    summary = await _uploaded(client, company)
    await client.post(f"/api/imports/{summary['id']}/selection", json={"deselect": [8]}, headers=company.headers)
    started = await _start(client, company, summary["id"])
    assert started["status"] == "importing" and started["message"] == MESSAGE
    await _run_all()
    done = (await client.get(f"/api/imports/{summary['id']}", headers=company.headers)).json()
    assert done["status"] == "done" and done["processed"] == 3
    assert (done["invited"], done["skipped"]) == (3, 0) and "connection_requested" not in done
    contacts = {c["email"]: c for c in await Contact.select().where(Contact.company == company.principal.company_id)}
    assert contacts["new@example.com"]["status"] == "invited" and contacts["new@example.com"]["source"] == "csv"
    # The worker gets a connection request; the company sees `invited` like the others.
    assert contacts["worker@example.com"]["status"] == "invited"
    assert "formula@example.com" not in contacts
    tags = await ContactTag.select(ContactTag.tag.name).where(ContactTag.contact == contacts["new@example.com"]["id"])
    assert sorted(t["tag.name"] for t in tags) == ["python", "sql"]
    assert await Invitation.count().where(Invitation.company == company.principal.company_id) == 3
    events = await ContactEvent.select(ContactEvent.kind, ContactEvent.detail).where(
        ContactEvent.contact == contacts["new@example.com"]["id"]
    )
    assert events == [{"kind": "invitation_sent", "detail": "CSV upload: people.csv"}]
    assert sorted(e["kind"] for e in await OutboxEmail.select(OutboxEmail.kind)) == [
        "connection_request",
        "invitation",
        "invitation",
    ]
    # The connection request greets the worker by the name on their account ("Bee"), not the file's.
    request = await OutboxEmail.select(OutboxEmail.to_name).where(OutboxEmail.kind == "connection_request").first()
    assert request["to_name"] == "Bee"


async def test_queued_emails_are_delivered_personalised_over_smtp(client, company, smtp):  # noqa: F811
    summary = await _uploaded(client, company, "name,email\r\nAda <b>L</b>,ada@example.com\r\nBob,bob@example.com\r\n")
    await _start(client, company, summary["id"])
    await _run_all()
    assert await drain(smtp.port) == 2
    messages = {str(m["To"]): m for m in smtp.messages}
    ada = next(m for to, m in messages.items() if "ada@example.com" in to)
    text = ada.get_body(("plain",)).get_content()
    html = ada.get_body(("html",)).get_content()
    assert "Hi Ada <b>L</b>," in text and "We would love to work with you again." in text
    assert "Hi Ada &lt;b&gt;L&lt;/b&gt;," in html
    links = set(re.findall(r"http://testserver\.local/invite/[A-Za-z0-9_-]+", text))
    bob_links = set(
        re.findall(
            r"http://testserver\.local/invite/[A-Za-z0-9_-]+",
            next(m for to, m in messages.items() if "bob@example.com" in to).get_body(("plain",)).get_content(),
        )
    )
    assert len(links) == 1 and len(bob_links) == 1 and links != bob_links


async def test_reimporting_the_same_file_creates_no_duplicates(client, company):
    first = await _uploaded(client, company)
    await _start(client, company, first["id"])
    await _run_all()
    emails_before = await OutboxEmail.count()
    again = await _uploaded(client, company)
    assert _counts(again).get("new", 0) == 0 and again["selected"] == 0
    response = await client.post(
        f"/api/imports/{again['id']}/start", json={"message": MESSAGE}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["code"] == "nothing_selected"
    assert await OutboxEmail.count() == emails_before
    assert await Contact.count().where(Contact.company == company.principal.company_id) == 4


async def test_rows_added_after_the_preview_are_skipped_not_duplicated(client, company):
    summary = await _uploaded(client, company)
    await make_contact(company, email="new@example.com")
    await _start(client, company, summary["id"])
    await _run_all()
    done = (await client.get(f"/api/imports/{summary['id']}", headers=company.headers)).json()
    assert (done["invited"], done["skipped"]) == (3, 1)
    report = (await client.get(f"/api/imports/{summary['id']}/not-imported.csv", headers=company.headers)).content
    rows = {row[0]: row[4] for row in csv.reader(io.StringIO(report.decode("utf-8-sig")))}
    assert (
        rows["2"].startswith("Already in your Talent Pool") and rows["7"] == "Duplicate in file: Same email as row 2."
    )


async def test_starting_twice_imports_once(client, company):
    summary = await _uploaded(client, company)
    await _start(client, company, summary["id"])
    again = await _start(client, company, summary["id"], message="Another message")
    assert again["message"] == MESSAGE
    await _run_all()
    assert await OutboxEmail.count() == 4
    response = await client.post(
        f"/api/imports/{summary['id']}/selection", json={"reset": "none"}, headers=company.headers
    )
    assert response.status_code == 422 and response.json()["code"] == "import_started"


async def test_crashed_import_resumes_without_duplicates(client, company):
    lines = "".join(f"Person {i},p{i}@example.com,tag{i % 3}\r\n" for i in range(25))
    summary = await _uploaded(client, company, "name,email,tags\r\n" + lines)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()

    class Crash(Exception):
        pass

    original = runner._import_batch
    calls = 0

    async def crash_on_third(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Crash
        return await original(*args, **kwargs)

    runner._import_batch = crash_on_third
    try:
        await runner.run_import(import_id, token, batch_rows=10)
    except Crash:
        pass
    finally:
        runner._import_batch = original
    halfway = await CsvImport.select(CsvImport.processed, CsvImport.status).where(CsvImport.id == import_id).first()
    assert halfway == {"processed": 20, "status": "importing"}
    assert await runner.claim_import() is None  # the crashed runner's lease still holds
    await CsvImport.update({CsvImport.lease_until: None}).where(CsvImport.id == import_id)
    await _run_all()
    done = (
        await CsvImport.select(CsvImport.processed, CsvImport.status, CsvImport.invited)
        .where(CsvImport.id == import_id)
        .first()
    )
    assert done == {"processed": 25, "status": "done", "invited": 25}
    assert await Contact.count() == 25 and await Invitation.count() == 25 and await OutboxEmail.count() == 25


async def test_a_runner_that_lost_its_lease_writes_nothing(client, company):
    summary = await _uploaded(client, company)
    await _start(client, company, summary["id"])
    import_id, stale = await runner.claim_import()
    await CsvImport.update({CsvImport.lease_until: None}).where(CsvImport.id == import_id)
    _, fresh = await runner.claim_import()
    await runner.run_import(import_id, stale)
    assert await Contact.count() == 0
    await runner.run_import(import_id, fresh)
    assert await Contact.count() == 4


async def test_upload_csv_multiline_cells_rows_match_spreadsheet(client, company):
    data = (
        "Name,Email,Tags\r\n"
        '"Ann\nAnders",ann@example.com,"Rust\nWASM"\r\n'
        '"Bo",bo@example.com,"Go\r\nC"\r\n'
        "Broken,not-an-email,\r\n"
        "Dup,ANN@example.com,\r\n"
    )
    summary = await _uploaded(client, company, data)
    rows = (await _rows(client, company, summary["id"]))["rows"]
    assert [(r["line"], r["verdict"]) for r in rows] == [(2, "new"), (3, "new"), (4, "invalid_email"), (5, "duplicate")]
    assert rows[0]["tags"] == ["rust", "wasm"] and rows[1]["tags"] == ["go", "c"]
    assert rows[3]["reason"] == "Same email as row 2."
    response = await client.get(f"/api/imports/{summary['id']}/not-imported.csv", headers=company.headers)
    assert response.status_code == 200
    report = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r[0], r[2]) for r in report[1:]] == [
        ("2", "ann@example.com"),
        ("3", "bo@example.com"),
        ("4", "not-an-email"),
        ("5", "ann@example.com"),
    ]


async def test_not_imported_csv_is_formula_safe(client, company):
    summary = await _uploaded(
        client, company, 'Name,Email\r\n=HYPERLINK("x"),bad\r\n+1,also-bad\r\n@SUM(A1),a@b.example\r\n'
    )
    await _start(client, company, summary["id"])
    await _run_all()
    response = await client.get(f"/api/imports/{summary['id']}/not-imported.csv", headers=company.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "not-imported.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Name", "Email", "Tags", "Reason"]
    names = [row[1] for row in rows[1:]]
    assert names == ['\'=HYPERLINK("x")', "'+1"]  # the valid row was imported, so it is not listed
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_safe_cell_neutralises_every_formula_prefix():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "  =1"):
        assert safe_cell(value).startswith("'")
    assert safe_cell("Ada") == "Ada" and safe_cell("") == ""


async def test_template_csv_reads_back_as_a_valid_upload(client, company):
    response = await client.get("/api/imports/template.csv", headers=company.headers)
    assert response.status_code == 200
    summary = await _uploaded(client, company, response.content)
    assert _counts(summary) == {"new": 2}


async def test_file_over_20_mb_is_refused(client, company):
    big = b"name,email\r\n" + b"x" * (MAX_CSV_BYTES + 1024 * 1024)
    response = await _upload(client, company, big)
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert await CsvImport.count() == 0


async def test_not_a_csv_gets_one_clear_message(client, company):
    cases = {
        b"": "empty_file",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00": "not_csv",
        b"PK\x03\x04\x14\x00\x06\x00": "not_csv",
        b"first,last\r\nAda,Lovelace\r\n": "no_email_column",
        b"Name,Email,Tags\r\n": "no_rows",
    }
    for data, code in cases.items():
        response = await _upload(client, company, data)
        assert response.status_code == 422, (data, response.text)
        problem = response.json()
        assert problem["code"] == code and problem["errors"][0]["field"] == "file" and problem["detail"]
    assert await CsvImport.count() == 0


async def test_hostile_cells_get_verdicts_not_errors(client, company):
    rows = [
        ["N" * 10_000, "long-name@example.com", ""],
        ["Long Email", "e" * 10_000 + "@example.com", ""],
        ["<script>alert(1)</script>", "html@example.com", "<b>tag</b>"],
        ["Tab\tName", "tab@example.com", ""],
        ["Many Tags", "tags@example.com", ";".join(f"t{i}" for i in range(40))],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([["Name", "Email", "Tags"], *rows])
    data = out.getvalue().replace("\r\n", "\n", 2)  # mixed line endings
    summary = await _uploaded(client, company, data)
    verdicts = [(r["email"][:20], r["verdict"]) for r in (await _rows(client, company, summary["id"]))["rows"]]
    assert verdicts == [
        ("long-name@example.co", "invalid_name"),
        ("e" * 20, "invalid_email"),
        ("html@example.com", "new"),
        ("tab@example.com", "new"),
        ("tags@example.com", "invalid_tags"),
    ]


async def test_second_company_cannot_see_or_change_an_upload(client, company, other_company):
    summary = await _uploaded(client, company)
    base = f"/api/imports/{summary['id']}"
    for method, path, body in [
        ("GET", base, None),
        ("GET", f"{base}/rows", None),
        ("GET", f"{base}/not-imported.csv", None),
        ("POST", f"{base}/selection", {"reset": "none"}),
        ("POST", f"{base}/email-preview", {"message": "hi"}),
        ("POST", f"{base}/start", {"message": "hi"}),
    ]:
        response = await client.request(method, path, json=body, headers=other_company.headers)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["code"] == "import_not_found"
    assert (await client.get("/api/imports", headers=other_company.headers)).json() == []
    mine = await client.get(base, headers=company.headers)
    assert mine.json()["status"] == "preview" and mine.json()["selected"] == 4


async def test_upload_needs_a_session(client):
    response = await client.post("/api/imports", content=CSV.encode())
    assert response.status_code == 401


async def test_other_writes_get_their_turn_between_import_batches(client, company, other_company):
    import asyncio

    from backend.invitations.service import invite_contact
    from shared.invitations import InviteCreate

    lines = "".join(f"Person {i},p{i}@example.com\r\n" for i in range(300))
    summary = await _uploaded(client, company, "name,email\r\n" + lines)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()
    importing = asyncio.create_task(runner.run_import(import_id, token, batch_rows=10))
    await asyncio.sleep(0)
    await invite_contact(other_company.principal, InviteCreate(name="Grace", email="grace@other.example"))
    assert not importing.done()  # the invitation did not wait for all 30 batches
    await importing
    assert await Contact.count().where(Contact.company == company.principal.company_id) == 300


async def _search_index_settings() -> dict[str, int]:
    rows = await CsvImport.raw("SELECT k, v FROM contact_search_config WHERE k IN ('automerge', 'crisismerge')")
    return {row["k"]: row["v"] for row in rows}


async def test_search_index_merges_are_deferred_during_an_import_and_restored_after(client, company):
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL searches without an index whose merges an import defers")
    rows = "".join(f"Searchable Person {i},person{i}@example.com,zebra{i % 3}\r\n" for i in range(40))
    summary = await _uploaded(client, company, "Name,Email,Tags\r\n" + rows)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()
    seen: list[dict] = []
    original = runner._import_batch

    async def watch(*args, **kwargs):
        seen.append(await _search_index_settings())
        return await original(*args, **kwargs)

    runner._import_batch = watch
    try:
        await runner.run_import(import_id, token, batch_rows=10)
    finally:
        runner._import_batch = original
    assert seen == [{"automerge": 0, "crisismerge": search_index.BULK_CRISISMERGE}] * 4
    assert await _search_index_settings() == {
        "automerge": search_index.AUTOMERGE,
        "crisismerge": search_index.CRISISMERGE,
    }
    found = await client.get("/api/contacts", params={"q": "zebra2"}, headers=company.headers)
    assert found.json()["total"] == 13
    integrity = await CsvImport.raw("INSERT INTO contact_search(contact_search, rank) VALUES ('integrity-check', 1)")
    assert integrity == []


async def test_a_failed_import_restores_the_search_index_settings(client, company):
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL has no search index settings to restore")
    summary = await _uploaded(client, company)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()
    async with write_transaction():
        await search_index.defer_merges()
    await runner.fail_import(import_id, token, "Stopped.")
    assert await _search_index_settings() == {
        "automerge": search_index.AUTOMERGE,
        "crisismerge": search_index.CRISISMERGE,
    }


async def test_a_statement_sent_without_waiting_that_fails_rolls_the_transaction_back(company):
    company_id = company.principal.company_id
    now = utcnow()
    rows = [(company_id, f"Person {i}", f"p{i}@example.com", "invited", "", now, now, now) for i in range(1200)]
    rows.append(rows[0])  # the same email twice: the last statement fails on the unique index
    sql = (
        "INSERT INTO contact (company, name, email, status, search_text, created_at, updated_at, last_activity_at) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {})"
    )
    with pytest.raises(Exception, match="(?i)unique"):
        async with write_transaction():
            await execute_many(sql, rows)
            await execute_many("INSERT INTO tag (company, name) VALUES ({}, {})", [(company_id, "after")])
    assert await Contact.count() == 0
    assert not await Tag.exists().where(Tag.name == "after")


async def test_writers_waiting_counts_write_transactions_waiting_for_their_turn(company):
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL writers do not queue (see the test below)")
    entered = asyncio.Event()

    async def other_writer():
        async with write_transaction():
            entered.set()

    async with write_transaction():
        assert writers_waiting() == 0
        # A fresh context: a task started inside a transaction would otherwise join it.
        waiting = asyncio.create_task(other_writer(), context=contextvars.Context())
        await asyncio.sleep(0.01)
        assert writers_waiting() == 1 and not entered.is_set()
    await waiting
    assert writers_waiting() == 0 and entered.is_set()


async def test_writers_waiting_on_postgres_stays_zero_while_writers_overlap(company):
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite writers take turns (see the test above)")
    entered = asyncio.Event()

    async def other_writer():
        async with write_transaction():
            entered.set()

    async with write_transaction():
        # A fresh context: a task started inside a transaction would otherwise join it.
        waiting = asyncio.create_task(other_writer(), context=contextvars.Context())
        await asyncio.wait_for(entered.wait(), 5)  # inside its own transaction while this one is open
        assert writers_waiting() == 0
    await waiting
    assert writers_waiting() == 0


async def test_batches_shrink_while_other_writes_wait(client, company, monkeypatch):
    rows = "".join(f"Person {i:02},person{i}@example.com,\r\n" for i in range(60))
    summary = await _uploaded(client, company, "Name,Email\r\n" + rows)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()
    sizes: list[int] = []
    busy = iter([False, True, False, False, False])
    monkeypatch.setattr(runner, "BUSY_BATCH_ROWS", 5)
    monkeypatch.setattr(runner, "writers_waiting", lambda: int(next(busy)))
    original = runner._import_batch

    async def record(record, principal, batch, *args):
        sizes.append(len(batch))
        return await original(record, principal, batch, *args)

    monkeypatch.setattr(runner, "_import_batch", record)
    await runner.run_import(import_id, token, batch_rows=20)
    assert sizes == [20, 20, 5, 15]
    assert await Contact.count() == 60


async def test_stop_runner_mid_import_releases_lease_for_next_runner(client, company):
    rows = "".join(f"Person {i:02},person{i}@example.com,\r\n" for i in range(30))
    summary = await _uploaded(client, company, "Name,Email\r\n" + rows)
    await _start(client, company, summary["id"])
    import_id, token = await runner.claim_import()
    stop = asyncio.Event()
    stop.set()  # told to stop while its first batch is in flight
    await runner.run_import(import_id, token, batch_rows=10, stop=stop)
    record = await CsvImport.select().where(CsvImport.id == import_id).first()
    assert record["status"] == "importing" and record["processed"] == 10
    assert record["claim_token"] is None and record["lease_until"] is None
    # Another runner takes it over at once (not after the lease), and finishes it.
    other = await runner.claim_import()
    assert other is not None and other[0] == import_id and other[1] != token
    await runner.run_import(*other, batch_rows=10)
    assert await Contact.count() == 30
    assert (await CsvImport.select().where(CsvImport.id == import_id).first())["status"] == "done"


async def test_start_import_wakes_runner_of_another_process_on_postgres(client, company, monkeypatch):
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite has one machine, and its runners poll")
    monkeypatch.setattr(runner, "POLL_SECONDS", 60.0)
    summary = await _uploaded(client, company, "Name,Email\r\nAda,ada@example.com\r\n")
    stop = asyncio.Event()
    task = asyncio.create_task(runner._run_forever(stop))
    await asyncio.sleep(0.5)  # the runner has looked once, found nothing, and listens
    # Started as a BFF in another process starts it: the service, then the notification (no in-process wake-up).
    await imports_service.start_import(company.principal, summary["id"], MESSAGE)
    await CsvImport.raw("SELECT pg_notify({}, '')", runner.STARTED_CHANNEL)
    try:
        for _ in range(100):
            record = await CsvImport.select().where(CsvImport.id == summary["id"]).first()
            if record["status"] == "done":
                break
            await asyncio.sleep(0.05)
        assert record["status"] == "done"
    finally:
        await runner.stop_runner(task, stop)


@pytest.mark.parametrize("sorted_max", [0, runner.SORTED_ROWS_MAX])
async def test_resume_import_after_lost_lease_writes_each_contact_once(client, company, sorted_max):
    lines = "".join(f"Person {i},p{i}@example.com,tag{i % 4}\r\n" for i in range(40))
    summary = await _uploaded(client, company, "name,email,tags\r\n" + lines)
    await client.post(f"/api/imports/{summary['id']}/selection", json={"deselect": [3, 4]}, headers=company.headers)
    await _start(client, company, summary["id"])
    import_id, first = await runner.claim_import()
    original = runner._import_batch
    calls = 0

    async def take_over_after_first_batch(*args, **kwargs):
        nonlocal calls
        calls += 1
        await original(*args, **kwargs)
        if calls == 1:
            # The first runner stalls past its lease; another runner takes the import over and finishes it.
            await CsvImport.update({CsvImport.lease_until: None}).where(CsvImport.id == import_id)
            _, second = await runner.claim_import()
            await runner.run_import(import_id, second, batch_rows=7, sorted_max=sorted_max)

    runner._import_batch = take_over_after_first_batch
    try:
        await runner.run_import(import_id, first, batch_rows=7, sorted_max=sorted_max)
    finally:
        runner._import_batch = original
    done = (
        await CsvImport.select(CsvImport.processed, CsvImport.status, CsvImport.invited)
        .where(CsvImport.id == import_id)
        .first()
    )
    assert done == {"processed": 38, "status": "done", "invited": 38}
    emails = [row["email"] for row in await Contact.select(Contact.email)]
    assert sorted(emails) == sorted(f"p{i}@example.com" for i in range(40) if i not in (1, 2))
    assert await Invitation.count() == 38 and await OutboxEmail.count() == 38 and await ContactEvent.count() == 38
    assert await ContactTag.count() == 38
