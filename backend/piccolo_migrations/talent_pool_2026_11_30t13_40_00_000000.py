"""Index the activity log by company and time (the Activity page lists a company's newest lines first) and
the outbox by company and sending time: an open Talent Pool page's change stamp reads the latest of each."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index the activity log and the sent emails by company and time"

INDEXES = [
    ("activity_company_created", "activity (company, created_at, id)"),
    ("outbox_email_company_sent", "outbox_email (company, sent_at)"),
]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create():
        for name, columns in INDEXES:
            await RawTable.raw(f"CREATE INDEX {name} ON {columns}")

    async def drop():
        for name, _ in reversed(INDEXES):
            await RawTable.raw(f"DROP INDEX {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
