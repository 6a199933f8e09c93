"""Tables of companies, their users and sessions."""

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Company(Table):
    """A tenant: everything else belongs to exactly one company."""

    name = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class CompanyUser(Table):
    """A person who works in the company's web app."""

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    email = Varchar(length=320, unique=True)
    password_hash = Varchar(length=255)
    created_at = Timestamptz(default=TimestamptzNow())


class UserSession(Table):
    """A server-side session; only the token's SHA-256 is stored."""

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(references=CompanyUser, on_delete=OnDelete.cascade, index=True)
    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
