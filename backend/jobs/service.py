"""Job offers: hire and re-hire active contacts, offers sent with invitations, and the worker's answer.

An offer's status changes only through one conditional UPDATE (… WHERE status = 'offered', or
IN ('pending', 'offered') for the company), so when a worker accepts while the company withdraws,
exactly one of them wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column

from backend.accounts.tables import Company
from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal, WorkerPrincipal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Contact
from backend.db import write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, NotFound, RuleViolation
from backend.jobs.offers import (
    OPEN_STATUSES,
    clean_offer,
    insert_offer,
    job_fields,
    offer_closed,
    offer_not_found,
    offer_summary,
)
from backend.jobs.tables import JobOffer
from backend.rows import present
from backend.workers.tables import Worker
from shared.activity import ActivityKind
from shared.contacts import ContactStatus, EventKind
from shared.jobs import (
    JobOfferCreate,
    JobOfferList,
    JobOfferPublic,
    OfferStatus,
    WorkerOffer,
    WorkerOfferList,
)

# Where the job offer email sends the worker: the portal lists their offers (after logging in).
WORKER_PORTAL_PATH = "/worker"


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


def _public(row: dict) -> JobOfferPublic:
    return JobOfferPublic(
        id=row["id"],
        contact_id=row["contact"],
        **job_fields(row),
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
        raise offer_not_found()
    return _public(row)


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
        offer_id = await insert_offer(principal, contact_id, fields, OfferStatus.OFFERED, now)
        await record_event(principal.company_id, contact_id, EventKind.OFFER_SENT, principal.user_name, fields.title)
        await record_activity(
            principal, ActivityKind.OFFER_SENT, contact_subject(contact["name"], contact["email"]), fields.title
        )
        await Contact.update({Contact.last_activity_at: now}).where(Contact.id == contact_id)
        company = present(
            await Company.select(Company.name).where(Company.id == principal.company_id).first(), "the caller's company"
        )
        # The offer goes to the worker account: greet them by the name on it, not the one the company typed.
        worker = present(await Worker.select(Worker.name).where(Worker.id == contact["worker"]).first(), "the worker")
        email = render_email(
            "job_offer",
            company_name=company["name"],
            job_title=fields.title,
            recipient_name=worker["name"],
            message=offer_summary(fields),
            link=WORKER_PORTAL_PATH,
        )
        await enqueue_email(
            email,
            to_email=contact["email"],
            to_name=worker["name"],
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
                (JobOffer.id == offer_id)
                & (JobOffer.company == principal.company_id)
                & JobOffer.status.is_in(OPEN_STATUSES)
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
                raise offer_not_found()
            raise offer_closed(current["status"], worker=False)
        contact_id = changed[0]["contact"]
        await record_event(
            principal.company_id, contact_id, EventKind.OFFER_WITHDRAWN, principal.user_name, changed[0]["title"]
        )
        contact = await _company_contact(principal, contact_id)
        subject = contact_subject(contact["name"], contact["email"])
        await record_activity(principal, ActivityKind.OFFER_WITHDRAWN, subject, changed[0]["title"])
        await Contact.update({Contact.last_activity_at: now}).where(Contact.id == contact_id)
    return await _offer_public(principal.company_id, offer_id)


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
        **job_fields(row),
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
            raise offer_not_found()
        # The one statement that decides: a concurrent withdrawal (or answer) makes it change nothing.
        changed = (
            await JobOffer.update({JobOffer.status: new_status.value, JobOffer.answered_at: now})
            .where((JobOffer.id == offer_id) & (JobOffer.status == OfferStatus.OFFERED.value))
            .returning(JobOffer.id)
        )
        if not changed:
            current = present(
                await JobOffer.select(JobOffer.status).where(JobOffer.id == offer_id).first(), "the offer"
            )
            raise offer_closed(current["status"], worker=True)
        contact_changes: dict[Column | str, Any] = {Contact.last_activity_at: now}
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
    row = present(await JobOffer.select(*_WORKER_COLUMNS).where(JobOffer.id == offer_id).first(), "the answered offer")
    return _worker_offer(row)
