"""Email that cannot be delivered shows on its contact.

`outbox_email.contact` names the contact an email was written to (an int, not a foreign key, like
`contact.invitation_link`: the outbox is written in bulk and never joined for delivery). When the
sender gives up on such an email it copies the reason to `contact.email_error` and stamps
`contact.email_failed_at`. Their indexes come in the next migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Text, Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Delivery failures on contacts (contact.email_error, contact.email_failed_at, outbox_email.contact)"


def _params(**params) -> dict:
    return {
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **params,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    manager.add_column(
        table_class_name="OutboxEmail",
        tablename="outbox_email",
        column_name="contact",
        db_column_name="contact",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=None, null=True),
        schema=None,
    )
    manager.add_column(
        table_class_name="Contact",
        tablename="contact",
        column_name="email_error",
        db_column_name="email_error",
        column_class_name="Text",
        column_class=Text,
        params=_params(default="", null=False),
        schema=None,
    )
    manager.add_column(
        table_class_name="Contact",
        tablename="contact",
        column_name="email_failed_at",
        db_column_name="email_failed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=None, null=True),
        schema=None,
    )

    return manager
