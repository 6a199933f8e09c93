"""Reminders of unanswered invitations.

- `reminder_schedule`: one row per company that set its schedule (none means the default: two
  reminders, after 3 and 7 days; 0 reminders is off).
- `invitation.reminders_sent`: how many reminders an invitation has had, raised by one conditional
  UPDATE per reminder in the transaction that queues its email, so two senders never send one twice.
- `invitation_pending_created`: pending invitations by the time they were sent, the reminder pass's
  look-up (partial: answered and ended invitations are not in it).
- `contact_event.kind` gains `reminder_sent`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

# Raw statements run before the columns are added: the index names only columns that exist already.
PENDING_INDEX = "CREATE INDEX invitation_pending_created ON invitation (created_at, id) WHERE state = 'pending'"


class RawTable(Table):
    """Runs raw SQL."""


class Company(Table, tablename="company", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-11-30T13:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Reminder schedules per company and the count of reminders sent per invitation"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="talent_pool", description=DESCRIPTION
    )

    async def create_index():
        await RawTable.raw(PENDING_INDEX)

    async def drop_index():
        await RawTable.raw("DROP INDEX invitation_pending_created")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)

    manager.add_table(
        class_name="ReminderSchedule",
        tablename="reminder_schedule",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="ReminderSchedule",
        tablename="reminder_schedule",
        column_name="company",
        db_column_name="company",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Company,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": True,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ReminderSchedule",
        tablename="reminder_schedule",
        column_name="reminders",
        db_column_name="reminders",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 2,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ReminderSchedule",
        tablename="reminder_schedule",
        column_name="first_after_days",
        db_column_name="first_after_days",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 3,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ReminderSchedule",
        tablename="reminder_schedule",
        column_name="second_after_days",
        db_column_name="second_after_days",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 7,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ReminderSchedule",
        tablename="reminder_schedule",
        column_name="updated_at",
        db_column_name="updated_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Invitation",
        tablename="invitation",
        column_name="reminders_sent",
        db_column_name="reminders_sent",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="ContactEvent",
        tablename="contact_event",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "EventKind",
                {
                    "ADDED": "added",
                    "EDITED": "edited",
                    "FILE_ADDED": "file_added",
                    "INVITATION_SENT": "invitation_sent",
                    "INVITATION_RESENT": "invitation_resent",
                    "INVITATION_REVOKED": "invitation_revoked",
                    "INVITATION_OPENED": "invitation_opened",
                    "INVITATION_ACCEPTED": "invitation_accepted",
                    "INVITATION_EXPIRED": "invitation_expired",
                    "CONNECTION_ACCEPTED": "connection_accepted",
                    "CONNECTION_DECLINED": "connection_declined",
                    "APPLIED_VIA_LINK": "applied_via_link",
                    "EMAIL_CONFIRMED": "email_confirmed",
                    "EMAIL_CORRECTED": "email_corrected",
                    "APPLICANT_APPROVED": "applicant_approved",
                    "APPLICANT_REJECTED": "applicant_rejected",
                    "OFFER_ATTACHED": "offer_attached",
                    "OFFER_SENT": "offer_sent",
                    "OFFER_WITHDRAWN": "offer_withdrawn",
                    "OFFER_ACCEPTED": "offer_accepted",
                    "OFFER_DECLINED": "offer_declined",
                    "REMINDER_SENT": "reminder_sent",
                },
            )
        },
        old_params={
            "choices": Enum(
                "EventKind",
                {
                    "ADDED": "added",
                    "EDITED": "edited",
                    "FILE_ADDED": "file_added",
                    "INVITATION_SENT": "invitation_sent",
                    "INVITATION_RESENT": "invitation_resent",
                    "INVITATION_REVOKED": "invitation_revoked",
                    "INVITATION_OPENED": "invitation_opened",
                    "INVITATION_ACCEPTED": "invitation_accepted",
                    "INVITATION_EXPIRED": "invitation_expired",
                    "CONNECTION_ACCEPTED": "connection_accepted",
                    "CONNECTION_DECLINED": "connection_declined",
                    "APPLIED_VIA_LINK": "applied_via_link",
                    "EMAIL_CONFIRMED": "email_confirmed",
                    "EMAIL_CORRECTED": "email_corrected",
                    "APPLICANT_APPROVED": "applicant_approved",
                    "APPLICANT_REJECTED": "applicant_rejected",
                    "OFFER_ATTACHED": "offer_attached",
                    "OFFER_SENT": "offer_sent",
                    "OFFER_WITHDRAWN": "offer_withdrawn",
                    "OFFER_ACCEPTED": "offer_accepted",
                    "OFFER_DECLINED": "offer_declined",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
