"""Indexes on contact.worker and contact.invitation_link only where they are set.

Most contacts have neither (yet), and every contact written paid for two index entries that no
lookup uses: lookups are always by a given worker or link.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey, Integer
from piccolo.table import Table

ID = "2026-11-24T04:21:14:382851"
VERSION = "1.38.0"
DESCRIPTION = "Partial indexes on contact.worker and contact.invitation_link"

PARTIAL = [
    "CREATE INDEX contact_worker_set ON contact (worker) WHERE worker IS NOT NULL",
    "CREATE INDEX contact_invitation_link_set ON contact (invitation_link) WHERE invitation_link IS NOT NULL",
]


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="talent_pool", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Contact",
        tablename="contact",
        column_name="worker",
        db_column_name="worker",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Contact",
        tablename="contact",
        column_name="invitation_link",
        db_column_name="invitation_link",
        params={"index": False},
        old_params={"index": True},
        column_class=Integer,
        old_column_class=Integer,
        schema=None,
    )

    async def create_partial():
        for statement in PARTIAL:
            await RawTable.raw(statement)

    async def drop_partial():
        for statement in PARTIAL:
            await RawTable.raw(f"DROP INDEX {statement.split()[2]}")

    manager.add_raw(create_partial)
    manager.add_raw_backwards(drop_partial)
    return manager
