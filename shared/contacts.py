"""Trusted contacts, tags and their listing on the wire."""

import enum
from datetime import datetime
from typing import Annotated

import msgspec

from shared.fields import Id, id_list, text, text_list
from shared.limits import EMAIL_MAX, LINK_MAX, LINKS_MAX, NAME_MAX, NOTES_MAX, TAG_MAX, TAGS_MAX, raw_input

# Type-level bounds stop absurd input early; the BFF's service applies the limits themselves.
Name = Annotated[str, text(raw_input(NAME_MAX))]
Email = Annotated[str, text(raw_input(EMAIL_MAX))]
TAG_CHARS = raw_input(TAG_MAX)
Tag = Annotated[str, text(TAG_CHARS)]
Link = Annotated[str, text(raw_input(LINK_MAX))]
Notes = Annotated[str, text(raw_input(NOTES_MAX))]
Tags = Annotated[list[Annotated[str, text(TAG_CHARS)]], text_list(raw_input(TAGS_MAX), TAG_CHARS)]
Links = Annotated[list[Annotated[str, text(raw_input(LINK_MAX))]], text_list(raw_input(LINKS_MAX), raw_input(LINK_MAX))]


class ContactStatus(str, enum.Enum):
    """Where a trusted contact stands with the company.

    Only the flows change it: the person accepts or declines, the company approves or rejects a
    confirmed applicant, revokes or deletes, invitations expire. `invited` also covers a connection
    request to an existing worker account: until the person answers, the company cannot tell.
    """

    NOT_INVITED = "not_invited"
    INVITED = "invited"
    APPLIED = "applied"
    ACTIVE = "active"
    DECLINED = "declined"
    REJECTED = "rejected"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        """The status as people read it."""
        return self.value.replace("_", " ")


class ContactSource(str, enum.Enum):
    """How a contact came into the pool."""

    MANUAL = "manual"
    EMAIL_INVITE = "email_invite"
    LINK = "link"
    CSV = "csv"

    @property
    def label(self) -> str:
        """The source as people read it."""
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    ContactSource.MANUAL: "Added manually",
    ContactSource.EMAIL_INVITE: "Email invite",
    ContactSource.LINK: "Invitation link",
    ContactSource.CSV: "CSV upload",
}


class ContactSort(str, enum.Enum):
    """Orders the Talent Pool can be sorted by; a leading '-' means descending."""

    NAME = "name"
    NAME_DESC = "-name"
    EMAIL = "email"
    EMAIL_DESC = "-email"
    STATUS = "status"
    STATUS_DESC = "-status"
    CREATED = "created_at"
    CREATED_DESC = "-created_at"
    ACTIVITY = "last_activity_at"
    ACTIVITY_DESC = "-last_activity_at"


class ContactCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A trusted contact to add to the company's pool; it starts `not_invited` (no status field: see ContactStatus)."""

    name: Name
    email: Email
    tags: Tags = []
    links: Links = []
    notes: Notes = ""


class ContactUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial update: fields left UNSET are not changed."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    links: Links | msgspec.UnsetType = msgspec.UNSET
    notes: Notes | msgspec.UnsetType = msgspec.UNSET


class DeliveryState(str, enum.Enum):
    """Where the email of a contact's invitation is: waiting for the sender, accepted by the SMTP server, or failed."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class EmailDelivery(msgspec.Struct, kw_only=True):
    """What became of the email of a contact's latest invitation."""

    state: DeliveryState
    # sent: when the SMTP server accepted it; failed: when the sender gave up on it.
    at: datetime | None = None
    # failed: why; queued: why the last attempt did not go through ("" before the first attempt).
    reason: str = ""


