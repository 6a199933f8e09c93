"""Runs started CSV imports in the background, batch by batch, resumable after a crash.

A runner claims an import with a lease (a token and an expiry) and commits each batch of rows
together with the import's progress, so a crash loses at most the batch in flight, and another
runner, in this process or another replica, takes the import over once the lease has run out.
A runner told to stop finishes the batch in flight and lets go of the lease at once.

Runs inside the BFF (unless TP_RUN_IMPORTS=0) or as its own process: `python -m backend.imports.runner`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import faulthandler
import itertools
import logging
import operator
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import timedelta
from typing import Any

from piccolo.columns import Column
from piccolo.engine.postgres import PostgresEngine

from backend.accounts.tables import CompanyUser
from backend.auth import Principal
from backend.bulk import insert_records
from backend.clock import utcnow
from backend.contacts.search_index import compact, defer_merges, restore_merges
from backend.contacts.service import ContactFields
from backend.db import checkpoint, close_database, get_engine, is_sqlite, open_database, write_transaction
from backend.db.sqlite_tuning import paused_gc, writers_waiting
from backend.email.outbox import enqueue_from_template
from backend.imports.preview import StoredRow
from backend.imports.service import Selection, forget_rows, log_finished_import, row_frames, selected_rows, stored_rows
from backend.imports.tables import CsvImport, CsvImportSkip
from backend.invitations.writes import PreparedInvite, account_names, taken_emails, write_invitations
from backend.settings import get_settings
from shared.contacts import ContactSource
from shared.imports import ImportStatus

log = logging.getLogger(__name__)

BATCH_ROWS = 20_000
# While other writes wait for their turn (SQLite has one writer at a time), smaller batches let
# them in sooner: about 0.2 s between turns instead of 0.6 s.
BUSY_BATCH_ROWS = 5_000
# A crashed runner's import is taken over once this has passed since its last batch began.
LEASE_SECONDS = 20.0
# SQLite writes an import in name order (its name indexes fill in order) when it has at most this
# many selected rows; sorting needs every row in memory, so larger imports go in file order.
SORTED_ROWS_MAX = 300_000
POLL_SECONDS = 2.0
ATTEMPTS = 3
_NAME = operator.attrgetter("name")
SKIPPED_IN_POOL = "Already in your Talent Pool (added after the preview)"

_wake: asyncio.Event | None = None


# A runner told to stop (SIGTERM, the BFF shutting down) gets this long to finish its batch in flight.
STOP_SECONDS = 15.0


class LeaseLost(Exception):
    """Another runner holds the import now; stop without writing."""


class RunnerStopping(Exception):
    """The runner was told to stop: the batch in flight is committed, the rest is left for another runner."""


def wake_runner() -> None:
    """Tell this process's runner that an import was started (others find it when they next look)."""
    if _wake is not None:
        _wake.set()


# On PostgreSQL, runners in other processes LISTEN on this channel; without it they look every POLL_SECONDS.
STARTED_CHANNEL = "csv_import_started"


async def wake_runners() -> None:
    """Tell runners that an import was started: this process's at once, on PostgreSQL every other one too."""
    wake_runner()
    if is_sqlite():
        return
    try:
        await CsvImport.raw("SELECT pg_notify({}, '')", STARTED_CHANNEL)
    except Exception:  # the import is started either way; other runners find it when they next look
        log.warning("could not notify other import runners", exc_info=True)


@contextlib.asynccontextmanager
async def _listening(wake: asyncio.Event) -> AsyncIterator[None]:
    """On PostgreSQL, set `wake` whenever another process starts an import (LISTEN on its own connection)."""
    connection = None
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        try:
            connection = await engine.get_new_connection()
            await connection.add_listener(STARTED_CHANNEL, lambda *_: wake.set())
        except Exception:  # polling still finds every import
            log.warning("could not listen for started imports; polling every %.0f s", POLL_SECONDS, exc_info=True)
    try:
        yield
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)


