"""The activity log's table."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from shared.activity import ActivityKind

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class Activity(Table):
    """One change in a company: who (the user, and their name at the time), what, to what, and when."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    # Null once the teammate is gone; `actor_name` keeps what they did attributed to them.
    actor = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    actor_name = Varchar(length=200, default="")
    kind = Varchar(length=40, choices=ActivityKind)
    # What the change was made to: a contact's email, a link's label, a file's name.
    subject = Varchar(length=400, default="")
    detail = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
