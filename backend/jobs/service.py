"""Job offers: hire and re-hire active contacts, offers sent with invitations, and the worker's answer.

An offer's status changes only through one conditional UPDATE (… WHERE status = 'offered', or
IN ('pending', 'offered') for the company), so when a worker accepts while the company withdraws,
exactly one of them wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import msgspec

from backend.accounts.tables import Company
from backend.auth import Principal, WorkerPrincipal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Contact
from backend.db import write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, NotFound, RuleViolation
from backend.jobs.tables import JobOffer
from backend.validation import has_control_characters
from shared.contacts import ContactStatus, EventKind
from shared.jobs import (
    JobOfferCreate,
    JobOfferList,
    JobOfferPublic,
    OfferStatus,
    RateUnit,
    WorkerOffer,
    WorkerOfferList,
)
from shared.limits import DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX

RATE_MAX = Decimal(1_000_000)
CENT = Decimal("0.01")
# Where the job offer email sends the worker: the portal lists their offers (after logging in).
WORKER_PORTAL_PATH = "/worker"

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
_OPEN = [OfferStatus.PENDING.value, OfferStatus.OFFERED.value]


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


def _rate(cents: int) -> Decimal:
    """Cents back to the amount, with its two decimals: 8500 → Decimal("85.00")."""
    return Decimal(cents).scaleb(-2)


def _date(value) -> date:
    """Dates come back as dates from Piccolo's SQLite converters, but be lenient with text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _closed(status: str, worker: bool) -> Conflict:
    """The 409 for an offer that is no longer open: withdrawn by the company, or already answered."""
    if status == OfferStatus.WITHDRAWN.value:
        detail = "The company has withdrawn this offer." if worker else "This offer has already been withdrawn."
        return Conflict(detail=detail, code="offer_withdrawn")
    return Conflict(detail="This offer has already been answered.", code="offer_answered")


def _offer_not_found() -> NotFound:
    return NotFound(detail="No such job offer.", code="offer_not_found")


async def _company_contact(principal: Principal, contact_id: int) -> dict:
    """The contact if it belongs to the caller's company, else NotFound."""
    contact = (
        await Contact.select(Contact.id, Contact.name, Contact.email, Contact.status, Contact.worker)
        .where((Contact.id == contact_id) & (Contact.company == principal.company_id))
        .first()
    )
    if contact is None:
        raise NotFound(detail="No such contact in your Talent Pool.", code="contact_not_found")
    return contact


_PUBLIC_COLUMNS = (
    JobOffer.id,
    JobOffer.contact,
    JobOffer.title,
    JobOffer.description,
    JobOffer.start_date,
    JobOffer.end_date,
    JobOffer.rate_cents,
    JobOffer.rate_unit,
    JobOffer.currency,
    JobOffer.remote,
    JobOffer.location,
    JobOffer.status,
    JobOffer.created_at,
    JobOffer.answered_at,
    JobOffer.created_by.name.as_alias("created_by_name"),
)


def _job_fields(row: dict) -> dict:
    """The job itself and where it stands, as both the company's and the worker's views show it."""
    return {
        "title": row["title"],
        "description": row["description"],
        "start_date": _date(row["start_date"]),
        "end_date": _date(row["end_date"]) if row["end_date"] is not None else None,
        "rate": _rate(row["rate_cents"]),
        "rate_unit": RateUnit(row["rate_unit"]),
        "currency": row["currency"],
        "remote": bool(row["remote"]),
        "location": row["location"],
        "status": OfferStatus(row["status"]),
    }


def _public(row: dict) -> JobOfferPublic:
    return JobOfferPublic(
        id=row["id"],
        contact_id=row["contact"],
        **_job_fields(row),
        created_at=row["created_at"],
        created_by=row["created_by_name"],
        answered_at=row["answered_at"],
    )


async def _offer_public(company_id: int, offer_id: int) -> JobOfferPublic:
    row = (
        await JobOffer.select(*_PUBLIC_COLUMNS)
        .where((JobOffer.id == offer_id) & (JobOffer.company == company_id))
        .first()
    )
    if row is None:
        raise _offer_not_found()
    return _public(row)


