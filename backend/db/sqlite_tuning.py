"""The SQLite-only tuning of a process: one switch, `TP_SQLITE_TUNING` (on by default, ignored on PostgreSQL).

Three process-wide tunings make bulk work on SQLite fast and fair:

- the GIL is handed between threads every 0.1 ms rather than 5 ms: every SQLite statement runs in
  its connection's thread and needs the GIL back when SQLite is done;
- the cyclic garbage collector pauses during bulk CSV steps (`paused_gc`), which allocate hundreds
  of thousands of small, acyclic objects it would scan again and again for nothing;
- write transactions take turns in arrival order (`writer_turn`): SQLite's busy handler lets a
  writer that keeps coming back (an import's batches) starve the others.

None of them applies until `enable()` runs, which each process's start-up does (through
`backend.db.open_database`) when the database is SQLite and the setting is not `0`;
everything else asks this module whether the tuning is on.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import weakref
from collections.abc import AsyncIterator, Iterator

# How long a thread may keep the GIL while another waits for it (Python's default is 0.005 s).
GIL_SWITCH_SECONDS = 0.0001

_on = False
_switch_interval_before: float | None = None


def wanted() -> bool:
    """Whether this process's settings ask for the tuning: an SQLite database and TP_SQLITE_TUNING not 0."""
    from backend.settings import get_settings

    settings = get_settings()
    return settings.is_sqlite and settings.sqlite_tuning


def enable() -> None:
    """Turn the tuning on for this process (at start-up, and only when the database is SQLite)."""
    global _on, _switch_interval_before
    if not _on:
        _switch_interval_before = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        _on = True


def disable() -> None:
    """Turn the tuning off again, giving the switch interval back its previous value."""
    global _on
    if _on:
        sys.setswitchinterval(_switch_interval_before or 0.005)
        _on = False


def is_on() -> bool:
    """Whether this process runs with the SQLite tuning."""
    return _on


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """With the tuning on, no cyclic garbage collection for the duration of a bulk step."""
    if not _on:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _WriterTurns:
    """One event loop's queue of SQLite writers (asyncio locks wake waiters in arrival order)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.waiting = 0


_writer_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _WriterTurns] = weakref.WeakKeyDictionary()


def _turns() -> _WriterTurns:
    loop = asyncio.get_running_loop()
    turns = _writer_turns.get(loop)
    if turns is None:
        turns = _writer_turns[loop] = _WriterTurns()
    return turns


@contextlib.asynccontextmanager
async def writer_turn() -> AsyncIterator[None]:
    """With the tuning on, wait for this writer's turn, then hold it; otherwise go straight in."""
    if not _on:
        yield
        return
    turns = _turns()
    turns.waiting += 1
    try:
        await turns.lock.acquire()
    finally:
        turns.waiting -= 1
    try:
        yield
    finally:
        turns.lock.release()


def writers_waiting() -> int:
    """How many write transactions in this process wait for their turn (always 0 with the tuning off)."""
    return _turns().waiting if _on else 0
