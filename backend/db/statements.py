"""SQL the services write by hand for bulk work. One placeholder style throughout: `{}` marks a
parameter (as in Piccolo's QueryString); these helpers turn it into `?n` (SQLite) or `$n` (PostgreSQL)."""

from __future__ import annotations

import asyncio
import operator
from datetime import date, datetime
from typing import Any

from piccolo.querystring import QueryString

from backend.db.engine import get_engine, is_sqlite


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with wildcards escaped (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Rows per multi-row INSERT on SQLite: one statement per row costs far more, above all on tables
# whose triggers feed an FTS5 index (which does work per statement); much longer statements cost
# more again. 500 rows of our widest table stay far below SQLite's 32,766 parameters.
SQLITE_ROWS_PER_STATEMENT = 500
_multi_row_statements: dict[tuple[str, tuple[bool, ...], int], str] = {}


def _multi_row_sql(sql: str, shared: tuple[bool, ...], rows: int) -> str:
    """`INSERT … VALUES (?, ?, …)` as one statement for `rows` rows, with numbered parameters.

    Columns marked in `shared` have one value for every row: it is bound once, as the first
    parameters, and each row binds only its own values.
    """
    key = (sql, shared, rows)
    statement = _multi_row_statements.get(key)
    if statement is None:
        head, values, tail = sql.partition("VALUES")
        if not values:
            raise ValueError("execute_many on SQLite needs an INSERT … VALUES (…) statement")
        group_end = tail.index(")") + 1
        rest = tail[group_end:]
        shared_numbers = {
            column: number for number, column in enumerate((c for c, same in enumerate(shared) if same), start=1)
        }
        varying = [column for column, same in enumerate(shared) if not same]
        first = len(shared_numbers) + 1
        groups = []
        for row in range(rows):
            numbers = {column: first + row * len(varying) + offset for offset, column in enumerate(varying)}
            groups.append("(" + ", ".join(f"?{shared_numbers.get(c) or numbers[c]}" for c in range(len(shared))) + ")")
        statement = f"{head}VALUES {', '.join(groups)}{rest}"
        if len(_multi_row_statements) > 256:
            _multi_row_statements.clear()
        _multi_row_statements[key] = statement
    return statement


async def execute_many(sql: str, rows: list[tuple]) -> None:
    """Run one INSERT statement for many rows on the current write transaction's connection.

    On SQLite the rows go in multi-row statements, and inside `write_transaction` those are sent
    to the connection's thread without waiting for them: SQLite writes while Python goes on to
    build the next statement's rows. Statements run in the order sent, so later statements and
    reads see them; the transaction waits for all of them before it commits, and fails if one did.
    """
    if not rows:
        return
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("execute_many must run inside write_transaction()")
    if not is_sqlite():
        await transaction.connection.executemany(numbered(sql), rows)
        return
    template = sql.replace("{}", "?")
    connection = transaction.connection
    queued: list[asyncio.Future] | None = getattr(connection, "queued", None)
    for chunk in chunks(rows, SQLITE_ROWS_PER_STATEMENT):
        statement = connection.execute(*_multi_row_statement(template, chunk))
        if queued is None:
            await statement
        else:
            queued.append(asyncio.ensure_future(statement))
            await asyncio.sleep(0)  # lets the statement reach the connection's thread now


def _multi_row_statement(template: str, chunk: list[tuple]) -> tuple[str, list]:
    """One multi-row INSERT for the chunk and its parameters; values every row shares are bound once."""
    first, last = chunk[0], chunk[-1]
    # A column differing between the first and last rows varies; the others are checked in full.
    shared = tuple(
        last[column] == value and list(map(operator.itemgetter(column), chunk)).count(value) == len(chunk)
        for column, value in enumerate(first)
    )
    constants = [value for value, same in zip(first, shared, strict=True) if same]
    varying = [column for column, same in enumerate(shared) if not same]
    if len(varying) > 1:
        values = [value for row in map(operator.itemgetter(*varying), chunk) for value in row]
    elif varying:
        values = [row[varying[0]] for row in chunk]
    else:
        values = []
    return _multi_row_sql(template, shared, len(chunk)), constants + values


async def fetch_in(sql: str, values: list, size: int = 5_000) -> list[dict]:
    """Rows of `sql`, whose one `{}` (in `IN ({})`) takes the values, a chunk at a time.

    Bulk paths use this instead of Piccolo's `is_in`, whose query building costs far more than
    SQLite's work for long lists. Runs on the current transaction's connection when there is one.
    """
    if sql.count("{}") != 1:
        raise ValueError("fetch_in needs exactly one {} (the list of values)")
    engine = get_engine()
    transaction = engine.current_transaction.get()
    rows: list[dict] = []
    for chunk in chunks(values, size):
        listed = sql.replace("{}", placeholders(len(chunk)))
        if transaction is None:
            rows += [dict(row) for row in await engine.run_querystring(QueryString(listed, *chunk))]
        elif is_sqlite():
            async with transaction.connection.execute(listed.replace("{}", "?"), chunk) as cursor:
                rows += await cursor.fetchall()
        else:
            rows += [dict(record) for record in await transaction.connection.fetch(numbered(listed), *chunk)]
    return rows


def placeholders(count: int) -> str:
    """`{}, {}, …`: `count` parameters, for a list such as `IN (…)`."""
    return ", ".join(["{}"] * count)


def raw_datetime(value: Any) -> Any:
    """A timestamp of a hand-written query's row: SQLite gives text, PostgreSQL a datetime (None stays None)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def raw_date(value: Any) -> Any:
    """A date of a hand-written query's row: SQLite gives text (maybe with a time), PostgreSQL a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def numbered(sql: str) -> str:
    """`sql` with each `{}` as PostgreSQL's numbered parameter `$1`, `$2`, …"""
    parts = sql.split("{}")
    return parts[0] + "".join(f"${number}{part}" for number, part in enumerate(parts[1:], start=1))


def chunks(items: list, size: int = 500):
    """Consecutive slices of at most `size` items (keeps statements under parameter limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
