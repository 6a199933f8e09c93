"""Teammates, their roles and team invitations on the wire."""

import enum
from datetime import datetime
from typing import Annotated

import msgspec

from shared.fields import text
from shared.limits import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, raw_input


class TeamRole(enum.StrEnum):
    """What a company user may do: Owners everything, Admins all but the Owner's rights, Members the daily work."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class TeamInvitationState(enum.StrEnum):
    """Where a teammate's invitation stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


Email = Annotated[str, text(raw_input(EMAIL_MAX))]
Name = Annotated[str, text(raw_input(NAME_MAX))]
Password = Annotated[str, text(raw_input(PASSWORD_MAX))]


class TeamInvitationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Invite a colleague by email, with the role they will have."""

    email: Email
    name: Name = ""
    role: TeamRole = TeamRole.MEMBER


class TeamInvitationPublic(msgspec.Struct, kw_only=True):
    """A pending invitation as the team page shows it."""

    id: int
    email: str
    name: str
    role: TeamRole
    invited_by: str
    created_at: datetime
    expires_at: datetime


class TeamMemberPublic(msgspec.Struct, kw_only=True):
    """A teammate as the team page shows them."""

    id: int
    name: str
    email: str
    role: TeamRole
    joined_at: datetime
    is_you: bool = False


class TeamPublic(msgspec.Struct, kw_only=True):
    """The company's teammates and the invitations still waiting for an answer."""

    members: list[TeamMemberPublic]
    invitations: list[TeamInvitationPublic]


class RoleChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A teammate's new role."""

    role: TeamRole


class TeamJoinPreview(msgspec.Struct, kw_only=True):
    """What the public join page shows."""

    company_name: str
    email: str
    name: str
    role: TeamRole
    invited_by: str


class TeamJoin(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The invited colleague's name and password."""

    name: Name
    password: Password
