"""Liveness and readiness for a load balancer: `/health` (the process answers) and `/ready` (send it requests)."""

from __future__ import annotations

import asyncio
import logging

from litestar import get

from backend.db import get_engine
from backend.errors import NotReady

log = logging.getLogger(__name__)
# A database that takes longer than this to answer `SELECT 1` counts as down.
READY_TIMEOUT_SECONDS = 2.0

_shutting_down = False


def begin_shutdown() -> None:
    """From now on this process answers `/ready` with 503 (called when SIGTERM or Ctrl-C arrives)."""
    global _shutting_down
    _shutting_down = True


def is_shutting_down() -> bool:
    """Whether this process is on its way out."""
    return _shutting_down


async def check_ready(timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Raise NotReady unless this process can serve: not shutting down, and the database answers in time."""
    if _shutting_down:
        raise NotReady("This process is shutting down; send requests to another one.")
    try:
        await asyncio.wait_for(get_engine().run_ddl("SELECT 1"), timeout)
    except Exception as error:  # any failure to reach the database means "not ready", never a 500
        log.warning("not ready: the database did not answer (%s)", type(error).__name__)
        raise NotReady("The database does not answer.") from None


@get("/health", include_in_schema=False)
async def health() -> dict[str, str]:
    """Liveness: the process answers (the database is not asked; see /ready)."""
    return {"status": "ok"}


@get("/ready", include_in_schema=False)
async def ready() -> dict[str, str]:
    """Readiness: 200 when this process can serve requests, else a 503 `not_ready` problem."""
    await check_ready()
    return {"status": "ready"}
