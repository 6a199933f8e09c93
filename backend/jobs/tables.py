"""Tables of job offers."""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.contacts.tables import Contact
from shared.jobs import OfferStatus, RateUnit

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class JobOffer(Table):
    """A job offered to one contact of a company: pending, offered, then accepted, declined or withdrawn."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    start_date = Date()
    end_date = Date(null=True, default=None)
    # The rate in hundredths of the currency's unit: exact on every database (no floats).
    rate_cents = BigInt()
    rate_unit = Varchar(length=16, choices=RateUnit)
    currency = Varchar(length=3)
    remote = Boolean(default=False)
    location = Varchar(length=200, default="")
    status = Varchar(length=16, choices=OfferStatus)
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # When the worker could first see it: at once, or when the invitation it came with was accepted.
    offered_at = Timestamptz(null=True, default=None)
    answered_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
