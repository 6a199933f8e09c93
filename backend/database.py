"""Database engines, write transactions and small helpers shared by the services."""

from __future__ import annotations

import asyncio
import contextlib
import operator
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)
from piccolo.querystring import QueryString

from backend import sqlite_tuning
from backend.sqlite_tuning import writer_turn, writers_waiting  # noqa: F401 (writers_waiting: asked by bulk writers)

SQLITE_POOL_SIZE = 8


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, reusing open connections for statements outside transactions.

    Piccolo opens (and spawns a thread for) a new connection per statement; reusing a few
    open connections per event loop removes that cost from every request.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._idle: dict[int, list[aiosqlite.Connection]] = {}
        # One connection per event loop kept for bulk batches, its large page cache still warm.
        self._bulk_idle: dict[int, aiosqlite.Connection] = {}

    async def _borrow(self, bulk: bool = False) -> aiosqlite.Connection:
        loop = id(asyncio.get_running_loop())
        if bulk and loop in self._bulk_idle:
            return self._bulk_idle.pop(loop)
        idle = self._idle.setdefault(loop, [])
        connection = idle.pop() if idle else await self._connect()
        if bulk:
            await _bulk_settings(connection, True)
        return connection

    async def _connect(self) -> aiosqlite.Connection:
        pending = aiosqlite.connect(**self.connection_kwargs)
        # An idle pooled connection must never keep the process alive at exit.
        pending._thread.daemon = True
        connection = await pending
        # sqlite3 takes any callable as a row factory; aiosqlite's annotation names only classes.
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        # WAL with synchronous=NORMAL: a commit survives a crash of the process, without an fsync each.
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def _give_back(self, connection: aiosqlite.Connection, bulk: bool = False) -> None:
        loop = id(asyncio.get_running_loop())
        if bulk:
            if loop not in self._bulk_idle:
                self._bulk_idle[loop] = connection
                return
            await _bulk_settings(connection, False)
        idle = self._idle.setdefault(loop, [])
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
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
        bulk: bool = False,
    ) -> SQLiteTransaction:
        """A transaction on a pooled connection; `bulk` ones leave WAL checkpoints to the caller."""
        transaction = _PooledTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)
        transaction.bulk = bulk
        return transaction

    async def release_bulk_connection(self) -> None:
        """Close this event loop's kept bulk connection, freeing its page cache (after bulk work)."""
        connection = self._bulk_idle.pop(id(asyncio.get_running_loop()), None)
        if connection is not None:
            await connection.close()

    async def close_idle_connections(self) -> None:
        """Close the connections kept for the running event loop."""
        loop = id(asyncio.get_running_loop())
        bulk = self._bulk_idle.pop(loop, None)
        for connection in [*self._idle.pop(loop, []), *([bulk] if bulk else [])]:
            await connection.close()


# SQLite's default: after a commit, copy the WAL back into the database once it holds this many pages.
WAL_AUTOCHECKPOINT_PAGES = 1000
# Page cache per connection: SQLite's default (2 MB), and for bulk batches enough to keep the
# indexes being filled in memory (given back when the connection returns to the pool).
CACHE_KIB = 2_000
BULK_CACHE_KIB = 64_000


async def _bulk_settings(connection: aiosqlite.Connection, bulk: bool) -> None:
    """Bulk batches skip the automatic WAL checkpoint (a checkpoint and fsync at every commit) and
    keep the indexes they fill in a large page cache; other work gets SQLite's defaults back."""
    await connection.execute(f"PRAGMA wal_autocheckpoint = {0 if bulk else WAL_AUTOCHECKPOINT_PAGES}")
    await connection.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB if bulk else CACHE_KIB}")


class _LeasedConnection:
    """A pooled connection lent to one transaction; closing it gives it back to the pool."""

    def __init__(self, connection: aiosqlite.Connection, engine: PooledSQLiteEngine, bulk: bool) -> None:
        self._connection = connection
        self._engine = engine
        self._bulk = bulk
        # Statements sent without waiting for them (see `execute_many`): only inside
        # `write_transaction`, which awaits them before the commit.
        self.queued: list[asyncio.Future] | None = None

    def __getattr__(self, name: str):
        return getattr(self._connection, name)

    async def close(self) -> None:
        if self._connection.in_transaction:
            # Rolled back or committed nothing cleanly: never hand out a connection mid-transaction.
            await self._connection.close()
            return
        await self._engine._give_back(self._connection, self._bulk)


class _PooledTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction, on a connection borrowed from the engine's pool."""

    engine: PooledSQLiteEngine
    bulk = False

    async def get_connection(self):
        return _LeasedConnection(await self.engine._borrow(self.bulk), self.engine, self.bulk)


# Pages of a new SQLite database, as PostgreSQL's: against SQLite's 4 KB, a bulk import of 300,000
# contacts writes about a second less (shallower indexes, fewer pages per commit).
SQLITE_PAGE_BYTES = 8192


