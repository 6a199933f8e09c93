"""The company's activity log on the wire: who changed what, and when."""

import enum
from datetime import datetime

import msgspec


class ActivityKind(str, enum.Enum):
    """What a teammate (or the product on the company's behalf) changed."""

    CONTACT_ADDED = "contact_added"
    CONTACT_EDITED = "contact_edited"
    CONTACTS_DELETED = "contacts_deleted"
    INVITATION_SENT = "invitation_sent"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    EMAIL_CORRECTED = "email_corrected"
    APPLICANT_APPROVED = "applicant_approved"
    APPLICANT_REJECTED = "applicant_rejected"
    IMPORT_FINISHED = "import_finished"
    OFFER_SENT = "offer_sent"
    OFFER_WITHDRAWN = "offer_withdrawn"
    LINK_CREATED = "link_created"
    LINK_EDITED = "link_edited"
    LINK_ROTATED = "link_rotated"
    LINK_REVOKED = "link_revoked"
    COMPANY_RENAMED = "company_renamed"
    TEAM_INVITED = "team_invited"
    TEAM_INVITATION_REVOKED = "team_invitation_revoked"
    TEAM_JOINED = "team_joined"
    MEMBER_REMOVED = "member_removed"
    ROLE_CHANGED = "role_changed"
    REMINDER_SENT = "reminder_sent"
    REMINDER_SCHEDULE_CHANGED = "reminder_schedule_changed"


# How each kind reads on the Activity page and in the CSV export.
ACTIVITY_LABELS: dict[str, str] = {
    ActivityKind.CONTACT_ADDED: "Contact added",
    ActivityKind.CONTACT_EDITED: "Contact edited",
    ActivityKind.CONTACTS_DELETED: "Contacts deleted",
    ActivityKind.INVITATION_SENT: "Invitation sent",
    ActivityKind.INVITATION_RESENT: "Invitation resent",
    ActivityKind.INVITATION_REVOKED: "Invitation revoked",
    ActivityKind.EMAIL_CORRECTED: "Email corrected",
    ActivityKind.APPLICANT_APPROVED: "Applicant approved",
    ActivityKind.APPLICANT_REJECTED: "Applicant rejected",
    ActivityKind.IMPORT_FINISHED: "CSV import",
    ActivityKind.OFFER_SENT: "Job offer sent",
    ActivityKind.OFFER_WITHDRAWN: "Job offer withdrawn",
    ActivityKind.LINK_CREATED: "Invitation link created",
    ActivityKind.LINK_EDITED: "Invitation link edited",
    ActivityKind.LINK_ROTATED: "Invitation link rotated",
    ActivityKind.LINK_REVOKED: "Invitation link revoked",
    ActivityKind.COMPANY_RENAMED: "Company renamed",
    ActivityKind.TEAM_INVITED: "Teammate invited",
    ActivityKind.TEAM_INVITATION_REVOKED: "Teammate invitation revoked",
    ActivityKind.TEAM_JOINED: "Joined the team",
    ActivityKind.MEMBER_REMOVED: "Teammate removed",
    ActivityKind.ROLE_CHANGED: "Role changed",
    ActivityKind.REMINDER_SENT: "Reminder sent",
    ActivityKind.REMINDER_SCHEDULE_CHANGED: "Reminder schedule changed",
}


def activity_label(kind: str) -> str:
    """The words for a kind as stored (unknown kinds read as their name)."""
    return ACTIVITY_LABELS.get(kind, kind.replace("_", " ").capitalize())


class ActivityEntry(msgspec.Struct, kw_only=True):
    """One line of the activity log; `actor_id` is null once the teammate has left, `actor_name` stays."""

    id: int
    kind: ActivityKind
    label: str
    actor_id: int | None
    actor_name: str
    subject: str
    detail: str
    at: datetime


class ActivityPage(msgspec.Struct, kw_only=True):
    """A page of the activity log, newest first."""

    items: list[ActivityEntry]
    total: int
    page: int
    page_size: int


class ActivityPerson(msgspec.Struct, kw_only=True):
    """A teammate the log can be filtered by."""

    id: int
    name: str
