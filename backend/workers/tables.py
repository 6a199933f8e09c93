"""Tables of worker accounts and their sessions."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class Worker(Table):
    """A freelancer's platform account; one per email."""

    id: Serial

    name = Varchar(length=200)
    email = Varchar(length=320, unique=True)
    password_hash = Varchar(length=255)
    # When the person proved they own the email (an invitation link or a confirmation email).
    email_confirmed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class WorkerSession(Table):
    """A worker's server-side session; only the token's SHA-256 is stored."""

    id: Serial

    token_hash = Varchar(length=64, unique=True)
    worker = ForeignKey(references=Worker, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
