"""Flow 2, the person's side: the public link page, signing up or applying through a link, and
confirming the email the application was made with."""

from __future__ import annotations

import json
from datetime import timedelta

from backend.accounts.tables import Company
from backend.auth import WorkerPrincipal
from backend.bulk import insert_records
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.service import search_text, tag_ids_for
from backend.contacts.tables import Contact, ContactTag
from backend.db import is_sqlite, lock_for_transaction, write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, NotFound, RateLimited, RuleViolation
from backend.links.funnel import count_link_view
from backend.links.tables import EmailConfirmation, InvitationLink
from backend.rows import present
from backend.security import hash_password_off_loop, hash_token, new_token, plausible_token
from backend.validation import check_password, clean_email, clean_name
from backend.workers.service import WORKER_EMAIL_LOCK, open_worker_session
from backend.workers.tables import Worker
from shared.contacts import ContactSource, ContactStatus, EventKind
from shared.links import ApplicationResult, EmailConfirmed, LinkPreview, LinkSignup
from shared.problems import FieldError

CONFIRMATION_TTL = timedelta(days=7)
# A worker may ask for the confirmation email again once a minute, and five times a day.
CONFIRMATION_RESEND_INTERVAL = timedelta(minutes=1)
CONFIRMATION_RESENDS_PER_DAY = 5
_NEUTRAL = "This invitation link is not available. Ask the company that shared it for a new one."

# What a person already in the pool is told when they use a link again.
_ALREADY = {
    ContactStatus.INVITED: (
        "already_invited",
        "This company has already invited you by email. Use the link in that email, or log in to answer it.",
    ),
    ContactStatus.APPLIED: ("already_applied", "You have already applied. The company will review your application."),
    ContactStatus.ACTIVE: ("already_connected", "You are already in this company's Talent Pool."),
}


class LinkUnavailable(NotFound):
    """Unknown, revoked, rotated, expired or full: one neutral answer, so links cannot be probed."""

    code = "link_unavailable"
    title = "This link is not available"


