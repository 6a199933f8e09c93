"""Reading an account's password hash under a lock, so a log-in and a password change do not cross."""

from __future__ import annotations

from piccolo.table import Table

from backend.database import is_sqlite


async def locked_password_hash(table: type[Table], account_id: int) -> str | None:
    """The stored hash, read inside the caller's write transaction.

    On PostgreSQL the row is locked FOR SHARE: a concurrent password change either commits first (and
    this reads its new hash) or waits for the caller's commit (and then ends the session the caller
    opened). SQLite's write transactions are IMMEDIATE, one at a time, so the plain read is enough.
    """
    query = table.select(table.password_hash).where(table.id == account_id)
    if not is_sqlite():
        query = query.lock_rows("SHARE")
    row = await query.first()
    return row["password_hash"] if row else None
