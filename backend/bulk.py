"""Bulk writes and look-ups on the current transaction: COPY and array parameters on PostgreSQL,
the multi-row statements of `backend.db` on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from piccolo.columns import Column
from piccolo.columns.defaults.base import Default
from piccolo.querystring import QueryString
from piccolo.table import Table

from backend.db import execute_many, fetch_in, get_engine, is_sqlite, placeholders


def column_default(column: Column) -> Any:
    """The value the table definition gives a column nobody sets (`TimestamptzNow()` → now)."""
    value = column.get_default_value()
    return value.python() if isinstance(value, Default) else value


async def insert_records(
    table: type[Table],
    columns: Sequence[Column],
    rows: Iterable[tuple],
    shared: Mapping[Column, Any] | None = None,
    *,
    copy: bool = True,
) -> None:
    """Insert many rows of `table`, the column list taken from the table's definition.

    Each row holds the values of `columns`, in that order; `shared` gives the values every row has;
    every other column of the table (its primary key aside) gets the definition's default, so a
    column added to the table needs no change here (a default of None is left to the database,
    whose column default is then NULL too: fewer values to send). With `copy` the rows go by `copy_rows` (COPY on
    PostgreSQL); without, by `execute_many`'s statements, cheaper on PostgreSQL for a row or two.
    """
    shared = shared or {}
    given = [column._meta.db_column_name for column in (*columns, *shared)]
    defaults = {
        column._meta.db_column_name: column_default(column)
        for column in table.all_columns()
        if not column._meta.primary_key and column._meta.db_column_name not in given
    }
    defaults = {name: value for name, value in defaults.items() if value is not None}
    tail = (*shared.values(), *defaults.values())
    names = (*given, *defaults)
    values = [row + tail for row in rows] if tail else list(rows)
    if copy:
        await copy_rows(table._meta.tablename, names, values)
    else:
        listed = placeholders(len(names))
        await execute_many(f"INSERT INTO {table._meta.tablename} ({', '.join(names)}) VALUES ({listed})", values)


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
        await execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders(len(columns))})", rows)
        return
    await transaction.connection.copy_records_to_table(table, records=rows, columns=columns)


async def fetch_any(sql: str, values: list) -> list[dict]:
    """Rows of `sql`, whose `IN ({})` matches the values: on PostgreSQL one statement with the
    values as one array parameter (`= ANY($1)`), on SQLite `fetch_in`'s chunks."""
    if not values:
        return []
    if is_sqlite():
        return await fetch_in(sql, values)
    return await get_engine().run_querystring(QueryString(sql.replace(" IN ({})", " = ANY({})"), values))


async def keep_statistics_current(table: str, added: int) -> None:
    """On PostgreSQL, ANALYZE `table` in the current transaction when the `added` rows at least
    double what the planner believes the table holds.

    The foreign-key checks of the rows written next (tags, invitations, history, emails all point
    at the new contacts) are planned from these statistics. A table last analysed nearly empty
    gets them as sequential scans, one per row: quadratic, minutes for 20,000 rows instead of a
    second. ANALYZE counts this transaction's own rows, and it runs at most about log2(rows)
    times as a table grows. A role that does not own the table gets a warning, not an error.
    """
    if is_sqlite() or added <= 0:
        return
    engine = get_engine()
    rows = await engine.run_querystring(QueryString("SELECT reltuples FROM pg_class WHERE oid = {}::regclass", table))
    believed = rows[0]["reltuples"] if rows else -1
    # -1: never analysed, so the planner looks at the table's real size (no danger).
    if 0 <= believed < added:
        await engine.run_querystring(QueryString(f"ANALYZE {table}"))
