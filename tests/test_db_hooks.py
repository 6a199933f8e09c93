"""The two private hooks the database layer relies on, checked so that an upgrade of Piccolo or
aiosqlite that changes them fails here, loudly, instead of slowing or hanging the product."""

from __future__ import annotations

import inspect
import threading

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

from backend.db.sqlite_pool import PooledSQLiteEngine


def test_piccolo_sqlite_engine_keeps_run_in_new_connection_hook() -> None:
    hook = getattr(SQLiteEngine, "_run_in_new_connection", None)
    assert hook is not None, (
        "Piccolo's SQLiteEngine no longer has _run_in_new_connection: see backend/db/sqlite_pool.py"
    )
    assert list(inspect.signature(hook).parameters) == ["self", "query", "args", "query_type", "table"]


async def test_pooled_engine_reuses_one_connection_for_statements_outside_transactions(tmp_path) -> None:
    engine = PooledSQLiteEngine(path=str(tmp_path / "hooks.sqlite"))
    connections = []
    original = engine._connect

    async def counting_connect():
        connection = await original()
        connections.append(connection)
        return connection

    engine._connect = counting_connect
    try:
        for _ in range(3):
            assert await engine.run_querystring(QueryString("SELECT 1 AS one")) == [{"one": 1}]
        # Piccolo sent every statement through the overridden hook: one connection served all three.
        assert len(connections) == 1
    finally:
        await engine.close_idle_connections()


async def test_pooled_connections_never_keep_the_process_alive(tmp_path) -> None:
    engine = PooledSQLiteEngine(path=str(tmp_path / "daemon.sqlite"))
    before = set(threading.enumerate())
    await engine.run_querystring(QueryString("SELECT 1"))
    started = [thread for thread in threading.enumerate() if thread not in before]
    try:
        assert started, "the pooled connection's worker thread was not found"
        assert all(thread.daemon for thread in started)
    finally:
        await engine.close_idle_connections()
