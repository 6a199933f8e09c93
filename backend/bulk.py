"""Bulk writes and look-ups on the current transaction: COPY and array parameters on PostgreSQL,
the multi-row statements of `backend.database` on SQLite."""

from __future__ import annotations

from piccolo.querystring import QueryString

from backend.database import execute_many, fetch_in, get_engine, is_sqlite


async def copy_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows into `table` on the current write transaction's connection.

    On PostgreSQL one `COPY` (asyncpg's binary copy: no statement to parse, no per-row round
    trip), so values must be of the columns' types; on SQLite the multi-row INSERTs of `execute_many`.
    """
    if not rows:
        return
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("copy_rows must run inside write_transaction()")
    if is_sqlite():
        placeholders = ", ".join(["{}"] * len(columns))
        await execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
        return
    await transaction.connection.copy_records_to_table(table, records=rows, columns=columns)


async def fetch_any(sql: str, values: list) -> list[dict]:
    """Rows of `sql`, whose `IN ({values})` matches the values: on PostgreSQL one statement with the
    values as one array parameter (`= ANY($1)`), on SQLite `fetch_in`'s chunks."""
    if not values:
        return []
    if is_sqlite():
        return await fetch_in(sql, values)
    return await get_engine().run_querystring(QueryString(sql.replace(" IN ({values})", " = ANY({})"), values))
