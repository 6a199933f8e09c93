"""What a job offer is: its fields and their rules, how it reads, how it is written, and the offers
that wait for an invitation ("Invite and offer job") until the person answers it."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import msgspec

from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.errors import Conflict, FieldErrors, NotFound
from backend.jobs.tables import JobOffer
from backend.validation import has_control_characters
from shared.contacts import EventKind
from shared.jobs import JobOfferCreate, OfferStatus, RateUnit
from shared.limits import DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX

RATE_MAX = Decimal(1_000_000)
CENT = Decimal("0.01")

# ISO 4217 codes of currencies in circulation (no funds, precious metals or test codes).
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
    GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
    KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN
    NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
    SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
    VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)

_SPACES = re.compile(r"\s+")
OPEN_STATUSES = [OfferStatus.PENDING.value, OfferStatus.OFFERED.value]


class OfferFields(msgspec.Struct, kw_only=True):
    """A job offer's fields after the rules have cleaned them."""

    title: str
    description: str
    start_date: date
    end_date: date | None
    rate_cents: int
    rate_unit: RateUnit
    currency: str
    remote: bool
    location: str


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def _clean_rate(rate: Decimal, errors: FieldErrors, field: str) -> int:
    """The rate in cents: a positive amount of at most two decimals, up to 1,000,000."""
    if rate.is_nan() or rate <= 0:
        errors.add(field, "The rate must be an amount above zero.", "rate_not_positive")
    elif rate > RATE_MAX:
        errors.add(field, f"The rate must be at most {RATE_MAX:,}.", "rate_too_large")
    elif rate != rate.quantize(CENT):
        errors.add(field, "The rate can have at most two decimals.", "rate_precision")
    else:
        return int(rate.quantize(CENT).scaleb(2))
    return 0


def clean_offer(data: JobOfferCreate, errors: FieldErrors, prefix: str = "") -> OfferFields:
    """Apply the job offer rules, collecting every error under `prefix` + the field's name."""
    title = _one_line(data.title)
    if not title:
        errors.add(f"{prefix}title", "Job title is required.", "required")
    elif len(title) > TITLE_MAX:
        errors.add(f"{prefix}title", f"Job title must be at most {TITLE_MAX} characters.", "too_long")
    elif has_control_characters(data.title):
        errors.add(f"{prefix}title", "Job title contains characters that are not allowed.", "invalid_characters")

    description = data.description.strip()
    if len(description) > DESCRIPTION_MAX:
        errors.add(
            f"{prefix}description", f"The description must be at most {DESCRIPTION_MAX:,} characters.", "too_long"
        )
    elif has_control_characters(description):
        errors.add(
            f"{prefix}description", "The description contains characters that are not allowed.", "invalid_characters"
        )

    if data.end_date is not None and data.end_date <= data.start_date:
        errors.add(f"{prefix}end_date", "The end date must be after the start date.", "end_before_start")

    rate_cents = _clean_rate(data.rate, errors, f"{prefix}rate")

    currency = data.currency.strip().upper()
    if not currency:
        errors.add(f"{prefix}currency", "Currency is required.", "required")
    elif currency not in CURRENCIES:
        errors.add(
            f"{prefix}currency", "Choose a currency by its ISO 4217 code, such as EUR or USD.", "unknown_currency"
        )

    location = "" if data.remote else _one_line(data.location)
    if not data.remote:
        if not location:
            errors.add(f"{prefix}location", "Enter where the job is, or mark it as remote.", "location_required")
        elif len(location) > LOCATION_MAX:
            errors.add(f"{prefix}location", f"Location must be at most {LOCATION_MAX} characters.", "too_long")
        elif has_control_characters(data.location):
            errors.add(f"{prefix}location", "Location contains characters that are not allowed.", "invalid_characters")

    return OfferFields(
        title=title,
        description=description,
        start_date=data.start_date,
        end_date=data.end_date,
        rate_cents=rate_cents,
        rate_unit=RateUnit(data.rate_unit),
        currency=currency,
        remote=data.remote,
        location=location,
    )


def rate_amount(cents: int) -> Decimal:
    """Cents back to the amount, with its two decimals: 8500 → Decimal("85.00")."""
    return Decimal(cents).scaleb(-2)


def as_date(value) -> date:
    """Dates come back as dates from Piccolo's SQLite converters, but be lenient with text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def offer_closed(status: str, worker: bool) -> Conflict:
    """The 409 for an offer that is no longer open: withdrawn by the company, or already answered."""
    if status == OfferStatus.WITHDRAWN.value:
        detail = "The company has withdrawn this offer." if worker else "This offer has already been withdrawn."
        return Conflict(detail=detail, code="offer_withdrawn")
    return Conflict(detail="This offer has already been answered.", code="offer_answered")


def offer_not_found() -> NotFound:
    """The 404 for an offer that does not exist or is not the caller's to see."""
    return NotFound(detail="No such job offer.", code="offer_not_found")


