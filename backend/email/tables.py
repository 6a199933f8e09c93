"""The email outbox: rendered emails waiting to be delivered, written in the transaction that causes them."""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company


class OutboxStatus(str, Enum):
    """Where an outbox email is in its delivery."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class OutboxTemplate(Table):
    """An email rendered once for many recipients, with slots for each one's name and link.

    Bulk sends (a CSV import) store the body once here; each outbox row then names the template
    and holds only its recipient's link, and the sender personalises it at delivery.
    """

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, null=True, index=True)
    kind = Varchar(length=50)
    subject = Varchar(length=300)
    text_body = Text()
    html_body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class OutboxEmail(Table):
    """One email to deliver.

    While `sending`, `next_attempt_at` holds the end of the claim's lease, so one
    index on (status, next_attempt_at) finds both due emails and expired claims.
    """

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, null=True, index=True)
    kind = Varchar(length=50)
    to_email = Varchar(length=320)
    to_name = Varchar(length=200, default="")
    subject = Varchar(length=300)
    text_body = Text()
    html_body = Text()
    message_id = Varchar(length=200)
    # Set for bulk sends: the body is the template's, personalised with to_name and link.
    template = ForeignKey(references=OutboxTemplate, on_delete=OnDelete.cascade, null=True, default=None)
    link = Varchar(length=2000, null=True, default=None)
    # The contact the email was written to, if any: a permanent failure shows on that contact.
    contact = Integer(null=True, default=None)
    status = Varchar(length=20, default=OutboxStatus.PENDING.value, choices=OutboxStatus)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    claim_token = Varchar(length=64, null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
