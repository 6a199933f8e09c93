"""The preview's verdicts for every kind of row, scoped to the caller's company."""

from backend.clock import utcnow
from backend.imports.csv_parser import parse_contacts_csv
from backend.imports.preview import StoredRow, emails_in_pool, iter_row_frames, judge_rows, pack_rows, unpack_rows
from backend.workers.tables import Worker
from shared.imports import RowVerdict
from tests.factories import make_contact


async def preview_rows(principal, parsed):
    """The verdicts as an upload computes them."""
    return judge_rows(parsed.rows, await emails_in_pool(principal.company_id))


CSV = (
    "Name,Email,Tags\r\n"
    "New Person,new@example.com,Python; SQL\r\n"
    "Pooled,POOLED@example.com,\r\n"
    "Worker Bee,worker@example.com,\r\n"
    "Broken,not-an-email,\r\n"
    ",noname@example.com,\r\n"
    "Again,New@Example.com,\r\n"
    "=cmd|' /C calc'!A0,formula@example.com,\r\n"
)


async def test_every_verdict(company, other_company):
    await make_contact(company, email="pooled@example.com")
    await make_contact(other_company, email="new@example.com")
    await Worker(name="Bee", email="worker@example.com", password_hash="!", email_confirmed_at=utcnow()).save()
    rows = await preview_rows(company.principal, parse_contacts_csv(CSV.encode()))
    verdicts = [(r.line, r.email, RowVerdict(r.verdict)) for r in rows]
    assert verdicts == [
        (2, "new@example.com", RowVerdict.NEW),
        (3, "pooled@example.com", RowVerdict.IN_POOL),
        # A worker account is not revealed: the row is new like any other.
        (4, "worker@example.com", RowVerdict.NEW),
        (5, "not-an-email", RowVerdict.INVALID_EMAIL),
        (6, "noname@example.com", RowVerdict.MISSING_NAME),
        (7, "new@example.com", RowVerdict.DUPLICATE),
        (8, "formula@example.com", RowVerdict.NEW),
    ]
    assert rows[0].tags == ["python", "sql"]
    assert "@" in rows[3].reason and rows[5].reason == "Same email as row 2."
    assert [RowVerdict(r.verdict).importable for r in rows] == [True, False, True, False, False, False, True]


async def test_other_companys_pool_does_not_count(company, other_company):
    await make_contact(other_company, email="pooled@example.com")
    rows = await preview_rows(company.principal, parse_contacts_csv(b"name,email\nP,pooled@example.com\n"))
    assert rows[0].verdict == RowVerdict.NEW


def test_pack_rows_many_frames_read_back_in_file_order():
    rows = [StoredRow(line, f"Person {line}", f"p{line}@example.com", ["python"], "new") for line in range(2, 25_003)]
    packed = pack_rows(rows)
    frames = list(iter_row_frames(packed))
    assert [len(frame) for frame in frames] == [10_000, 10_000, 5_001]
    assert unpack_rows(packed) == rows
    assert unpack_rows(pack_rows([])) == []
