"""Job offers: hiring and re-hiring trusted contacts, on the wire.

An offer goes to one contact of the company. Offered with an invitation ("Invite and offer
job"), it waits (`pending`) until the person accepts the invitation, and is then `offered`
like any other. The worker accepts or declines it; the company can withdraw it until then.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from shared.fields import text
from shared.limits import DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX, raw_input

Title = Annotated[str, text(raw_input(TITLE_MAX))]
Description = Annotated[str, text(raw_input(DESCRIPTION_MAX))]
Location = Annotated[str, text(raw_input(LOCATION_MAX))]
Currency = Annotated[str, text(10)]


class RateUnit(str, enum.Enum):
    """What the rate pays for."""

    HOUR = "hour"
    DAY = "day"
    PROJECT = "project"

    @property
    def label(self) -> str:
        """As people read it after the amount: "85.00 EUR per hour", "4,000.00 EUR for the project"."""
        return "for the project" if self is RateUnit.PROJECT else f"per {self.value}"


class OfferStatus(str, enum.Enum):
    """Where a job offer stands."""

    PENDING = "pending"  # attached to an invitation the person has not accepted yet
    OFFERED = "offered"  # waiting for the worker's answer
    ACCEPTED = "accepted"  # the worker took the job: hired
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # taken back by the company before an answer

    @property
    def label(self) -> str:
        """The status as people read it."""
        return OFFER_STATUS_LABELS[self]


OFFER_STATUS_LABELS = {
    OfferStatus.PENDING: "Waiting for the invitation",
    OfferStatus.OFFERED: "Offered",
    OfferStatus.ACCEPTED: "Hired",
    OfferStatus.DECLINED: "Declined",
    OfferStatus.WITHDRAWN: "Withdrawn",
}


class JobOfferCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The job offer form (Hire, Re-hire, Invite and offer job).

    Rules the BFF applies: title required; end date (if any) after the start date; rate a
    positive amount with at most two decimals; currency an ISO 4217 code; a location unless
    the job is remote.
    """

    title: Title
    start_date: date
    rate: Decimal
    currency: Currency
    description: Description = ""
    end_date: date | None = None
    rate_unit: RateUnit = RateUnit.HOUR
    remote: bool = False
    location: Location = ""


class JobOfferPublic(msgspec.Struct, kw_only=True):
    """An offer as the company team sees it on the contact's profile."""

    id: int
    contact_id: int
    title: str
    description: str
    start_date: date
    end_date: date | None
    rate: Decimal
    rate_unit: RateUnit
    currency: str
    remote: bool
    location: str
    status: OfferStatus
    created_at: datetime
    created_by: str | None = None
    answered_at: datetime | None = None


class JobOfferList(msgspec.Struct, kw_only=True):
    """A contact's offers, newest first: the engagement history."""

    items: list[JobOfferPublic]


class WorkerOffer(msgspec.Struct, kw_only=True):
    """An offer as the worker sees it in the portal (never a pending or another worker's one)."""

    id: int
    company_name: str
    title: str
    description: str
    start_date: date
    end_date: date | None
    rate: Decimal
    rate_unit: RateUnit
    currency: str
    remote: bool
    location: str
    status: OfferStatus
    offered_at: datetime
    answered_at: datetime | None = None


class WorkerOfferList(msgspec.Struct, kw_only=True):
    """The worker's offers from every company: open ones first, then answered, newest first."""

    items: list[WorkerOffer]
