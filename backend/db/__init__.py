"""The database: the engine (`engine`), SQLite's connection pool (`sqlite_pool`) and process tuning
(`sqlite_tuning`), write transactions (`transactions`) and hand-written bulk SQL (`statements`).

Services import what they use from here; the submodules are this package's own layout.
"""

from backend.db.engine import (
    close_database,
    engine_from_url,
    get_engine,
    is_sqlite,
    open_database,
    prepare_sqlite_file,
)
from backend.db.statements import (
    chunks,
    execute_many,
    fetch_in,
    like_pattern,
    numbered,
    placeholders,
    raw_date,
    raw_datetime,
)
from backend.db.transactions import (
    checkpoint,
    lock_for_transaction,
    reserve_ids,
    transaction_connection,
    write_transaction,
)

__all__ = [
    "checkpoint",
    "chunks",
    "close_database",
    "engine_from_url",
    "execute_many",
    "fetch_in",
    "get_engine",
    "is_sqlite",
    "like_pattern",
    "lock_for_transaction",
    "numbered",
    "open_database",
    "placeholders",
    "prepare_sqlite_file",
    "raw_date",
    "raw_datetime",
    "reserve_ids",
    "transaction_connection",
    "write_transaction",
]
