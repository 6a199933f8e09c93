"""Composite and expression indexes the Talent Pool listing and tenancy rules rely on."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T11:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for per-company uniqueness, listing and tag filters"

INDEXES = [
    "CREATE UNIQUE INDEX contact_company_email ON contact (company, email)",
    "CREATE INDEX contact_company_name ON contact (company, lower(name), id)",
    "CREATE INDEX contact_company_status_name ON contact (company, status, lower(name), id)",
    "CREATE INDEX contact_company_created ON contact (company, created_at, id)",
    "CREATE INDEX contact_company_activity ON contact (company, last_activity_at, id)",
    "CREATE UNIQUE INDEX tag_company_name ON tag (company, name)",
    "CREATE UNIQUE INDEX contact_tag_pair ON contact_tag (contact, tag)",
    "CREATE INDEX contact_tag_tag ON contact_tag (tag, contact)",
]


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create_indexes():
        for statement in INDEXES:
            await RawTable.raw(statement)

    async def drop_indexes():
        for statement in INDEXES:
            name = statement.split(" INDEX ")[1].split(" ")[0]
            await RawTable.raw(f"DROP INDEX {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
