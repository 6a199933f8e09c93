"""Personal invitations, worker accounts and connection requests on the wire."""

import enum
from datetime import datetime
from typing import Annotated

import msgspec

from shared.contacts import ContactStatus, Email, Links, Name, Notes, Tags
from shared.fields import Id, text
from shared.jobs import JobOfferCreate
from shared.limits import MAX_FILES, MESSAGE_MAX, PASSWORD_MAX, raw_input

Message = Annotated[str, text(raw_input(MESSAGE_MAX))]
UploadIds = Annotated[list[Id], msgspec.Meta(max_length=raw_input(MAX_FILES))]
Password = Annotated[str, text(raw_input(PASSWORD_MAX))]


class InviteCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The Invite form: who to invite, what the team keeps about them, and the message."""

    name: Name
    email: Email
    tags: Tags = []
    links: Links = []
    notes: Notes = ""
    message: Message = ""
    # "Invite and offer job": an offer the person sees once they accept the invitation.
    offer: JobOfferCreate | None = None
    # Files staged with POST /api/uploads beforehand; they become the contact's files.
    upload_ids: UploadIds = []


class InvitationSend(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """**Invite** on a contact added by hand: the invite message (the contact's own fields are already kept).

    With an offer ("Invite and offer job"; also Hire on an active contact with no worker account),
    the offer waits for the invitation and reaches the person once they accept.
    """

    message: Message = ""
    offer: JobOfferCreate | None = None


class InvitationState(str, enum.Enum):
    """Where one invitation link stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class InvitationKind(str, enum.Enum):
    """A sign-up invitation (new person) or a connection request (existing worker)."""

    SIGNUP = "signup"
    CONNECTION = "connection"


class InvitationPreview(msgspec.Struct, kw_only=True):
    """What the public invitation page shows; team-only fields never appear here."""

    state: InvitationState
    company_name: str = ""
    inviter_name: str = ""
    message: str = ""
    email: str = ""
    name: str = ""
    expires_at: datetime | None = None


class InvitationAccept(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Creating the worker account from an invitation; the email is the invited one."""

    name: Name
    password: Password
    email: Email | None = None


class WorkerLogin(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Credentials of a worker account."""

    email: Email
    password: Password


class WorkerPublic(msgspec.Struct, kw_only=True):
    """A worker account as its owner sees it."""

    id: int
    name: str
    email: str
    # False until the person proves they own the email; until then nothing sent there is shown.
    email_confirmed: bool = False


class WorkerSessionPublic(msgspec.Struct, kw_only=True):
    """A worker's opaque session token, shown once."""

    token: str
    expires_at: datetime
    worker: WorkerPublic


class Connection(msgspec.Struct, kw_only=True):
    """A company a worker is connected to, or that asks to connect."""

    id: int
    company_name: str
    status: ContactStatus
    since: datetime
    message: str = ""


class ConnectionList(msgspec.Struct, kw_only=True):
    """The worker portal: pending requests and connected companies."""

    requests: list[Connection]
    companies: list[Connection]


class ContactEvent(msgspec.Struct, kw_only=True):
    """One line of a contact's history."""

    kind: str
    summary: str
    actor: str
    at: datetime


class InvitationResult(msgspec.Struct, kw_only=True):
    """The outcome of a bulk action (resend, revoke, approve, reject): what was done, and why the rest was not."""

    done: list[int]
    # {contact id: why it was skipped}, and the problem code of each skip (e.g. "email_not_confirmed").
    skipped: dict[str, str] = {}
    skipped_codes: dict[str, str] = {}
