"""Database engines, write transactions and small helpers shared by the services."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

import aiosqlite

SQLITE_POOL_SIZE = 8


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, reusing open connections for statements outside transactions.

    Piccolo opens (and spawns a thread for) a new connection per statement; reusing a few
    open connections per event loop removes that cost from every request.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._idle: dict[int, list[aiosqlite.Connection]] = {}

    async def _borrow(self) -> aiosqlite.Connection:
        idle = self._idle.setdefault(id(asyncio.get_running_loop()), [])
        if idle:
            return idle.pop()
        pending = aiosqlite.connect(**self.connection_kwargs)
        # An idle pooled connection must never keep the process alive at exit.
        pending._thread.daemon = True
        connection = await pending
        connection.row_factory = dict_factory
        await connection.execute("PRAGMA foreign_keys = 1")
        # WAL with synchronous=NORMAL: a commit survives a crash of the process, without an fsync each.
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def _give_back(self, connection: aiosqlite.Connection) -> None:
        idle = self._idle.setdefault(id(asyncio.get_running_loop()), [])
        if len(idle) < SQLITE_POOL_SIZE:
            idle.append(connection)
        else:
            await connection.close()

    async def _run_in_new_connection(self, query: str, args=None, query_type: str = "generic", table=None):
        connection = await self._borrow()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
        except asyncio.CancelledError:
            # The statement may still be running in the connection's thread: do not reuse it.
            await asyncio.shield(connection.close())
            raise
        except BaseException:
            await self._give_back(connection)
            raise
        await self._give_back(connection)
        return rows

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        """A transaction on a pooled connection."""
        return _PooledTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def close_idle_connections(self) -> None:
        """Close the connections kept for the running event loop."""
        for connection in self._idle.pop(id(asyncio.get_running_loop()), []):
            await connection.close()


class _LeasedConnection:
    """A pooled connection lent to one transaction; closing it gives it back to the pool."""

    def __init__(self, connection: aiosqlite.Connection, engine: PooledSQLiteEngine) -> None:
        self._connection = connection
        self._engine = engine

    def __getattr__(self, name: str):
        return getattr(self._connection, name)

    async def close(self) -> None:
        if self._connection.in_transaction:
            # Rolled back or committed nothing cleanly: never hand out a connection mid-transaction.
            await self._connection.close()
        else:
            await self._engine._give_back(self._connection)


class _PooledTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction, on a connection borrowed from the engine's pool."""

    async def get_connection(self):
        return _LeasedConnection(await self.engine._borrow(), self.engine)


def engine_from_url(url: str) -> Engine:
    """Build the Piccolo engine for a `sqlite:///path` or `postgresql://…` URL."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return PooledSQLiteEngine(path=path, timeout=30)
    if scheme in ("postgres", "postgresql"):
        return PostgresEngine(config={"dsn": url}, extensions=())
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, got {scheme!r}")


def get_engine() -> Engine:
    """The engine every table is bound to."""
    from backend.contacts.tables import Contact

    return Contact._meta.db


def is_sqlite() -> bool:
    """Whether the tables live in SQLite."""
    return isinstance(get_engine(), SQLiteEngine)


@contextlib.asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """One transaction for a multi-row write; IMMEDIATE on SQLite so writers queue up front."""
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


def utcnow() -> datetime:
    """Now, timezone-aware, to the microsecond."""
    return datetime.now(UTC)


def sqlite_path() -> str | None:
    """The SQLite file in use, if any."""
    engine = get_engine()
    return engine.path if isinstance(engine, SQLiteEngine) else None


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with wildcards escaped (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"



# Rows per multi-row INSERT on SQLite: one statement per row costs far more, above all on tables
# whose triggers feed an FTS5 index (which does work per statement), and this stays well under
# SQLite's limit of 32,766 parameters per statement.
SQLITE_ROWS_PER_STATEMENT = 500


def _multi_row_sql(sql: str, rows: int) -> str:
    """`INSERT … VALUES (?, ?)` turned into one statement inserting `rows` rows."""
    head, values, tail = sql.partition("VALUES")
    if not values:
        raise ValueError("execute_many on SQLite needs an INSERT … VALUES (…) statement")
    group_end = tail.index(")") + 1
    group, rest = tail[:group_end].strip(), tail[group_end:]
    return f"{head}VALUES {', '.join([group] * rows)}{rest}"


async def execute_many(sql: str, rows: list[tuple]) -> None:
    """Run one INSERT statement for many rows on the current write transaction's connection; `{}` marks a parameter."""
    if not rows:
        return
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("execute_many must run inside write_transaction()")
    if is_sqlite():
        single = sql.replace("{}", "?")
        size = SQLITE_ROWS_PER_STATEMENT
        full = len(rows) - len(rows) % size
        if full:
            statement = _multi_row_sql(single, size)
            for start in range(0, full, size):
                await transaction.connection.execute(statement, [value for row in rows[start : start + size] for value in row])
        if full < len(rows):
            rest = rows[full:]
            await transaction.connection.execute(_multi_row_sql(single, len(rest)), [value for row in rest for value in row])
        return
    parts = sql.split("{}")
    numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    await transaction.connection.executemany(numbered, rows)


async def fetch_in(sql: str, values: list, size: int = 5_000) -> list[dict]:
    """Rows of `sql`, whose `IN ({values})` takes the values a chunk at a time.

    Bulk paths use this instead of Piccolo's `is_in`, whose query building costs far more than
    SQLite's work for long lists. Runs on the current transaction's connection when there is one.
    """
    engine = get_engine()
    sqlite = is_sqlite()
    transaction = engine.current_transaction.get()
    rows: list[dict] = []
    for chunk in chunks(values, size):
        if sqlite:
            statement = sql.replace("{values}", ", ".join(["?"] * len(chunk)))
            if transaction is not None:
                async with transaction.connection.execute(statement, chunk) as cursor:
                    rows += await cursor.fetchall()
            else:
                rows += await engine._run_in_new_connection(statement, chunk)
        else:
            statement = sql.replace("{values}", ", ".join(f"${i}" for i in range(1, len(chunk) + 1)))
            if transaction is not None:
                rows += [dict(record) for record in await transaction.connection.fetch(statement, *chunk)]
            else:
                run = engine._run_in_pool if engine.pool else engine._run_in_new_connection
                rows += [dict(record) for record in await run(statement, chunk)]
    return rows


def chunks(items: list, size: int = 500):
    """Consecutive slices of at most `size` items (keeps statements under parameter limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def open_database(max_connections: int = 20) -> None:
    """Start PostgreSQL's connection pool (SQLite pools lazily); call once per process at start-up."""
    from backend.settings import get_settings

    engine = get_engine()
    if isinstance(engine, PostgresEngine) and get_settings().database_pool:
        await engine.start_connection_pool(min_size=1, max_size=max_connections)


async def close_database() -> None:
    """Close the connections this process keeps open."""
    engine = get_engine()
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle_connections()
