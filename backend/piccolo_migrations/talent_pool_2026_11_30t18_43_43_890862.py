"""The activity log gains a kind: a teammate changed the reminder schedule (no change to stored rows)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-11-30T18:43:43:890862"
VERSION = "1.38.0"
DESCRIPTION = "Activity kind for reminder schedule changes"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="talent_pool", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Activity",
        tablename="activity",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "ActivityKind",
                {
                    "CONTACT_ADDED": "contact_added",
                    "CONTACT_EDITED": "contact_edited",
                    "CONTACTS_DELETED": "contacts_deleted",
                    "INVITATION_SENT": "invitation_sent",
                    "INVITATION_RESENT": "invitation_resent",
                    "INVITATION_REVOKED": "invitation_revoked",
                    "EMAIL_CORRECTED": "email_corrected",
                    "APPLICANT_APPROVED": "applicant_approved",
                    "APPLICANT_REJECTED": "applicant_rejected",
                    "IMPORT_FINISHED": "import_finished",
                    "OFFER_SENT": "offer_sent",
                    "OFFER_WITHDRAWN": "offer_withdrawn",
                    "LINK_CREATED": "link_created",
                    "LINK_EDITED": "link_edited",
                    "LINK_ROTATED": "link_rotated",
                    "LINK_REVOKED": "link_revoked",
                    "COMPANY_RENAMED": "company_renamed",
                    "TEAM_INVITED": "team_invited",
                    "TEAM_INVITATION_REVOKED": "team_invitation_revoked",
                    "TEAM_JOINED": "team_joined",
                    "MEMBER_REMOVED": "member_removed",
                    "ROLE_CHANGED": "role_changed",
                    "REMINDER_SENT": "reminder_sent",
                    "REMINDER_SCHEDULE_CHANGED": "reminder_schedule_changed",
                },
            )
        },
        old_params={
            "choices": Enum(
                "ActivityKind",
                {
                    "CONTACT_ADDED": "contact_added",
                    "CONTACT_EDITED": "contact_edited",
                    "CONTACTS_DELETED": "contacts_deleted",
                    "INVITATION_SENT": "invitation_sent",
                    "INVITATION_RESENT": "invitation_resent",
                    "INVITATION_REVOKED": "invitation_revoked",
                    "EMAIL_CORRECTED": "email_corrected",
                    "APPLICANT_APPROVED": "applicant_approved",
                    "APPLICANT_REJECTED": "applicant_rejected",
                    "IMPORT_FINISHED": "import_finished",
                    "OFFER_SENT": "offer_sent",
                    "OFFER_WITHDRAWN": "offer_withdrawn",
                    "LINK_CREATED": "link_created",
                    "LINK_EDITED": "link_edited",
                    "LINK_ROTATED": "link_rotated",
                    "LINK_REVOKED": "link_revoked",
                    "COMPANY_RENAMED": "company_renamed",
                    "TEAM_INVITED": "team_invited",
                    "TEAM_INVITATION_REVOKED": "team_invitation_revoked",
                    "TEAM_JOINED": "team_joined",
                    "MEMBER_REMOVED": "member_removed",
                    "ROLE_CHANGED": "role_changed",
                    "REMINDER_SENT": "reminder_sent",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
