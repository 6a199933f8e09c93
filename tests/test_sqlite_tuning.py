"""The SQLite-only tuning is one switch: on for SQLite processes unless TP_SQLITE_TUNING=0, never on PostgreSQL."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import io
import sys

import pytest

from backend.db import is_sqlite, open_database, sqlite_tuning, write_transaction
from backend.db.sqlite_tuning import writers_waiting
from backend.imports import runner
from backend.imports.preview import read_and_judge

SETTINGS = ["1", "0"]


@pytest.fixture
def tuning(set_env):
    """Start this test's process afresh with TP_SQLITE_TUNING set as asked; the tuning is put back afterwards."""
    was_on = sqlite_tuning.is_on()
    sqlite_tuning.disable()
    default_interval = sys.getswitchinterval()

    async def start(setting: str) -> bool:
        set_env(TP_SQLITE_TUNING=setting)
        await open_database()
        return is_sqlite() and setting == "1"

    start.default_interval = default_interval
    yield start
    sqlite_tuning.disable()
    if was_on:
        sqlite_tuning.enable()


class GcWatchingPool(set):
    """The company's emails, noting whether the cyclic GC is on each time a row is judged against them."""

    def __init__(self) -> None:
        super().__init__()
        self.gc_states: set[bool] = set()

    def __contains__(self, email: object) -> bool:
        self.gc_states.add(gc.isenabled())
        return super().__contains__(email)


@pytest.mark.parametrize("setting", SETTINGS)
async def test_start_up_sets_switch_interval_only_for_sqlite_tuning(tuning, setting):
    expected = await tuning(setting)
    assert sqlite_tuning.is_on() is expected
    assert sys.getswitchinterval() == pytest.approx(
        sqlite_tuning.GIL_SWITCH_SECONDS if expected else tuning.default_interval
    )


async def test_start_up_on_postgres_ignores_sqlite_tuning_setting(tuning):
    if is_sqlite():
        pytest.skip("PostgreSQL only")
    assert await tuning("1") is False
    assert not sqlite_tuning.is_on()
    assert sys.getswitchinterval() == pytest.approx(tuning.default_interval)


@pytest.mark.parametrize("setting", SETTINGS)
async def test_preview_pauses_gc_only_with_sqlite_tuning(tuning, setting):
    expected = await tuning(setting)
    pool = GcWatchingPool()
    read_and_judge(
        io.BytesIO(b"Name,Email\r\n" + b"".join(b"P %d,p%d@example.com\r\n" % (i, i) for i in range(50))), pool
    )
    assert pool.gc_states == {not expected}
    assert gc.isenabled()


@pytest.mark.parametrize("setting", SETTINGS)
async def test_import_pauses_gc_only_with_sqlite_tuning(client, company, tuning, setting, monkeypatch):
    expected = await tuning(setting)
    body = "Name,Email\r\n" + "".join(f"Person {i},person{i}@example.com\r\n" for i in range(30))
    uploaded = await client.post("/api/imports", content=body.encode(), headers=company.headers)
    assert uploaded.status_code == 201, uploaded.text
    import_id = uploaded.json()["id"]
    started = await client.post(f"/api/imports/{import_id}/start", json={"message": ""}, headers=company.headers)
    assert started.status_code == 202, started.text
    gc_states: set[bool] = set()
    original = runner._import_batch

    async def watched(*args):
        gc_states.add(gc.isenabled())
        return await original(*args)

    monkeypatch.setattr(runner, "_import_batch", watched)
    claimed = await runner.claim_import()
    assert claimed is not None
    await runner.run_import(*claimed, batch_rows=10)
    assert gc_states == {not expected}
    assert gc.isenabled()


@pytest.mark.parametrize("setting", SETTINGS)
async def test_write_transactions_queue_only_with_sqlite_tuning(company, tuning, setting):
    expected = await tuning(setting)
    entered = asyncio.Event()

    async def other_writer():
        async with write_transaction():
            entered.set()

    async with write_transaction():
        # A fresh context: a task started inside a transaction would otherwise join it.
        waiting = asyncio.create_task(other_writer(), context=contextvars.Context())
        await asyncio.sleep(0.05)
        assert writers_waiting() == (1 if expected else 0)
        if not is_sqlite():
            # No queue on PostgreSQL: the other writer is inside its own transaction at the same time.
            await asyncio.wait_for(entered.wait(), 5)
        elif expected:
            assert not entered.is_set()
    await asyncio.wait_for(waiting, 35)
    assert entered.is_set() and writers_waiting() == 0
