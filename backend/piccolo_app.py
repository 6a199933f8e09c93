"""The Piccolo app holding every table of the BFF and its migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.accounts.tables import Company, CompanyUser, UserSession
from backend.activity.tables import Activity
from backend.contacts.tables import Contact, ContactEvent, ContactFileRecord, ContactTag, Invitation, Tag
from backend.email.tables import OutboxEmail, OutboxTemplate
from backend.imports.tables import CsvImport, CsvImportRows, CsvImportSkip
from backend.jobs.tables import JobOffer
from backend.links.tables import EmailConfirmation, InvitationLink, LinkViewDay
from backend.passwords.tables import PasswordReset
from backend.ratelimit_tables import RateLimitWindow
from backend.reminders.tables import ReminderSchedule
from backend.team.tables import TeamInvitation
from backend.uploads.tables import StagedUpload
from backend.workers.tables import Worker, WorkerSession

APP_CONFIG = AppConfig(
    app_name="talent_pool",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[
        Company,
        CompanyUser,
        UserSession,
        Worker,
        WorkerSession,
        Contact,
        Tag,
        ContactTag,
        Invitation,
        ContactEvent,
        ContactFileRecord,
        StagedUpload,
        JobOffer,
        InvitationLink,
        EmailConfirmation,
        RateLimitWindow,
        PasswordReset,
        OutboxTemplate,
        OutboxEmail,
        CsvImport,
        CsvImportRows,
        CsvImportSkip,
        Activity,
        LinkViewDay,
        TeamInvitation,
        ReminderSchedule,
    ],
    migration_dependencies=[],
    commands=[],
)
