"""Upkeep of the SQLite trigram index behind search-as-you-type (PostgreSQL has none to keep).

FTS5 stores the index as segments and merges them as rows arrive: a little after each write
(`automerge`), and at once inside the write when one level piles up (`crisismerge`). A bulk
import of many batches would pay for those merges again and again; instead it defers them, and
the index is compacted once at the end, in short steps. Every row is searchable throughout:
merging only makes the index smaller and its lookups quicker.

The settings are stored in the database, so they apply to every connection until restored.
"""

from __future__ import annotations

from backend.db import is_sqlite, transaction_connection, write_transaction

# FTS5's own defaults.
AUTOMERGE = 4
CRISISMERGE = 16
# While bulk writing: no merging after writes, none inside them below this many segments per level.
BULK_CRISISMERGE = 1000
# Pages merged per compaction step: each step is a short write transaction.
MERGE_PAGES = 500


async def _set(automerge: int, crisismerge: int) -> None:
    connection = transaction_connection()
    await connection.execute(f"INSERT INTO contact_search(contact_search, rank) VALUES ('automerge', {automerge})")
    await connection.execute(f"INSERT INTO contact_search(contact_search, rank) VALUES ('crisismerge', {crisismerge})")


async def defer_merges() -> None:
    """Stop merging the index during writes, inside the caller's write transaction."""
    if is_sqlite():
        await _set(0, BULK_CRISISMERGE)


async def restore_merges() -> None:
    """Merge during writes again (FTS5's defaults), inside the caller's write transaction."""
    if is_sqlite():
        await _set(AUTOMERGE, CRISISMERGE)


async def compact(max_steps: int = 10_000) -> int:
    """Merge the index's segments in short write transactions until nothing is left to merge; returns the steps."""
    if not is_sqlite():
        return 0
    for step in range(1, max_steps + 1):
        async with write_transaction():
            connection = transaction_connection()
            before = (await connection.execute_fetchall("SELECT total_changes() AS n"))[0]["n"]
            await connection.execute(
                f"INSERT INTO contact_search(contact_search, rank) VALUES ('merge', {MERGE_PAGES})"
            )
            after = (await connection.execute_fetchall("SELECT total_changes() AS n"))[0]["n"]
        # FTS5's documented signal: fewer than two changed rows means the merge found nothing to do.
        if after - before < 2:
            return step
    return max_steps
