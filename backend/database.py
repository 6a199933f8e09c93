"""Database engines, write transactions and small helpers shared by the services."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def engine_from_url(url: str) -> Engine:
    """Build the Piccolo engine for a `sqlite:///path` or `postgresql://…` URL."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=path, timeout=30)
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


os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")
