"""`fetch_in` reads many values a chunk at a time, inside a write transaction or on its own."""

from backend.db import fetch_in, write_transaction

SQL = "SELECT name FROM company WHERE id IN ({})"


async def test_fetch_in_outside_and_inside_transaction_reads_every_chunk(company):
    ids = [company.principal.company_id, *range(10_000_000, 10_000_020)]
    alone = await fetch_in(SQL, ids, size=7)
    async with write_transaction():
        inside = await fetch_in(SQL, ids, size=7)
    assert [row["name"] for row in alone] == [row["name"] for row in inside]
    assert len(alone) == 1 and alone[0]["name"]