def _json(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def _usable_link(token: str, *, lock: bool = False) -> dict:
    """The link behind a token if it can take a sign-up now; otherwise the neutral LinkUnavailable."""
    if not plausible_token(token):
        raise LinkUnavailable(detail=_NEUTRAL)
    if lock and not is_sqlite():
        rows = await InvitationLink.raw(
            "SELECT * FROM invitation_link WHERE token_hash = {} FOR UPDATE", hash_token(token)
        )
        row = rows[0] if rows else None
    else:
        row = await InvitationLink.select().where(InvitationLink.token_hash == hash_token(token)).first()
    if row is None or row["revoked_at"] or (row["expires_at"] and row["expires_at"] <= utcnow()):
        raise LinkUnavailable(detail=_NEUTRAL)
    if row["max_signups"] is not None:
        used = await Contact.count().where(Contact.invitation_link == row["id"])
        if used >= row["max_signups"]:
            raise LinkUnavailable(detail=_NEUTRAL)
    return row


async def preview_link(token: str) -> LinkPreview:
    """What the public link page shows."""
    row = await _usable_link(token)
    await count_link_view(row["id"])
    company = present(
        await Company.select(Company.name).where(Company.id == row["company"]).first(), "the link's company"
    )
    return LinkPreview(company_name=company["name"], label=row["label"], allowed_domains=_json(row["allowed_domains"]))


def _check_domain(link: dict, email: str) -> None:
    domains = _json(link["allowed_domains"])
    if domains and email.rpartition("@")[2] not in domains:
        raise RuleViolation(
            code="domain_not_allowed",
            errors=[
                FieldError(
                    field="email",
                    code="domain_not_allowed",
                    message=f"This link accepts emails at {', '.join(domains)} only.",
                )
            ],
        )


async def _apply(link: dict, worker: dict, confirmed: bool) -> None:
    """Add the worker to the link's company as an applicant (inside the caller's transaction)."""
    company_id = link["company"]
    existing = (
        await Contact.select(Contact.status)
        .where((Contact.company == company_id) & (Contact.email == worker["email"]))
        .first()
    )
    if existing:
        status = ContactStatus(existing["status"])
        code, detail = _ALREADY.get(status, ("already_in_pool", "This company already has you in its Talent Pool."))
        raise Conflict(detail=detail, code=code)
    tags = _json(link["tags"])
    now = utcnow()
    contact = Contact(
        company=company_id,
        name=worker["name"],
        email=worker["email"],
        status=ContactStatus.APPLIED.value,
        source=ContactSource.LINK.value,
        search_text=search_text(worker["name"], worker["email"], tags),
        worker=worker["id"],
        invitation_link=link["id"],
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    await contact.save()
    tag_ids = await tag_ids_for(company_id, tags)
    await insert_records(
        ContactTag, (ContactTag.contact, ContactTag.tag), [(contact.id, tag_ids[t]) for t in tags], copy=False
    )
    await record_event(company_id, contact.id, EventKind.APPLIED_VIA_LINK, worker["name"], link["label"])
    if confirmed:
        await record_event(company_id, contact.id, EventKind.EMAIL_CONFIRMED, worker["name"])


async def _queue_confirmation(worker_id: int, email: str, name: str, company_name: str) -> None:
    token, token_hash = new_token()
    await EmailConfirmation(worker=worker_id, token_hash=token_hash, expires_at=utcnow() + CONFIRMATION_TTL).save()
    rendered = render_email(
        "link_confirmation", company_name=company_name, recipient_name=name, link=f"/confirm-email/{token}"
    )
    await enqueue_email(rendered, to_email=email, to_name=name)


async def resend_confirmation(principal: WorkerPrincipal) -> None:
    """Send the confirmation email again to an unconfirmed account; throttled per account."""
    if principal.email_confirmed:
        raise RuleViolation(detail="Your email address is already confirmed.", code="already_confirmed")
    now = utcnow()
    async with write_transaction():
        await lock_for_transaction(f"confirmation:{principal.worker_id}")
        recent = (
            await EmailConfirmation.select(EmailConfirmation.created_at)
            .where(
                (EmailConfirmation.worker == principal.worker_id)
                & (EmailConfirmation.created_at > now - timedelta(days=1))
            )
            .order_by(EmailConfirmation.created_at, ascending=False)
        )
        if recent and recent[0]["created_at"] > now - CONFIRMATION_RESEND_INTERVAL:
            wait = max(1, int((recent[0]["created_at"] + CONFIRMATION_RESEND_INTERVAL - now).total_seconds()) + 1)
            raise RateLimited(
                detail=f"We sent it less than a minute ago. Try again in {wait} seconds.",
                code="confirmation_recently_sent",
                retry_after=wait,
            )
        if len(recent) >= CONFIRMATION_RESENDS_PER_DAY:
            raise RateLimited(
                detail="We have sent the confirmation email several times today. Try again tomorrow.",
                code="confirmation_daily_limit",
                retry_after=86400,
            )
        worker = present(
            await Worker.select(Worker.name, Worker.email).where(Worker.id == principal.worker_id).first(),
            "the signed-in worker",
        )
        latest = (
            await Contact.select(Contact.company.name.as_alias("company_name"))
            .where(Contact.worker == principal.worker_id)
            .order_by(Contact.id, ascending=False)
            .first()
        )
        company_name = latest["company_name"] if latest else "Talent Pool"
        await _queue_confirmation(principal.worker_id, worker["email"], worker["name"], company_name)


async def sign_up_via_link(token: str, data: LinkSignup) -> ApplicationResult:
    """A new worker account that applies to the link's company; a confirmation email proves the address."""
    errors = FieldErrors()
    name = clean_name(data.name, errors)
    email = clean_email(data.email, errors)
    check_password(data.password, errors)
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(data.password)
    async with write_transaction():
        link = await _usable_link(token, lock=True)
        _check_domain(link, email)
        # Takes turns with a personal invitation accepted for the same email at the same moment.
        await lock_for_transaction(WORKER_EMAIL_LOCK.format(email=email))
        if await Worker.exists().where(Worker.email == email):
            raise Conflict(
                detail="You already have a worker account. Log in to apply with it.",
                code="account_exists",
                errors=[
                    FieldError(
                        field="email", message="You already have an account: log in to apply.", code="account_exists"
                    )
                ],
            )
        worker = Worker(name=name, email=email, password_hash=password_hash)
        await worker.save()
        await _apply(link, {"id": worker.id, "name": name, "email": email}, confirmed=False)
        company = present(
            await Company.select(Company.name).where(Company.id == link["company"]).first(), "the link's company"
        )
        await _queue_confirmation(worker.id, email, name, company["name"])
        session = await open_worker_session(worker.id, name, email, email_confirmed=False)
    return ApplicationResult(
        company_name=company["name"], email_confirmed=False, token=session.token, expires_at=session.expires_at
    )


async def apply_via_link(token: str, principal: WorkerPrincipal) -> ApplicationResult:
    """A signed-in worker applies to the link's company."""
    async with write_transaction():
        link = await _usable_link(token, lock=True)
        worker = present(
            await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at)
            .where(Worker.id == principal.worker_id)
            .first(),
            "the signed-in worker",
        )
        _check_domain(link, worker["email"])
        confirmed = worker["email_confirmed_at"] is not None
        await _apply(link, worker, confirmed=confirmed)
        company = present(
            await Company.select(Company.name).where(Company.id == link["company"]).first(), "the link's company"
        )
        if not confirmed:
            await _queue_confirmation(worker["id"], worker["email"], worker["name"], company["name"])
    return ApplicationResult(company_name=company["name"], email_confirmed=confirmed)


async def confirm_email(token: str) -> EmailConfirmed:
    """Mark the worker's email as confirmed; single use."""
    if not plausible_token(token):
        raise NotFound(detail="This confirmation link is not valid.", code="confirmation_not_found")
    now = utcnow()
    async with write_transaction():
        row = await EmailConfirmation.select().where(EmailConfirmation.token_hash == hash_token(token)).first()
        if row is None:
            raise NotFound(detail="This confirmation link is not valid.", code="confirmation_not_found")
        if row["used_at"] is not None:
            raise RuleViolation(
                detail="This email address is already confirmed. You can log in.", code="confirmation_used"
            )
        if row["expires_at"] <= now:
            raise RuleViolation(
                detail="This confirmation link has expired. Apply again to get a new one.", code="confirmation_expired"
            )
        await EmailConfirmation.update({EmailConfirmation.used_at: now}).where(EmailConfirmation.id == row["id"])
        worker = present(
            await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at)
            .where(Worker.id == row["worker"])
            .first(),
            "the confirming worker",
        )
        if worker["email_confirmed_at"] is None:
            await Worker.update({Worker.email_confirmed_at: now}).where(Worker.id == worker["id"])
        waiting = (Contact.worker == worker["id"]) & (Contact.status == ContactStatus.APPLIED.value)
        applied = await Contact.select(
            Contact.id, Contact.company, Contact.company.name.as_alias("company_name")
        ).where(waiting)
        for contact in applied:
            await record_event(contact["company"], contact["id"], EventKind.EMAIL_CONFIRMED, worker["name"])
        # They can be approved now: the rows change (and so does each company's Talent Pool stamp).
        await Contact.update({Contact.updated_at: now}).where(waiting)
    return EmailConfirmed(email=worker["email"], companies=sorted({c["company_name"] for c in applied}))
