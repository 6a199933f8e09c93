"""Bulk writes on PostgreSQL keep the planner's statistics of the contact table current."""

from __future__ import annotations

import pytest

from backend.contacts.tables import Contact
from backend.db import is_sqlite
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