async def _insert_offer(
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
    return f"{_rate(cents):,.2f}"


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


async def create_offer(principal: Principal, contact_id: int, data: JobOfferCreate) -> JobOfferPublic:
    """Hire or re-hire: offer a job to an active contact, note it in the history and email the person."""
    errors = FieldErrors()
    fields = clean_offer(data, errors)
    errors.raise_if_any()
    now = utcnow()
    async with write_transaction():
        contact = await _company_contact(principal, contact_id)
        if contact["status"] != ContactStatus.ACTIVE.value or contact["worker"] is None:  # accepted or approved
            raise Conflict(
                detail="Only contacts who accepted or were approved can be hired.", code="contact_not_active"
            )
        offer_id = await _insert_offer(principal, contact_id, fields, OfferStatus.OFFERED, now)
        await record_event(principal.company_id, contact_id, EventKind.OFFER_SENT, principal.user_name, fields.title)
        await Contact.update({Contact.last_activity_at: now}).where(Contact.id == contact_id)
        company = await Company.select(Company.name).where(Company.id == principal.company_id).first()
        email = render_email(
            "job_offer",
            company_name=company["name"],
            job_title=fields.title,
            recipient_name=contact["name"],
            message=offer_summary(fields),
            link=WORKER_PORTAL_PATH,
        )
        await enqueue_email(
            email,
            to_email=contact["email"],
            to_name=contact["name"],
            company_id=principal.company_id,
            contact_id=contact_id,
        )
    return await _offer_public(principal.company_id, offer_id)


async def offers_for_contact(principal: Principal, contact_id: int) -> JobOfferList:
    """A contact's offers, newest first."""
    await _company_contact(principal, contact_id)
    rows = (
        await JobOffer.select(*_PUBLIC_COLUMNS)
        .where((JobOffer.contact == contact_id) & (JobOffer.company == principal.company_id))
        .order_by(JobOffer.created_at, ascending=False)
        .order_by(JobOffer.id, ascending=False)
    )
    return JobOfferList(items=[_public(row) for row in rows])


async def prefill(principal: Principal, contact_id: int) -> JobOfferCreate:
    """Re-hire: the form filled from the contact's last accepted job, else from their last offer."""
    await _company_contact(principal, contact_id)
    mine = (JobOffer.contact == contact_id) & (JobOffer.company == principal.company_id)
    row = (
        await JobOffer.select(*_PUBLIC_COLUMNS)
        .where(mine & (JobOffer.status == OfferStatus.ACCEPTED.value))
        .order_by(JobOffer.answered_at, ascending=False)
        .order_by(JobOffer.id, ascending=False)
        .first()
    )
    if row is None:
        row = await JobOffer.select(*_PUBLIC_COLUMNS).where(mine).order_by(JobOffer.id, ascending=False).first()
    if row is None:
        # The contact exists; there is just nothing to start from (a rule, not a missing resource).
        raise RuleViolation(detail="This contact has no previous job to start from.", code="no_previous_job")
    offer = _public(row)
    return JobOfferCreate(
        title=offer.title,
        description=offer.description,
        start_date=offer.start_date,
        end_date=offer.end_date,
        rate=offer.rate,
        rate_unit=offer.rate_unit,
        currency=offer.currency,
        remote=offer.remote,
        location=offer.location,
    )


async def withdraw(principal: Principal, offer_id: int) -> JobOfferPublic:
    """Take back an offer the worker has not answered yet (also one waiting for its invitation)."""
    now = utcnow()
    async with write_transaction():
        changed = (
            await JobOffer.update({JobOffer.status: OfferStatus.WITHDRAWN.value, JobOffer.withdrawn_at: now})
            .where(
                (JobOffer.id == offer_id) & (JobOffer.company == principal.company_id) & JobOffer.status.is_in(_OPEN)
            )
            .returning(JobOffer.contact, JobOffer.title)
        )
        if not changed:
            current = (
                await JobOffer.select(JobOffer.status)
                .where((JobOffer.id == offer_id) & (JobOffer.company == principal.company_id))
                .first()
            )
            if current is None:
                raise _offer_not_found()
            raise _closed(current["status"], worker=False)
        contact_id = changed[0]["contact"]
        await record_event(
            principal.company_id, contact_id, EventKind.OFFER_WITHDRAWN, principal.user_name, changed[0]["title"]
        )
        await Contact.update({Contact.last_activity_at: now}).where(Contact.id == contact_id)
    return await _offer_public(principal.company_id, offer_id)


# Offers that come with an invitation ("Invite and offer job").


async def attach_offer(principal: Principal, contact_id: int, fields: OfferFields) -> int:
    """Write an offer that waits for the contact's invitation to be accepted (inside the caller's transaction)."""
    offer_id = await _insert_offer(principal, contact_id, fields, OfferStatus.PENDING, utcnow())
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


# The worker's side.


_WORKER_COLUMNS = (
    JobOffer.id,
    JobOffer.title,
    JobOffer.description,
    JobOffer.start_date,
    JobOffer.end_date,
    JobOffer.rate_cents,
    JobOffer.rate_unit,
    JobOffer.currency,
    JobOffer.remote,
    JobOffer.location,
    JobOffer.status,
    JobOffer.created_at,
    JobOffer.offered_at,
    JobOffer.answered_at,
    JobOffer.company.name.as_alias("company_name"),
)


def _worker_offer(row: dict) -> WorkerOffer:
    return WorkerOffer(
        id=row["id"],
        company_name=row["company_name"],
        **_job_fields(row),
        offered_at=row["offered_at"] or row["created_at"],
        answered_at=row["answered_at"],
    )


async def worker_offers(worker: WorkerPrincipal) -> WorkerOfferList:
    """Every offer to the worker, from every company: open ones first, then the rest, newest first.

    Offers still waiting for their invitation are not the worker's to see yet, and one withdrawn
    while it waited never reached them. An account that has not confirmed its email sees none.
    """
    if not worker.email_confirmed:
        return WorkerOfferList(items=[])
    contacts = await Contact.select(Contact.id).where(Contact.worker == worker.worker_id)
    if not contacts:
        return WorkerOfferList(items=[])
    rows = await JobOffer.select(*_WORKER_COLUMNS).where(
        JobOffer.contact.is_in([row["id"] for row in contacts]) & JobOffer.offered_at.is_not_null()
    )
    offers = [_worker_offer(row) for row in rows]
    offers.sort(key=lambda offer: (offer.offered_at, offer.id), reverse=True)
    offers.sort(key=lambda offer: offer.status is not OfferStatus.OFFERED)
    return WorkerOfferList(items=offers)


async def answer_offer(worker: WorkerPrincipal, offer_id: int, accept: bool) -> WorkerOffer:
    """Accept (hired) or decline an offer made to the worker; 404 for anyone else's."""
    worker.require_confirmed_email()
    now = utcnow()
    new_status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    async with write_transaction():
        offer = (
            await JobOffer.select(JobOffer.company, JobOffer.contact, JobOffer.offered_at, JobOffer.title)
            .where((JobOffer.id == offer_id) & (JobOffer.contact.worker == worker.worker_id))
            .first()
        )
        if offer is None or offer["offered_at"] is None:
            # Not theirs, or not sent to them yet (waiting for its invitation): the worker cannot tell which.
            raise _offer_not_found()
        # The one statement that decides: a concurrent withdrawal (or answer) makes it change nothing.
        changed = (
            await JobOffer.update({JobOffer.status: new_status.value, JobOffer.answered_at: now})
            .where((JobOffer.id == offer_id) & (JobOffer.status == OfferStatus.OFFERED.value))
            .returning(JobOffer.id)
        )
        if not changed:
            current = await JobOffer.select(JobOffer.status).where(JobOffer.id == offer_id).first()
            raise _closed(current["status"], worker=True)
        contact_changes = {Contact.last_activity_at: now}
        if accept:
            contact_changes |= {Contact.last_engagement: offer["title"], Contact.last_engaged_at: now}
        await Contact.update(contact_changes).where(Contact.id == offer["contact"])
        await record_event(
            offer["company"],
            offer["contact"],
            EventKind.OFFER_ACCEPTED if accept else EventKind.OFFER_DECLINED,
            worker.name,
            offer["title"],
        )
    row = await JobOffer.select(*_WORKER_COLUMNS).where(JobOffer.id == offer_id).first()
    return _worker_offer(row)
