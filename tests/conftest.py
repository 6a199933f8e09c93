"""Test set-up: a migrated database (SQLite by default, PostgreSQL with DATABASE_URL) emptied before each test."""

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
from piccolo.table import sort_table_classes

_tmp = tempfile.mkdtemp(prefix="talent-pool-tests-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(_tmp) / 'test.sqlite'}")
os.environ.setdefault("TP_PUBLIC_WEB_URL", "http://testserver.local")
# Contact files of a run stay in its own folder (the file sweep tests remove what no row points to).
os.environ.setdefault("TP_FILES_DIR", str(Path(_tmp) / "files"))
# The test client runs the app on its own event loop; a pool would be shared across loops.
os.environ["TP_DATABASE_POOL"] = "0"
# Tests that deliver email run their own sender against their own SMTP server.
os.environ.setdefault("TP_RUN_SENDER", "0")
# Tests run imports themselves, step by step.
os.environ.setdefault("TP_RUN_IMPORTS", "0")
# Cheap argon2 parameters for the passwords tests hash (about 265 ms each at the standard cost).
os.environ.setdefault("TP_PASSWORD_HASH_COST", "low")

from backend.db import get_engine, is_sqlite, sqlite_tuning  # noqa: E402
from backend.db.sqlite_pool import PooledSQLiteEngine  # noqa: E402
from backend.migrations import migrate  # noqa: E402
from backend.piccolo_app import APP_CONFIG  # noqa: E402

# Every table of the Piccolo app, children before the tables they reference, so DELETE on
# SQLite (foreign keys enforced) never removes a row another row still points to. The full-text
# index (SQLite's contact_search, a virtual table of a raw migration) follows contact through triggers.
TABLES = [table._meta.tablename for table in reversed(sort_table_classes(APP_CONFIG.table_classes))]


@pytest.fixture(scope="session", autouse=True)
def _migrated_database():
    """Apply the real migrations once per run, and start the process as every process starts (SQLite tuning)."""
    asyncio.run(migrate())
    if sqlite_tuning.wanted():
        sqlite_tuning.enable()


@pytest.fixture(autouse=True)
async def clean_database():
    """Every test starts from empty tables."""
    engine = get_engine()
    if is_sqlite():
        for table in TABLES:
            await engine.run_ddl(f"DELETE FROM {table}")
    else:
        await engine.run_ddl(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    yield
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle_connections()


@pytest.fixture
async def client():
    """An HTTP client talking to a fresh BFF app through ASGI (lifespan included)."""
    from litestar.testing import AsyncTestClient

    from backend.app import create_app

    async with AsyncTestClient(app=create_app()) as test_client:
        yield test_client


@pytest.fixture
async def company():
    """A signed-up company."""
    from tests.factories import make_company

    return await make_company("Acme Ltd")


@pytest.fixture
async def other_company():
    """A second, unrelated company."""
    from tests.factories import make_company

    return await make_company("Globex Corp")


@pytest.fixture
def set_env(monkeypatch):
    """Set environment variables for one test; settings are read again now and after the test."""
    from backend.settings import get_settings

    def apply(**values: str):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return get_settings()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()
