"""An index of the contacts a company has hired before, for the Talent Pool's "worked before" filter.

Only hired contacts are in it, so writing new contacts (a bulk import above all) pays nothing for it.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-24T04:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Partial index on hired contacts (contact.last_engaged_at)"

ENGAGED = "CREATE INDEX contact_company_engaged ON contact (company, last_engaged_at, id) WHERE last_engaged_at IS NOT NULL"


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create_index():
        await RawTable.raw(ENGAGED)

    async def drop_index():
        await RawTable.raw("DROP INDEX contact_company_engaged")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
