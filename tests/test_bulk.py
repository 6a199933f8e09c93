"""Bulk writes: their column lists come from the tables, and on PostgreSQL they keep the planner's statistics current."""

from __future__ import annotations

import pytest

from backend.bulk import insert_records
from backend.contacts.tables import Contact, ContactTag
from backend.db import is_sqlite, write_transaction
from shared.contacts import ContactSource, ContactStatus
from tests.factories import invite_people


async def _believed_rows() -> float:
    rows = await Contact.raw("SELECT reltuples FROM pg_class WHERE oid = 'contact'::regclass")
    return rows[0]["reltuples"]


def _people(start: int, count: int) -> list[tuple[str, str]]:
    return [(f"Person {i}", f"person{i}@example.com") for i in range(start, start + count)]


async def test_a_bulk_invite_that_outgrows_the_statistics_analyses_the_contact_table(company):
    if is_sqlite():
        pytest.skip("PostgreSQL's planner statistics")
    # Analysed while (nearly) empty: the planner would check each new row's foreign keys by
    # scanning the whole contact table, once per row.
    await Contact.raw("ANALYZE contact")
    assert await _believed_rows() < 10
    await invite_people(company.principal, _people(0, 400))
    assert await _believed_rows() >= 400
    # A batch that does not double the table leaves the statistics to autovacuum.
    before = await _believed_rows()
    await invite_people(company.principal, _people(400, 100))
    assert await _believed_rows() == before
    assert await Contact.count().where(Contact.company == company.principal.company_id) == 500


async def test_insert_records_unlisted_columns_take_table_defaults(company):
    company_id = company.principal.company_id
    async with write_transaction():
        await insert_records(
            Contact,
            (Contact.name, Contact.email),
            [("Ada Lovelace", "ada@example.com"), ("Alan Turing", "alan@example.com")],
            {
                Contact.company: company_id,
                Contact.status: ContactStatus.NOT_INVITED.value,
                Contact.source: ContactSource.MANUAL.value,
            },
        )
    rows = await Contact.select().where(Contact.company == company_id).order_by(Contact.id)
    assert [(r["name"], r["email"], r["status"]) for r in rows] == [
        ("Ada Lovelace", "ada@example.com", "not_invited"),
        ("Alan Turing", "alan@example.com", "not_invited"),
    ]
    # Every other column holds what the table definition gives it.
    for row in rows:
        assert (row["notes"], row["email_error"], row["worker"], row["invitation_link"]) == ("", "", None, None)
        assert row["links"] in ("[]", []) and row["created_at"] is not None and row["last_engaged_at"] is None


async def test_insert_records_outside_transaction_refused(company):
    with pytest.raises(RuntimeError, match="write_transaction"):
        await insert_records(ContactTag, (ContactTag.contact, ContactTag.tag), [(1, 1)])
    assert await ContactTag.count() == 0