async def prepare_sqlite_file() -> None:
    """On SQLite: give a new database its page size, and switch the file to WAL mode (readers never
    wait for the writer). An existing database keeps its page size."""
    engine = get_engine()
    if not isinstance(engine, SQLiteEngine) or engine.path == ":memory:":
        return
    async with aiosqlite.connect(engine.path) as connection:
        await connection.execute(f"PRAGMA page_size = {SQLITE_PAGE_BYTES}")
        await connection.execute("PRAGMA journal_mode = WAL")


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
    """The engine every table is bound to: the `DB` of the Piccolo configuration (PICCOLO_CONF)."""
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("No database engine: the Piccolo configuration (PICCOLO_CONF) has no DB.")
    return engine


def is_sqlite() -> bool:
    """Whether the tables live in SQLite."""
    return isinstance(get_engine(), SQLiteEngine)


def transaction_connection() -> Any:
    """The connection of the transaction the caller runs in (RuntimeError outside one)."""
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("this must run inside write_transaction()")
    return transaction.connection


@contextlib.asynccontextmanager
async def write_transaction(bulk: bool = False) -> AsyncIterator[None]:
    """One transaction for a multi-row write; IMMEDIATE on SQLite so writers queue up front.

    A `bulk` transaction (one batch of many) skips SQLite's automatic WAL checkpoint; the caller
    runs `checkpoint()` when its batches are done. On SQLite, statements `execute_many` sent
    without waiting are awaited here, before the commit.
    """
    engine = get_engine()
    if isinstance(engine, PooledSQLiteEngine):
        if engine.current_transaction.get() is not None:
            # Joins the transaction already open (Piccolo nests it); the writer turn is already held.
            async with engine.transaction(transaction_type=TransactionType.immediate, bulk=bulk):
                yield
            return
        # With the SQLite tuning on, writers take turns in arrival order (see backend.sqlite_tuning).
        async with writer_turn(), engine.transaction(transaction_type=TransactionType.immediate, bulk=bulk):
            queued = transaction_connection().queued = []
            try:
                yield
            finally:
                outcomes = await asyncio.gather(*queued, return_exceptions=True)
            # A statement sent without waiting that failed fails the transaction, which rolls back.
            failed = next((outcome for outcome in outcomes if isinstance(outcome, BaseException)), None)
            if failed is not None:
                raise failed
    elif isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


async def checkpoint() -> None:
    """After bulk writes: copy SQLite's WAL back into the database without waiting for readers,
    and free the bulk connection's page cache."""
    engine = get_engine()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.release_bulk_connection()
    if is_sqlite():
        await engine.run_ddl("PRAGMA wal_checkpoint(PASSIVE)")


async def reserve_ids(table: str, count: int) -> list[int]:
    """`count` new primary keys for `table`, inside the caller's write transaction.

    Bulk inserts name their ids up front, so rows that refer to them need no lookup afterwards.
    On SQLite the IMMEDIATE transaction holds the only write lock, so the next ids are free.
    """
    if count == 0:
        return []
    if is_sqlite():
        rows = await transaction_connection().execute_fetchall(f"SELECT coalesce(max(id), 0) AS last FROM {table}")
        start = rows[0]["last"] + 1
        return list(range(start, start + count))
    records = await transaction_connection().fetch(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id FROM generate_series(1, $1)", count
    )
    return [record["id"] for record in records]


async def lock_for_transaction(key: str) -> None:
    """Make writers of the same `key` take turns until the caller's write transaction ends.

    On PostgreSQL a transaction-scoped advisory lock; on SQLite the IMMEDIATE write transaction
    already holds the only write lock.
    """
    if is_sqlite():
        return
    await transaction_connection().execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)


def utcnow() -> datetime:
    """Now, timezone-aware, to the microsecond."""
    return datetime.now(UTC)


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
    """Run one INSERT statement for many rows on the current write transaction's connection; `{}` marks a parameter.

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
        parts = sql.split("{}")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
        await transaction.connection.executemany(numbered, rows)
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
                rows += await engine.run_querystring(
                    QueryString(sql.replace("{values}", ", ".join(["{}"] * len(chunk))), *chunk)
                )
        else:
            statement = sql.replace("{values}", ", ".join(f"${i}" for i in range(1, len(chunk) + 1)))
            if transaction is not None:
                rows += [dict(record) for record in await transaction.connection.fetch(statement, *chunk)]
            else:
                placeholders = ", ".join(["{}"] * len(chunk))
                rows += [
                    dict(record)
                    for record in await engine.run_querystring(
                        QueryString(sql.replace("{values}", placeholders), *chunk)
                    )
                ]
    return rows


def chunks(items: list, size: int = 500):
    """Consecutive slices of at most `size` items (keeps statements under parameter limits)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def open_database(max_connections: int = 20) -> None:
    """Start PostgreSQL's connection pool (SQLite pools lazily), or on SQLite switch the SQLite tuning on
    (unless TP_SQLITE_TUNING=0); call once per process at start-up."""
    from backend.settings import get_settings

    if sqlite_tuning.wanted():
        sqlite_tuning.enable()
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