class ContactSummary(msgspec.Struct, kw_only=True):
    """One row of the Talent Pool table."""

    id: int
    name: str
    email: str
    status: ContactStatus
    source: ContactSource
    tags: list[str]
    last_activity_at: datetime
    created_at: datetime
    email_confirmed: bool | None = None
    # The last job the contact was hired for (an accepted offer): its title and when it was accepted.
    last_engagement: str | None = None
    last_engaged_at: datetime | None = None
    # Why the last email to the contact could not be delivered ("" when nothing failed).
    email_error: str = ""
    # While the contact is invited: the delivery of the invitation's email (None otherwise).
    invitation_email: EmailDelivery | None = None
    # For active contacts only (None otherwise): whether a worker account stands behind them. One made
    # active without one cannot answer a job offer: Hire invites them with the offer instead.
    has_worker_account: bool | None = None


class ContactFile(msgspec.Struct, kw_only=True):
    """A file the team keeps on a contact (e.g. a CV)."""

    id: int
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


class ContactPublic(msgspec.Struct, kw_only=True):
    """A trusted contact's full profile, as the company team sees it."""

    id: int
    name: str
    email: str
    status: ContactStatus
    source: ContactSource
    tags: list[str]
    links: list[str]
    notes: str
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    created_by: str | None = None
    files: list[ContactFile] = []
    invitation_expires_at: datetime | None = None
    email_confirmed: bool | None = None
    # The last job the contact was hired for (see ContactSummary); set means "worked with before".
    last_engagement: str | None = None
    last_engaged_at: datetime | None = None
    # Why the last email to the contact could not be delivered, and when ("" / None when nothing failed).
    email_error: str = ""
    email_failed_at: datetime | None = None
    # See ContactSummary.invitation_email.
    invitation_email: EmailDelivery | None = None
    # See ContactSummary.has_worker_account.
    has_worker_account: bool | None = None


class ContactPage(msgspec.Struct, kw_only=True):
    """One page of a filtered, sorted contact listing with the total count."""

    items: list[ContactSummary]
    # Exact when `total_exact`; otherwise more than `total` contacts match (counting stops there).
    total: int
    page: int
    page_size: int
    total_exact: bool = True


class TagCount(msgspec.Struct, kw_only=True):
    """A tag and how many contacts carry it."""

    name: str
    # Exact when `exact`; otherwise more than `count` contacts carry the tag (counting stops there).
    count: int
    exact: bool = True


class StatusCount(msgspec.Struct, kw_only=True):
    """How many contacts have one status."""

    status: ContactStatus
    # Exact when `exact`; otherwise more than `count` contacts have the status (counting stops there).
    count: int
    exact: bool = True


class EmailCorrection(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A corrected address for a contact whose invitation could not be delivered."""

    email: Email


class EmailFailureCount(msgspec.Struct, kw_only=True):
    """How many contacts have an email that could not be delivered."""

    count: int


class PoolStamp(msgspec.Struct, kw_only=True):
    """An opaque stamp of the Talent Pool: it changes whenever what the page shows may have changed."""

    stamp: str


class ContactIds(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Contacts selected in the Talent Pool for a bulk action."""

    ids: Annotated[list[Id], id_list(1, 1000)]


class EventKind(str, enum.Enum):
    """What a line of a contact's history records.

    A connection request is written with the invitation's kinds: the history does not tell the
    company about a worker account before the person answers.
    """

    ADDED = "added"
    EDITED = "edited"
    FILE_ADDED = "file_added"
    INVITATION_SENT = "invitation_sent"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_OPENED = "invitation_opened"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_EXPIRED = "invitation_expired"
    CONNECTION_ACCEPTED = "connection_accepted"
    CONNECTION_DECLINED = "connection_declined"
    APPLIED_VIA_LINK = "applied_via_link"
    EMAIL_CONFIRMED = "email_confirmed"
    EMAIL_CORRECTED = "email_corrected"
    APPLICANT_APPROVED = "applicant_approved"
    APPLICANT_REJECTED = "applicant_rejected"
    OFFER_ATTACHED = "offer_attached"
    OFFER_SENT = "offer_sent"
    OFFER_WITHDRAWN = "offer_withdrawn"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_DECLINED = "offer_declined"
    REMINDER_SENT = "reminder_sent"
