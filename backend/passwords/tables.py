"""The table of password-reset links."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import CompanyUser
from backend.workers.tables import Worker

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class PasswordReset(Table):
    """A single-use link to set a new password, for a company user or a worker; only the token's hash is stored."""

    id: Serial

    token_hash = Varchar(length=64, unique=True)
    company_user = ForeignKey(references=CompanyUser, on_delete=OnDelete.cascade, null=True, index=True)
    worker = ForeignKey(references=Worker, on_delete=OnDelete.cascade, null=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