async def claim_import(lease_seconds: float = LEASE_SECONDS) -> tuple[int, str] | None:
    """Take one started import that nobody holds (or whose holder's lease ran out); returns (id, token)."""
    now = utcnow()
    token = secrets.token_hex(16)
    lock = "" if is_sqlite() else " FOR UPDATE SKIP LOCKED"
    async with write_transaction():
        rows = await CsvImport.raw(
            "UPDATE csv_import SET claim_token = {}, lease_until = {} WHERE id = (SELECT id FROM csv_import "
            "WHERE status = 'importing' AND (lease_until IS NULL OR lease_until < {}) "
            f"ORDER BY id LIMIT 1{lock}) RETURNING id",
            token,
            now + timedelta(seconds=lease_seconds),
            now,
        )
    return (rows[0]["id"], token) if rows else None


async def _principal(record: dict) -> Principal:
    """The user who uploaded the file: imported contacts and their history name them."""
    user = await CompanyUser.select(CompanyUser.name).where(CompanyUser.id == record["created_by"]).first()
    return Principal(
        user_id=record["created_by"], company_id=record["company"], user_name=user["name"] if user else "", session_id=0
    )


async def _import_batch(
    record: dict, principal: Principal, batch: list[StoredRow], token: str, done: int, last: bool, lease_seconds: float
) -> None:
    """Write one batch of rows and the import's progress in one transaction, if this runner still holds it."""
    import_id = record["id"]
    async with write_transaction(bulk=True):
        held = await CsvImport.raw(
            "UPDATE csv_import SET lease_until = {} WHERE id = {} AND claim_token = {} AND processed = {} "
            "AND status = 'importing' RETURNING id",
            utcnow() + timedelta(seconds=lease_seconds),
            import_id,
            token,
            done,
        )
        if not held:
            raise LeaseLost
        taken = await taken_emails(principal.company_id, [row.email for row in batch])
        fresh = [row for row in batch if row.email not in taken]
        invites = [
            PreparedInvite(
                fields=ContactFields(name=row.name, email=row.email, tags=row.tags, links=[], notes=""),
                message=record["message"],
            )
            for row in fresh
        ]
        written = await write_invitations(
            principal, invites, ContactSource.CSV, event_detail=f"CSV upload: {record['filename']}"
        )
        invitations = [
            (row.email, row.name, written.link(row.email)) for row in fresh if row.email not in written.workers
        ]
        # A connection request goes to a worker account: greet them by the name on it, not the file's.
        names = await account_names([row.email for row in fresh if row.email in written.workers])
        connections = [
            (row.email, names.get(row.email, row.name), written.link(row.email))
            for row in fresh
            if row.email in written.workers
        ]
        await enqueue_from_template(
            record["invitation_template"],
            "invitation",
            invitations,
            company_id=principal.company_id,
            contacts=written.ids,
        )
        await enqueue_from_template(
            record["connection_template"],
            "connection_request",
            connections,
            company_id=principal.company_id,
            contacts=written.ids,
        )
        await insert_records(
            CsvImportSkip,
            (CsvImportSkip.line,),
            [(row.line,) for row in batch if row.email in taken],
            {CsvImportSkip.csv_import: import_id, CsvImportSkip.reason: SKIPPED_IN_POOL},
        )
        finished: dict[Column | str, Any] = (
            {CsvImport.status: ImportStatus.DONE.value, CsvImport.finished_at: utcnow(), CsvImport.claim_token: None}
            if last
            else {}
        )
        if last:
            await _merge_search_index_unless_importing(import_id)
            await log_finished_import(record, principal, len(invitations), len(connections), len(taken))
        await CsvImport.update(
            {
                CsvImport.processed: CsvImport.processed + len(batch),
                CsvImport.invited: CsvImport.invited + len(invitations),
                CsvImport.connection_requested: CsvImport.connection_requested + len(connections),
                CsvImport.skipped: CsvImport.skipped + len(taken),
                **finished,
            }
        ).where(CsvImport.id == import_id)


