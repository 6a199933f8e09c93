"""Write transactions (IMMEDIATE on SQLite, in arrival order), and what runs inside them:
reserved ids, advisory locks, the WAL checkpoint after bulk work."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from backend.db.engine import get_engine, is_sqlite
from backend.db.sqlite_pool import PooledSQLiteEngine
from backend.db.sqlite_tuning import writer_turn


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
        # With the SQLite tuning on, writers take turns in arrival order (see backend.db.sqlite_tuning).
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
