"""Company accounts and sessions on the wire."""

from datetime import datetime
from typing import Annotated

import msgspec

from shared.fields import text
from shared.limits import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, raw_input
from shared.team import TeamRole

Email = Annotated[str, text(raw_input(EMAIL_MAX))]
Password = Annotated[str, text(raw_input(PASSWORD_MAX))]
ShortText = Annotated[str, text(raw_input(NAME_MAX))]


class SignupCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new company account and its first user."""

    company_name: ShortText
    name: ShortText
    email: Email
    password: Password


class LoginCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Credentials of a company user."""

    email: Email
    password: Password


class CompanyPublic(msgspec.Struct, kw_only=True):
    """A company as its own users see it."""

    id: int
    name: str


class CompanyRename(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new name for the company (Owners only)."""

    name: ShortText


class UserPublic(msgspec.Struct, kw_only=True):
    """A company user."""

    id: int
    name: str
    email: str
    role: TeamRole = TeamRole.MEMBER


class Me(msgspec.Struct, kw_only=True):
    """The signed-in user and their company."""

    user: UserPublic
    company: CompanyPublic


class SessionPublic(msgspec.Struct, kw_only=True):
    """An opaque session token, shown once, with who it belongs to."""

    token: str
    expires_at: datetime
    user: UserPublic
    company: CompanyPublic
