"""Flow 2: invitation links, applying through them, confirming the email, and approving applicants."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from datetime import timedelta

from backend.accounts.tables import Company
from backend.auth import Principal, WorkerPrincipal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.service import search_text, tag_ids_for
from backend.contacts.tables import Contact
from backend.db import execute_many, is_sqlite, lock_for_transaction, write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, NotFound, RateLimited, RuleViolation
from backend.invitations.service import for_each_contact
from backend.links.tables import EmailConfirmation, InvitationLink
from backend.security import (
    hash_password_off_loop,
    hash_token,
    new_token,
    plausible_token,
)
from backend.settings import get_settings
from backend.validation import check_password, clean_email, clean_name, clean_tags
from backend.workers.service import WORKER_EMAIL_LOCK, open_worker_session
from backend.workers.tables import Worker
from shared.contacts import ContactSource, ContactStatus, EventKind
from shared.invitations import InvitationResult
from shared.links import (
    ApplicationResult,
    EmailConfirmed,
    LinkCounts,
    LinkCreate,
    LinkPreview,
    LinkPublic,
    LinkSignup,
)
from shared.problems import FieldError

LABEL_MAX = 120
CONFIRMATION_TTL = timedelta(days=7)
# A worker may ask for the confirmation email again once a minute, and five times a day.
CONFIRMATION_RESEND_INTERVAL = timedelta(minutes=1)
CONFIRMATION_RESENDS_PER_DAY = 5
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
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


def link_token(nonce: str) -> str:
    """The URL token of a link: a keyed hash of its nonce (256 bits, URL-safe)."""
    digest = hmac.new(get_settings().secret_key.encode(), f"invitation-link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_secret() -> tuple[str, str]:
    nonce = secrets.token_hex(16)
    return nonce, hash_token(link_token(nonce))


def _url(nonce: str) -> str:
    return f"{get_settings().public_web_url}/join/{link_token(nonce)}"


def _state(row: dict, counts: LinkCounts) -> str:
    if row["revoked_at"]:
        return "revoked"
    if row["expires_at"] and row["expires_at"] <= utcnow():
        return "expired"
    if row["max_signups"] is not None and counts.signups >= row["max_signups"]:
        return "full"
    return "active"


def _clean_link(data: LinkCreate, errors: FieldErrors) -> dict:
    label = clean_name(data.label, errors, "label", "Label")
    if len(label) > LABEL_MAX:
        errors.add("label", f"Label must be at most {LABEL_MAX} characters.", "too_long")
    if data.expires_at is not None and data.expires_at <= utcnow():
        errors.add("expires_at", "The expiry must be in the future.", "in_past")
    if data.max_signups is not None and not 1 <= data.max_signups <= 100_000:
        errors.add("max_signups", "Maximum sign-ups must be between 1 and 100,000.", "out_of_range")
    domains = []
    for raw in data.allowed_domains:
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            errors.add("allowed_domains", f"“{domain[:60]}” is not a domain like example.com.", "invalid_domain")
            break
        if domain not in domains:
            domains.append(domain)
    return {"label": label, "domains": domains, "tags": clean_tags(data.tags, errors)}


async def _counts(company_id: int) -> dict[int, LinkCounts]:
    rows = await Contact.raw(
        "SELECT invitation_link AS link, status, COUNT(*) AS n FROM contact "
        "WHERE company = {} AND invitation_link IS NOT NULL GROUP BY invitation_link, status",
        company_id,
    )
    counts: dict[int, LinkCounts] = {}
    for row in rows:
        c = counts.setdefault(row["link"], LinkCounts())
        c.signups += row["n"]
        if row["status"] == ContactStatus.APPLIED.value:
            c.waiting += row["n"]
        elif row["status"] == ContactStatus.ACTIVE.value:
            c.approved += row["n"]
    return counts


def _public(row: dict, counts: LinkCounts) -> LinkPublic:
    return LinkPublic(
        id=row["id"],
        label=row["label"],
        url=_url(row["nonce"]),
        expires_at=row["expires_at"],
        max_signups=row["max_signups"],
        allowed_domains=_json(row["allowed_domains"]),
        tags=_json(row["tags"]),
        created_at=row["created_at"],
        state=_state(row, counts),
        counts=counts,
    )


def _json(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def list_links(principal: Principal) -> list[LinkPublic]:
    """The company's links, newest first, with their counts."""
    rows = (
        await InvitationLink.select()
        .where(InvitationLink.company == principal.company_id)
        .order_by(InvitationLink.id, ascending=False)
    )
    counts = await _counts(principal.company_id)
    return [_public(row, counts.get(row["id"], LinkCounts())) for row in rows]


