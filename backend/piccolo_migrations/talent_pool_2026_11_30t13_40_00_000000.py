"""Index the activity log by company and time: the Activity page lists a company's newest lines first, and
an open Talent Pool page's change stamp reads the latest line."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index the activity log by company and time"


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create():
        await RawTable.raw("CREATE INDEX activity_company_created ON activity (company, created_at, id)")

    async def drop():
        await RawTable.raw("DROP INDEX activity_company_created")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
