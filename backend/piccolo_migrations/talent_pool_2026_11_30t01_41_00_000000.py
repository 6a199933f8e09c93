"""Indexes for delivery failures on contacts.

A partial index of contacts whose email failed keeps the Talent Pool's "email failed" count and
filter cheap (only failed contacts are in it); a partial index on `outbox_email.contact` finds a
contact's emails.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T01:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Partial indexes on failed contacts (contact.email_failed_at) and on outbox_email.contact"

FAILED = "CREATE INDEX contact_company_email_failed ON contact (company, email_failed_at, id) WHERE email_failed_at IS NOT NULL"
OUTBOX_CONTACT = "CREATE INDEX outbox_email_contact ON outbox_email (contact) WHERE contact IS NOT NULL"


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create_indexes():
        await RawTable.raw(FAILED)
        await RawTable.raw(OUTBOX_CONTACT)

    async def drop_indexes():
        await RawTable.raw("DROP INDEX outbox_email_contact")
        await RawTable.raw("DROP INDEX contact_company_email_failed")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
