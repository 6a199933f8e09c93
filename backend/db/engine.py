"""The database engine: built from DATABASE_URL, found through the Piccolo configuration, opened and closed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from backend.db import sqlite_tuning
from backend.db.sqlite_pool import PooledSQLiteEngine

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
