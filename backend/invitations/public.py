"""Flow 1, the invitee's side: the public invitation page and creating the worker account from it."""

from __future__ import annotations

from datetime import datetime

from backend.accounts.tables import Company, CompanyUser
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Contact, Invitation
from backend.db import lock_for_transaction, write_transaction
from backend.errors import Conflict, FieldErrors, Gone, NotFound, RuleViolation
from backend.jobs.offers import release_pending_offers
from backend.rows import present
from backend.security import hash_password_off_loop, hash_token, plausible_token
from backend.validation import check_password, clean_name, normalise_email
from backend.workers.service import (
    WORKER_EMAIL_LOCK,
    end_worker_sessions,
    open_worker_session,
)
from backend.workers.tables import Worker
from shared.contacts import ContactStatus, EventKind
from shared.invitations import (
    InvitationAccept,
    InvitationPreview,
    InvitationState,
    WorkerSessionPublic,
)
from shared.problems import FieldError


class InvitationGone(Gone):
    """The invitation link can no longer be used; `code` says why."""

    code = "invitation_gone"
    title = "This invitation can no longer be used"


_GONE = {
    InvitationState.ACCEPTED: ("invitation_used", "This invitation has already been accepted."),
    InvitationState.DECLINED: ("invitation_used", "This invitation has already been answered."),
    InvitationState.REVOKED: ("invitation_revoked", "The company has withdrawn this invitation."),
    InvitationState.EXPIRED: ("invitation_expired", "This invitation has expired."),
    InvitationState.SUPERSEDED: (
        "invitation_superseded",
        "A newer invitation replaced this one. Use the link in the latest email.",
    ),
}


async def _pending_by_token(token: str) -> dict:
    """The invitation behind a link, or InvitationGone / NotFound saying why it can't be used."""
    if not plausible_token(token):
        raise NotFound(detail="This invitation link is not valid.", code="invitation_not_found")
    row = await Invitation.select().where(Invitation.token_hash == hash_token(token)).first()
    if row is None:
        raise NotFound(detail="This invitation link is not valid.", code="invitation_not_found")
    state = InvitationState(row["state"])
    if state is InvitationState.PENDING and row["expires_at"] <= utcnow():
        state = InvitationState.EXPIRED
    if state is not InvitationState.PENDING:
        code, detail = _GONE[state]
        raise InvitationGone(detail=detail, code=code)
    return row


async def preview_invitation(token: str) -> InvitationPreview:
    """What the public invitation page shows; notes the first opening in the contact's history."""
    row = await _pending_by_token(token)
    company = present(
        await Company.select(Company.name).where(Company.id == row["company"]).first(), "the inviting company"
    )
    inviter = await CompanyUser.select(CompanyUser.name).where(CompanyUser.id == row["created_by"]).first()
    contact = present(
        await Contact.select(Contact.name).where(Contact.id == row["contact"]).first(), "the invited contact"
    )
    if row["opened_at"] is None:
        async with write_transaction():
            opened = (
                await Invitation.update({Invitation.opened_at: utcnow()})
                .where((Invitation.id == row["id"]) & Invitation.opened_at.is_null())
                .returning(Invitation.id)
            )
            if opened:
                await record_event(row["company"], row["contact"], EventKind.INVITATION_OPENED, contact["name"])
    return InvitationPreview(
        state=InvitationState.PENDING,
        company_name=company["name"],
        inviter_name=inviter["name"] if inviter else "",
        message=row["message"],
        email=row["email"],
        name=contact["name"],
        expires_at=row["expires_at"],
    )


async def accept_invitation(token: str, data: InvitationAccept) -> WorkerSessionPublic:
    """Create the worker account for the invited email, make the contact active and sign the worker in."""
    errors = FieldErrors()
    name = clean_name(data.name, errors)
    check_password(data.password, errors)
    errors.raise_if_any()
    row = await _pending_by_token(token)
    if data.email is not None and normalise_email(data.email) != row["email"]:
        raise RuleViolation(
            code="email_mismatch",
            errors=[
                FieldError(
                    field="email",
                    message="This invitation was sent to a different email address.",
                    code="email_mismatch",
                )
            ],
        )
    password_hash = await hash_password_off_loop(data.password)
    now = utcnow()
    async with write_transaction():
        claimed = (
            await Invitation.update({Invitation.state: InvitationState.ACCEPTED.value, Invitation.ended_at: now})
            .where((Invitation.id == row["id"]) & (Invitation.state == InvitationState.PENDING.value))
            .returning(Invitation.id)
        )
        if not claimed:
            code, detail = _GONE[InvitationState.ACCEPTED]
            raise InvitationGone(detail=detail, code=code)
        # Opening the emailed link proved the person owns the address: an unconfirmed account of it is theirs now.
        worker_id = await claim_worker_account(row["email"], name, password_hash, now)
        await Contact.update(
            {
                Contact.status: ContactStatus.ACTIVE.value,
                Contact.worker: worker_id,
                Contact.updated_at: now,
                Contact.last_activity_at: now,
            }
        ).where(Contact.id == row["contact"])
        await record_event(row["company"], row["contact"], EventKind.INVITATION_ACCEPTED, name)
        await release_pending_offers(row["company"], row["contact"])
        session = await open_worker_session(worker_id, name, row["email"], email_confirmed=True)
    return session


async def claim_worker_account(email: str, name: str, password_hash: str, now: datetime) -> int:
    """The worker account of someone who just proved they own `email` (inside the caller's transaction).

    Opening the emailed link proves it. An account that never proved it (anyone can type an email
    into a sign-up form) goes to the owner: their name and password replace its own, it is confirmed,
    every session it had ends, and the applications it made through invitation links (waiting for
    that confirmation, so never approved) are withdrawn. An account that did prove it belongs to its
    owner already.
    """
    # Takes turns with a sign-up through an invitation link for the same email at the same moment.
    await lock_for_transaction(WORKER_EMAIL_LOCK.format(email=email))
    existing = await Worker.select(Worker.id, Worker.email_confirmed_at).where(Worker.email == email).first()
    if existing is None:
        worker = Worker(name=name, email=email, password_hash=password_hash, email_confirmed_at=now)
        await worker.save()
        return worker.id
    if existing["email_confirmed_at"] is not None:
        raise Conflict(
            detail="An account with this email already exists. Log in to see the company's request.",
            code="account_exists",
        )
    await Worker.update({Worker.name: name, Worker.password_hash: password_hash, Worker.email_confirmed_at: now}).where(
        Worker.id == existing["id"]
    )
    await end_worker_sessions(existing["id"])
    await Contact.delete().where((Contact.worker == existing["id"]) & (Contact.status == ContactStatus.APPLIED.value))
    return existing["id"]
