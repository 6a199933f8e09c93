"""One counter row per client, action and window: the rate limiter upserts into it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T12:54:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique rate-limit windows"


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create():
        await RawTable.raw("CREATE UNIQUE INDEX rate_limit_window_key ON rate_limit_window (key, window_start)")

    async def drop():
        await RawTable.raw("DROP INDEX rate_limit_window_key")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