async def release_import(import_id: int, token: str) -> None:
    """Let go of an import this runner holds, so that another runner takes it over at once."""
    async with write_transaction():
        await CsvImport.update({CsvImport.claim_token: None, CsvImport.lease_until: None}).where(
            (CsvImport.id == import_id)
            & (CsvImport.claim_token == token)
            & (CsvImport.status == ImportStatus.IMPORTING.value)
        )


async def run_import(
    import_id: int,
    token: str,
    *,
    batch_rows: int = BATCH_ROWS,
    lease_seconds: float = LEASE_SECONDS,
    sorted_max: int = SORTED_ROWS_MAX,
    stop: asyncio.Event | None = None,
) -> None:
    """Import the rest of a claimed import, batch by batch; stops quietly if the claim is lost.

    When `stop` is set, the runner stops after the batch in flight and releases the import.
    """
    record = await CsvImport.select().where(CsvImport.id == import_id).first()
    if record is None or record["claim_token"] != token:
        return
    principal = await _principal(record)
    todo = await _rows_to_import(record, sorted_max)
    async with write_transaction():
        await defer_merges()
    try:
        with paused_gc():
            await _import_batches(record, principal, todo, token, record["processed"], batch_rows, lease_seconds, stop)
    except LeaseLost:
        log.info("import %s is now held by another runner", import_id)
        return
    except RunnerStopping:
        await release_import(import_id, token)
        log.info("import %s released: this runner is stopping", import_id)
        return
    forget_rows(import_id)
    await _compact_search_index()


async def _rows_to_import(record: dict, sorted_max: int) -> Iterator[StoredRow]:
    """The selected rows, in the order the import writes them (the same on every attempt, so a resumed import skips what was written)."""
    selection = Selection.load(record["selection"])
    if is_sqlite() and record["selected"] <= sorted_max:
        # In name order, the name indexes of the new contacts fill in order too: far fewer pages to write.
        # (By name as written: nearly the indexes' lower(name) order, at a fraction of the cost. The sort
        # is stable over rows in file order, so a resumed import sees the same order.)
        return iter(sorted(selected_rows(await stored_rows(record["id"]), selection), key=_NAME))
    # On PostgreSQL, and for large imports on SQLite, in file order, decoded a frame at a time,
    # so a million rows never sit in memory at once (sorting them by name would need them all).
    frames = await row_frames(record["id"])
    return (row for frame in frames for row in frame if selection.contains(row))


async def _merge_search_index_unless_importing(import_id: int) -> None:
    """Let the search index merge during writes again, unless another import still runs (it will)."""
    if not await CsvImport.exists().where(
        (CsvImport.status == ImportStatus.IMPORTING.value) & (CsvImport.id != import_id)
    ):
        await restore_merges()


async def _compact_search_index() -> None:
    """After an import: compact the search index in short steps, then fold the WAL back into the database."""
    if not await CsvImport.exists().where(CsvImport.status == ImportStatus.IMPORTING.value):
        await compact()
    await checkpoint()


async def _import_batches(
    record: dict,
    principal: Principal,
    todo: Iterator[StoredRow],
    token: str,
    done: int,
    batch_rows: int,
    lease_seconds: float,
    stop: asyncio.Event | None = None,
) -> None:
    """Write the remaining rows batch by batch (see `_import_batch`); the first `done` were written before."""
    for _ in itertools.islice(todo, done):
        pass
    size = batch_rows
    batch = list(itertools.islice(todo, size))
    while True:
        following = next(todo, None)
        await _import_batch(record, principal, batch, token, done, following is None, lease_seconds)
        done += len(batch)
        if following is None:
            return
        if stop is not None and stop.is_set():
            raise RunnerStopping
        # Counted now, while writers that waited for this batch have not had their turn yet.
        size = min(batch_rows, BUSY_BATCH_ROWS) if writers_waiting() else batch_rows
        batch = [following, *itertools.islice(todo, size - 1)]
        await asyncio.sleep(0)  # let requests waiting for the database in


