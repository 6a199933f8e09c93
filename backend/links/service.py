"""Flow 2, the company's side: invitation links (create, list, revoke, rotate) and approving or
rejecting the people who applied through them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets

from backend.accounts.tables import Company
from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Contact
from backend.db import write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import FieldErrors, NotFound, RuleViolation
from backend.invitations.service import for_each_contact_logged
from backend.links.funnel import link_counts, link_days
from backend.links.tables import InvitationLink
from backend.rows import present
from backend.security import hash_token
from backend.settings import get_settings
from backend.validation import clean_name, clean_tags
from shared.activity import ActivityKind
from shared.contacts import ContactStatus, EventKind
from shared.invitations import InvitationResult
from shared.links import LinkCounts, LinkCreate, LinkDay, LinkPublic

LABEL_MAX = 120
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


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


def _public(row: dict, counts: LinkCounts, days: list[LinkDay] | None = None) -> LinkPublic:
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
        days=days or [],
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
    counts = await link_counts(principal.company_id)
    days = await link_days(principal.company_id, [row["id"] for row in rows])
    return [_public(row, counts.get(row["id"], LinkCounts()), days[row["id"]]) for row in rows]


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
    async with write_transaction():
        await link.save()
        await record_activity(principal, ActivityKind.LINK_CREATED, clean["label"])
    return _public(await _own_link(principal, link.id), LinkCounts())


async def revoke_link(principal: Principal, link_id: int) -> LinkPublic:
    """Stop a link for good."""
    async with write_transaction():
        row = await _own_link(principal, link_id)
        await InvitationLink.update({InvitationLink.revoked_at: utcnow()}).where(InvitationLink.id == link_id)
        await record_activity(principal, ActivityKind.LINK_REVOKED, row["label"])
    return await _link_with_counts(principal, link_id)


async def rotate_link(principal: Principal, link_id: int) -> LinkPublic:
    """Give a link a new URL; the old URL stops working at once."""
    async with write_transaction():
        row = await _own_link(principal, link_id)
        if row["revoked_at"]:
            raise RuleViolation(detail="A revoked link cannot be rotated.", code="link_revoked")
        nonce, token_hash = _new_secret()
        await InvitationLink.update(
            {InvitationLink.nonce: nonce, InvitationLink.token_hash: token_hash, InvitationLink.rotated_at: utcnow()}
        ).where(InvitationLink.id == link_id)
        await record_activity(principal, ActivityKind.LINK_ROTATED, row["label"], "The old URL stopped working")
    return await _link_with_counts(principal, link_id)


async def _link_with_counts(principal: Principal, link_id: int) -> LinkPublic:
    row = await _own_link(principal, link_id)
    counts = (await link_counts(principal.company_id)).get(link_id, LinkCounts())
    return _public(row, counts, (await link_days(principal.company_id, [link_id]))[link_id])


async def _decide(principal: Principal, contact_id: int, approve: bool, log: bool = True) -> None:
    now = utcnow()
    async with write_transaction():
        contact = (
            await Contact.select(
                Contact.id,
                Contact.name,
                Contact.email,
                Contact.status,
                Contact.worker.email_confirmed_at.as_alias("confirmed"),
                Contact.worker.name.as_alias("worker_name"),
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
        if log:
            kind = ActivityKind.APPLICANT_APPROVED if approve else ActivityKind.APPLICANT_REJECTED
            await record_activity(principal, kind, contact_subject(contact["name"], contact["email"]))
        if approve:
            company = present(
                await Company.select(Company.name).where(Company.id == principal.company_id).first(),
                "the caller's company",
            )
            # Greet them by the name on their account (it may have changed since they applied).
            name = contact["worker_name"] or contact["name"]
            rendered = render_email(
                "applicant_approved", company_name=company["name"], recipient_name=name, link="/worker/login"
            )
            await enqueue_email(
                rendered,
                to_email=contact["email"],
                to_name=name,
                company_id=principal.company_id,
                contact_id=contact_id,
            )


async def approve_applicant(principal: Principal, contact_id: int, *, log: bool = True) -> None:
    """Approve one applicant: active, and emailed."""
    await _decide(principal, contact_id, approve=True, log=log)


async def reject_applicant(principal: Principal, contact_id: int, *, log: bool = True) -> None:
    """Reject one applicant (no email)."""
    await _decide(principal, contact_id, approve=False, log=log)


async def decide_applicants(principal: Principal, contact_ids: list[int], approve: bool) -> InvitationResult:
    """Approve (→ active, emailed) or reject (→ rejected) applicants; say why any were skipped."""
    if approve:
        return await for_each_contact_logged(principal, contact_ids, approve_applicant, ActivityKind.APPLICANT_APPROVED)
    return await for_each_contact_logged(principal, contact_ids, reject_applicant, ActivityKind.APPLICANT_REJECTED)
