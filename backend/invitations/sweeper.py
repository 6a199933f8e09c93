"""Marks invitations past their expiry as expired, every minute, inside the BFF."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from backend.invitations.service import expire_invitations
from backend.ratelimit import forget_old_windows
from backend.settings import get_settings

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 60.0


async def _sweep_forever() -> None:
    while True:
        try:
            expired = await expire_invitations()
            await forget_old_windows()
            if expired:
                log.info("marked %d invitation(s) expired", expired)
        except Exception:  # keep sweeping; the next round retries
            log.exception("expiry sweep failed")
        await asyncio.sleep(SWEEP_EVERY_SECONDS)


async def start_sweeper_in_app(app: Any) -> None:
    """Litestar on_startup hook: sweep with the other background work unless TP_RUN_SENDER=0."""
    app.state.expiry_sweeper = asyncio.create_task(_sweep_forever()) if get_settings().mail.run_sender else None


async def stop_sweeper_in_app(app: Any) -> None:
    """Litestar on_shutdown hook: stop the sweep."""
    task: asyncio.Task | None = getattr(app.state, "expiry_sweeper", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
