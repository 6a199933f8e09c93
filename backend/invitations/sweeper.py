"""Periodic upkeep inside the BFF: expires invitations and staged uploads every minute, removes stored files no row
points to, and sends due invitation reminders on their own interval (`TP_REMINDER_INTERVAL_SECONDS`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from backend.contacts.tables import ContactFileRecord
from backend.db import chunks
from backend.files import discard_files, stored_files_older_than
from backend.invitations.service import expire_invitations
from backend.ratelimit import forget_old_windows
from backend.reminders.sending import send_due_reminders
from backend.settings import get_settings
from backend.uploads.service import expire_staged_uploads
from backend.uploads.tables import StagedUpload

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 60.0
# Stored files are checked every this many rounds (an hour), and only files this old: a file being
# uploaded right now is written before the row that points to it is committed.
FILE_SWEEP_EVERY_ROUNDS = 60
FILE_GRACE_SECONDS = 3600.0


async def remove_unreferenced_files(grace_seconds: float = FILE_GRACE_SECONDS) -> int:
    """Delete stored files older than the grace period that no contact file or staged upload points to."""
    candidates = await asyncio.to_thread(stored_files_older_than, grace_seconds)
    referenced: set[str] = set()
    for chunk in chunks(candidates):
        for table in (ContactFileRecord, StagedUpload):
            rows = await table.select(table.storage_key).where(table.storage_key.is_in(chunk))
            referenced.update(row["storage_key"] for row in rows)
    orphans = [key for key in candidates if key not in referenced]
    await asyncio.to_thread(discard_files, orphans)
    return len(orphans)


async def _sweep_forever() -> None:
    rounds = 0
    while True:
        try:
            expired = await expire_invitations()
            await forget_old_windows()
            if expired:
                log.info("marked %d invitation(s) expired", expired)
            staged = await expire_staged_uploads()
            if staged:
                log.info("removed %d staged upload(s) older than a day", staged)
            if rounds % FILE_SWEEP_EVERY_ROUNDS == 0:
                removed = await remove_unreferenced_files()
                if removed:
                    log.info("removed %d stored file(s) no contact points to", removed)
        except Exception:  # keep sweeping; the next round retries
            log.exception("sweep failed")
        rounds += 1
        await asyncio.sleep(SWEEP_EVERY_SECONDS)


async def _remind_forever() -> None:
    while True:
        try:
            reminded = await send_due_reminders()
            if reminded:
                log.info("queued %d invitation reminder(s)", reminded)
        except Exception:  # keep going; the next round retries
            log.exception("reminder pass failed")
        await asyncio.sleep(get_settings().reminder_interval_seconds)


async def _upkeep_forever() -> None:
    """The sweep and the reminder pass, each on its own interval."""
    await asyncio.gather(_sweep_forever(), _remind_forever())


@contextlib.asynccontextmanager
async def run_sweeper() -> AsyncIterator[None]:
    """Sweep and remind in the background while the block runs (a dedicated sender process does)."""
    task = asyncio.create_task(_upkeep_forever(), name="sweeper")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def start_sweeper_in_app(app: Any) -> None:
    """Litestar on_startup hook: sweep with the other background work unless TP_RUN_SENDER=0."""
    app.state.expiry_sweeper = asyncio.create_task(_upkeep_forever()) if get_settings().mail.run_sender else None


async def stop_sweeper_in_app(app: Any) -> None:
    """Litestar on_shutdown hook: stop the sweep."""
    task: asyncio.Task | None = getattr(app.state, "expiry_sweeper", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