async def fail_import(import_id: int, token: str, error: str) -> None:
    """Give up on an import this runner holds, keeping what was imported and saying why it stopped."""
    async with write_transaction():
        await _merge_search_index_unless_importing(import_id)
        await CsvImport.update(
            {
                CsvImport.status: ImportStatus.FAILED.value,
                CsvImport.error: error,
                CsvImport.finished_at: utcnow(),
                CsvImport.claim_token: None,
            }
        ).where((CsvImport.id == import_id) & (CsvImport.claim_token == token))
    forget_rows(import_id)


async def run_next_import(stop: asyncio.Event | None = None) -> bool:
    """Claim one waiting import and run it to the end (or until `stop`); False when there was none."""
    claimed = await claim_import()
    if claimed is None:
        return False
    import_id, token = claimed
    try:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await run_import(import_id, token, stop=stop)
                return True
            except Exception:
                log.exception("import %s failed (attempt %d of %d)", import_id, attempt, ATTEMPTS)
                if stop is not None and stop.is_set():
                    await release_import(import_id, token)
                    return True
                await asyncio.sleep(attempt)
    except asyncio.CancelledError:
        # Stopped in the middle of a batch (which rolls back): another runner redoes it now, not after the lease.
        await asyncio.shield(release_import(import_id, token))
        raise
    await fail_import(
        import_id, token, "The import stopped because of an error on our side. The rows imported so far are kept."
    )
    return True


async def _run_forever(stop: asyncio.Event) -> None:
    """Run started imports one after another until `stop` is set; looks for new ones every POLL_SECONDS,
    or at once when woken (by this process's BFF, or on PostgreSQL by any process's)."""
    global _wake
    _wake = asyncio.Event()
    async with _listening(_wake):
        await _run_rounds(stop, _wake)


async def _run_rounds(stop: asyncio.Event, wake: asyncio.Event) -> None:
    """Claim and run imports until none is left, then wait for `wake`, `stop` or the poll interval."""
    log.info("import runner started")
    while not stop.is_set():
        try:
            while not stop.is_set() and await run_next_import(stop):
                pass
        except Exception:  # keep running; the next round retries
            log.exception("import runner failed")
        if stop.is_set():
            break
        waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        wake.clear()
    log.info("import runner stopped")


async def stop_runner(task: asyncio.Task, stop: asyncio.Event, timeout: float = STOP_SECONDS) -> None:
    """Tell a runner to stop after its batch in flight, and cancel it if that takes longer than `timeout`."""
    stop.set()
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def start_import_runner_in_app(app: Any) -> None:
    """Litestar on_startup hook: run started imports in this process unless TP_RUN_IMPORTS=0."""
    app.state.import_runner = None
    if get_settings().run_imports:
        stop = asyncio.Event()
        app.state.import_runner = (asyncio.create_task(_run_forever(stop), name="import-runner"), stop)


async def stop_import_runner_in_app(app: Any) -> None:
    """Litestar on_shutdown hook: stop the runner; the import it held is released for another runner at once."""
    runner: tuple[asyncio.Task, asyncio.Event] | None = getattr(app.state, "import_runner", None)
    if runner is not None:
        app.state.import_runner = None
        await stop_runner(*runner)


# -- as its own process -----------------------------------------------------------------------


async def _main() -> int:
    await open_database(max_connections=4)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await _run_forever(stop)
        return 0
    finally:
        await close_database()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `python -m backend.imports.runner` runs started imports until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m backend.imports.runner", description=main.__doc__)
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # `kill -USR1 PID` writes every thread's stack to stderr (the process's log): where a stuck process waits.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    return asyncio.run(_main())


if __name__ == "__main__":
    sys.exit(main())