def job_fields(row: dict) -> dict:
    """The job itself and where it stands, as both the company's and the worker's views show it."""
    return {
        "title": row["title"],
        "description": row["description"],
        "start_date": as_date(row["start_date"]),
        "end_date": as_date(row["end_date"]) if row["end_date"] is not None else None,
        "rate": rate_amount(row["rate_cents"]),
        "rate_unit": RateUnit(row["rate_unit"]),
        "currency": row["currency"],
        "remote": bool(row["remote"]),
        "location": row["location"],
        "status": OfferStatus(row["status"]),
    }


async def insert_offer(
    principal: Principal, contact_id: int, fields: OfferFields, status: OfferStatus, now: datetime
) -> int:
    """Write one offer inside the caller's transaction; returns its id."""
    offer = JobOffer(
        company=principal.company_id,
        contact=contact_id,
        title=fields.title,
        description=fields.description,
        start_date=fields.start_date,
        end_date=fields.end_date,
        rate_cents=fields.rate_cents,
        rate_unit=fields.rate_unit.value,
        currency=fields.currency,
        remote=fields.remote,
        location=fields.location,
        status=status.value,
        created_by=principal.user_id,
        created_at=now,
        offered_at=now if status is OfferStatus.OFFERED else None,
    )
    await offer.save()
    return offer.id


def _format_amount(cents: int) -> str:
    return f"{rate_amount(cents):,.2f}"


def offer_summary(fields: OfferFields) -> str:
    """The offer's terms in a few plain lines, as the job offer email shows them."""
    starts = fields.start_date.strftime("%d %B %Y").lstrip("0")
    when = f"Starts {starts}"
    if fields.end_date:
        when += f", ends {fields.end_date.strftime('%d %B %Y').lstrip('0')}"
    lines = [
        when,
        f"Rate: {_format_amount(fields.rate_cents)} {fields.currency} {fields.rate_unit.label}",
        "Remote" if fields.remote else f"Location: {fields.location}",
    ]
    if fields.description:
        lines += ["", fields.description]
    return "\n".join(lines)


# Offers that come with an invitation ("Invite and offer job").


async def attach_offer(principal: Principal, contact_id: int, fields: OfferFields) -> int:
    """Write an offer that waits for the contact's invitation to be accepted (inside the caller's transaction)."""
    offer_id = await insert_offer(principal, contact_id, fields, OfferStatus.PENDING, utcnow())
    await record_event(principal.company_id, contact_id, EventKind.OFFER_ATTACHED, principal.user_name, fields.title)
    return offer_id


async def pending_offer_titles(contact_ids: list[int]) -> dict[int, str]:
    """The title of each contact's newest offer waiting for its invitation."""
    if not contact_ids:
        return {}
    rows = (
        await JobOffer.select(JobOffer.contact, JobOffer.title)
        .where(JobOffer.contact.is_in(contact_ids) & (JobOffer.status == OfferStatus.PENDING.value))
        .order_by(JobOffer.id)
    )
    return {row["contact"]: row["title"] for row in rows}


async def release_pending_offers(company_id: int, contact_id: int) -> int:
    """The invitation was accepted: the offers waiting for it go to the worker (inside the caller's transaction)."""
    now = utcnow()
    released = (
        await JobOffer.update({JobOffer.status: OfferStatus.OFFERED.value, JobOffer.offered_at: now})
        .where(
            (JobOffer.contact == contact_id)
            & (JobOffer.company == company_id)
            & (JobOffer.status == OfferStatus.PENDING.value)
        )
        .returning(JobOffer.id, JobOffer.title)
    )
    if released:
        senders = await JobOffer.select(JobOffer.id, JobOffer.created_by.name.as_alias("sender")).where(
            JobOffer.id.is_in([row["id"] for row in released])
        )
        sender = {row["id"]: row["sender"] or "" for row in senders}
        for row in sorted(released, key=lambda r: r["id"]):
            await record_event(company_id, contact_id, EventKind.OFFER_SENT, sender[row["id"]], row["title"])
    return len(released)


async def withdraw_pending_offers(company_id: int, contact_id: int, actor: str = "") -> int:
    """The invitation ended without being accepted: withdraw the offers waiting for it (inside the caller's transaction)."""
    withdrawn = (
        await JobOffer.update({JobOffer.status: OfferStatus.WITHDRAWN.value, JobOffer.withdrawn_at: utcnow()})
        .where(
            (JobOffer.contact == contact_id)
            & (JobOffer.company == company_id)
            & (JobOffer.status == OfferStatus.PENDING.value)
        )
        .returning(JobOffer.id, JobOffer.title)
    )
    for row in sorted(withdrawn, key=lambda r: r["id"]):
        await record_event(company_id, contact_id, EventKind.OFFER_WITHDRAWN, actor, row["title"])
    return len(withdrawn)
