"""Tables of companies, their users and sessions."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from shared.team import TeamRole

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class Company(Table):
    """A tenant: everything else belongs to exactly one company."""

    id: Serial

    name = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class CompanyUser(Table):
    """A person who works in the company's web app."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    email = Varchar(length=320, unique=True)
    password_hash = Varchar(length=255)
    created_at = Timestamptz(default=TimestamptzNow())
    # Every insert names the role; the default is the one users had before roles existed.
    role = Varchar(length=16, default=TeamRole.OWNER.value, choices=TeamRole)
    # A removed teammate keeps the row (what they did stays theirs) but may no longer log in.
    removed_at = Timestamptz(null=True, default=None)


class UserSession(Table):
    """A server-side session; only the token's SHA-256 is stored."""

    id: Serial

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(references=CompanyUser, on_delete=OnDelete.cascade, index=True)
    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
