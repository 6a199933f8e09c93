"""SQLite: a Piccolo engine that keeps a few connections open per event loop instead of one per statement."""

from __future__ import annotations

import asyncio

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory


def _daemon_connection(pending: aiosqlite.Connection) -> aiosqlite.Connection:
    """Mark a not yet started aiosqlite connection's worker thread as a daemon, so that an idle pooled
    connection never keeps the process alive at exit.

    aiosqlite offers no public switch for this; its `Connection` keeps the thread in `_thread`.
    This is the only place that touches it, and tests/test_db_hooks.py fails loudly if an
    aiosqlite upgrade changes it.
    """
    pending._thread.daemon = True
    return pending


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
        connection = await _daemon_connection(aiosqlite.connect(**self.connection_kwargs))
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

    # The one private hook of Piccolo this engine overrides: SQLiteEngine runs every statement outside
    # a transaction through it. tests/test_db_hooks.py fails loudly if a Piccolo upgrade renames it.
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