async def _own_link(principal: Principal, link_id: int) -> dict:
    row = (
        await InvitationLink.select()
        .where((InvitationLink.id == link_id) & (InvitationLink.company == principal.company_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No such invitation link.", code="link_not_found")
    return row


async def create_link(principal: Principal, data: LinkCreate) -> LinkPublic:
    """Create a named invitation link."""
    errors = FieldErrors()
    clean = _clean_link(data, errors)
    errors.raise_if_any()
    nonce, token_hash = _new_secret()
    link = InvitationLink(
        company=principal.company_id,
        label=clean["label"],
        nonce=nonce,
        token_hash=token_hash,
        expires_at=data.expires_at,
        max_signups=data.max_signups,
        allowed_domains=json.dumps(clean["domains"]),
        tags=json.dumps(clean["tags"]),
        created_by=principal.user_id,
    )
    await link.save()
    return _public(await _own_link(principal, link.id), LinkCounts())


async def revoke_link(principal: Principal, link_id: int) -> LinkPublic:
    """Stop a link for good."""
    await _own_link(principal, link_id)
    await InvitationLink.update({InvitationLink.revoked_at: utcnow()}).where(InvitationLink.id == link_id)
    return await _link_with_counts(principal, link_id)


async def rotate_link(principal: Principal, link_id: int) -> LinkPublic:
    """Give a link a new URL; the old URL stops working at once."""
    row = await _own_link(principal, link_id)
    if row["revoked_at"]:
        raise RuleViolation(detail="A revoked link cannot be rotated.", code="link_revoked")
    nonce, token_hash = _new_secret()
    await InvitationLink.update(
        {InvitationLink.nonce: nonce, InvitationLink.token_hash: token_hash, InvitationLink.rotated_at: utcnow()}
    ).where(InvitationLink.id == link_id)
    return await _link_with_counts(principal, link_id)


async def _link_with_counts(principal: Principal, link_id: int) -> LinkPublic:
    row = await _own_link(principal, link_id)
    return _public(row, (await _counts(principal.company_id)).get(link_id, LinkCounts()))


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
    company = await Company.select(Company.name).where(Company.id == row["company"]).first()
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
    await execute_many(
        "INSERT INTO contact_tag (contact, tag) VALUES ({}, {})", [(contact.id, tag_ids[t]) for t in tags]
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
        worker = await Worker.select(Worker.name, Worker.email).where(Worker.id == principal.worker_id).first()
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
        company = await Company.select(Company.name).where(Company.id == link["company"]).first()
        await _queue_confirmation(worker.id, email, name, company["name"])
        session = await open_worker_session(worker.id, name, email, email_confirmed=False)
    return ApplicationResult(
        company_name=company["name"], email_confirmed=False, token=session.token, expires_at=session.expires_at
    )


async def apply_via_link(token: str, principal: WorkerPrincipal) -> ApplicationResult:
    """A signed-in worker applies to the link's company."""
    async with write_transaction():
        link = await _usable_link(token, lock=True)
        worker = (
            await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at)
            .where(Worker.id == principal.worker_id)
            .first()
        )
        _check_domain(link, worker["email"])
        confirmed = worker["email_confirmed_at"] is not None
        await _apply(link, worker, confirmed=confirmed)
        company = await Company.select(Company.name).where(Company.id == link["company"]).first()
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
        worker = (
            await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at)
            .where(Worker.id == row["worker"])
            .first()
        )
        if worker["email_confirmed_at"] is None:
            await Worker.update({Worker.email_confirmed_at: now}).where(Worker.id == worker["id"])
        applied = await Contact.select(
            Contact.id, Contact.company, Contact.company.name.as_alias("company_name")
        ).where((Contact.worker == worker["id"]) & (Contact.status == ContactStatus.APPLIED.value))
        for contact in applied:
            await record_event(contact["company"], contact["id"], EventKind.EMAIL_CONFIRMED, worker["name"])
    return EmailConfirmed(email=worker["email"], companies=sorted({c["company_name"] for c in applied}))


async def _decide(principal: Principal, contact_id: int, approve: bool) -> None:
    now = utcnow()
    async with write_transaction():
        contact = (
            await Contact.select(
                Contact.id,
                Contact.name,
                Contact.email,
                Contact.status,
                Contact.worker.email_confirmed_at.as_alias("confirmed"),
            )
            .where((Contact.id == contact_id) & (Contact.company == principal.company_id))
            .first()
        )
        if contact is None:
            raise NotFound(detail="No such contact in your Talent Pool.", code="contact_not_found")
        if contact["status"] != ContactStatus.APPLIED.value:
            raise RuleViolation(detail="Only applicants can be approved or rejected.", code="not_an_applicant")
        if approve and contact["confirmed"] is None:
            raise RuleViolation(detail="The applicant has not confirmed their email yet.", code="email_not_confirmed")
        status = ContactStatus.ACTIVE if approve else ContactStatus.REJECTED
        await Contact.update(
            {Contact.status: status.value, Contact.updated_at: now, Contact.last_activity_at: now}
        ).where(Contact.id == contact_id)
        await record_event(
            principal.company_id,
            contact_id,
            EventKind.APPLICANT_APPROVED if approve else EventKind.APPLICANT_REJECTED,
            principal.user_name,
        )
        if approve:
            company = await Company.select(Company.name).where(Company.id == principal.company_id).first()
            rendered = render_email(
                "applicant_approved", company_name=company["name"], recipient_name=contact["name"], link="/worker/login"
            )
            await enqueue_email(
                rendered,
                to_email=contact["email"],
                to_name=contact["name"],
                company_id=principal.company_id,
                contact_id=contact_id,
            )


async def approve_applicant(principal: Principal, contact_id: int) -> None:
    """Approve one applicant: active, and emailed."""
    await _decide(principal, contact_id, approve=True)


async def reject_applicant(principal: Principal, contact_id: int) -> None:
    """Reject one applicant (no email)."""
    await _decide(principal, contact_id, approve=False)


async def decide_applicants(principal: Principal, contact_ids: list[int], approve: bool) -> InvitationResult:
    """Approve (→ active, emailed) or reject (→ rejected) applicants; say why any were skipped."""
    return await for_each_contact(principal, contact_ids, approve_applicant if approve else reject_applicant)
