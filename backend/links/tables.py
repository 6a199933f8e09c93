"""Tables of invitation links and email confirmations."""

from piccolo.columns import JSON, Date, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.workers.tables import Worker

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class InvitationLink(Table):
    """A named, shareable sign-up link of a company.

    The URL's token is derived from `nonce` with the server's secret key, so the company can
    see its link again while the database alone holds no usable token; lookups use `token_hash`.
    """

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=120)
    nonce = Varchar(length=64)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz(null=True, default=None)
    max_signups = Integer(null=True, default=None)
    allowed_domains = JSON(default="[]")
    tags = JSON(default="[]")
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    rotated_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class EmailConfirmation(Table):
    """A single-use link proving a worker owns their email address."""

    id: Serial

    worker = ForeignKey(references=Worker, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LinkViewDay(Table):
    """How many times a link's public page was opened on one UTC day (no visitor is stored)."""

    id: Serial

    link = ForeignKey(references=InvitationLink, on_delete=OnDelete.cascade, index=True)
    day = Date()
    views = Integer(default=0)
