"""Worker accounts: login, sessions, and answering companies' connection requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.accounts.service import InvalidCredentials
from backend.accounts.tables import Company
from backend.auth import WorkerPrincipal, locked_password_hash
from backend.contacts.history import record_event
from backend.contacts.tables import Contact
from backend.database import lock_for_transaction, utcnow, write_transaction
from backend.errors import Conflict, NotAuthenticated, NotFound, RuleViolation
from backend.invitations.tables import Invitation
from backend.jobs.service import release_pending_offers, withdraw_pending_offers
from backend.ratelimit import throttle
from backend.security import new_token, verify_password_off_loop
from backend.settings import get_settings
from backend.validation import normalise_email
from backend.workers.tables import Worker, WorkerSession
from shared.contacts import ContactStatus
from shared.invitations import Connection, ConnectionList, InvitationState, WorkerLogin, WorkerPublic, WorkerSessionPublic

# The advisory lock key that makes writers of one email's worker account take turns.
WORKER_EMAIL_LOCK = "worker-email:{email}"


async def open_worker_session(worker_id: int, name: str, email: str, email_confirmed: bool) -> WorkerSessionPublic:
    """Start a session for a worker (inside the caller's transaction, if any)."""
    token, token_hash = new_token()
    expires_at = utcnow() + timedelta(hours=get_settings().session_ttl_hours)
    await WorkerSession(token_hash=token_hash, worker=worker_id, expires_at=expires_at).save()
    worker = WorkerPublic(id=worker_id, name=name, email=email, email_confirmed=email_confirmed)
    return WorkerSessionPublic(token=token, expires_at=expires_at, worker=worker)


async def log_in_worker(data: WorkerLogin, client: str = "") -> WorkerSessionPublic:
    """Check a worker's password and open a session; failed attempts count per client and account."""
    email = normalise_email(data.email)
    attempt = await throttle("worker-login", client, email)
    worker = await Worker.select().where(Worker.email == email).first()
    if not await verify_password_off_loop(worker["password_hash"] if worker else None, data.password):
        raise InvalidCredentials()
    async with write_transaction():
        # A reset or change that committed since the check ended this password: no session from it.
        if await locked_password_hash(Worker, worker["id"]) != worker["password_hash"]:
            raise InvalidCredentials()
        session = await open_worker_session(
            worker["id"], worker["name"], worker["email"], worker["email_confirmed_at"] is not None
        )
    await attempt.forgive()
    return session


async def end_worker_sessions(worker_id: int) -> None:
    """Revoke every live session of a worker (inside the caller's transaction, if any)."""
    await WorkerSession.update({WorkerSession.revoked_at: utcnow()}).where(
        (WorkerSession.worker == worker_id) & WorkerSession.revoked_at.is_null()
    )


async def log_out_worker(principal: WorkerPrincipal) -> None:
    """Revoke the worker's session."""
    await WorkerSession.update({WorkerSession.revoked_at: utcnow()}).where(WorkerSession.id == principal.session_id)


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


async def describe_worker(principal: WorkerPrincipal) -> WorkerPublic:
    """The signed-in worker."""
    row = await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at).where(
        Worker.id == principal.worker_id
    ).first()
    if row is None:
        raise NotAuthenticated()
    return WorkerPublic(id=row["id"], name=row["name"], email=row["email"], email_confirmed=row["email_confirmed_at"] is not None)


async def list_connections(principal: WorkerPrincipal) -> ConnectionList:
    """Companies asking to connect, and companies the worker is connected to; no team-only fields.

    An account that has not confirmed its email sees none: they were addressed to the email's owner.
    """
    if not principal.email_confirmed:
        return ConnectionList(requests=[], companies=[])
    rows = await Contact.select(
        Contact.id,
        Contact.status,
        Contact.updated_at,
        Contact.company.name.as_alias("company_name"),
    ).where(
        (Contact.worker == principal.worker_id)
        & Contact.status.is_in([ContactStatus.INVITED.value, ContactStatus.ACTIVE.value])
    ).order_by(Contact.updated_at, ascending=False)
    # An invited contact linked to this worker is a connection request (the company sees `invited`).
    messages = await _pending_messages([r["id"] for r in rows if r["status"] == ContactStatus.INVITED.value])
    await _note_opened([r["id"] for r in rows if r["status"] == ContactStatus.INVITED.value])
    requests, companies = [], []
    for row in rows:
        status = ContactStatus(row["status"])
        item = Connection(
            id=row["id"], company_name=row["company_name"], status=status, since=row["updated_at"],
            message=messages.get(row["id"], ""),
        )
        (requests if status is ContactStatus.INVITED else companies).append(item)
    return ConnectionList(requests=requests, companies=companies)


async def _pending_messages(contact_ids: list[int]) -> dict[int, str]:
    if not contact_ids:
        return {}
    rows = await Invitation.select(Invitation.contact, Invitation.message).where(
        Invitation.contact.is_in(contact_ids) & (Invitation.state == InvitationState.PENDING.value)
    )
    return {row["contact"]: row["message"] for row in rows}


async def _note_opened(contact_ids: list[int]) -> None:
    """The worker saw these requests: note the first sight in each history, as opening an invitation link does.

    So an "Invitation opened" line does not tell the company which kind of invitation went out.
    """
    if not contact_ids:
        return
    async with write_transaction():
        opened = await Invitation.update({Invitation.opened_at: utcnow()}).where(
            Invitation.contact.is_in(contact_ids)
            & (Invitation.state == InvitationState.PENDING.value)
            & Invitation.opened_at.is_null()
        ).returning(Invitation.company, Invitation.contact)
        for row in opened:
            contact = await Contact.select(Contact.name).where(Contact.id == row["contact"]).first()
            await record_event(row["company"], row["contact"], "invitation_opened", contact["name"])


async def answer_connection(principal: WorkerPrincipal, contact_id: int, accept: bool) -> Connection:
    """Accept (→ active) or decline (→ declined) a company's pending connection request."""
    principal.require_confirmed_email()
    now = utcnow()
    new_status = ContactStatus.ACTIVE if accept else ContactStatus.DECLINED
    async with write_transaction():
        contact = await Contact.select(Contact.id, Contact.company, Contact.status).where(
            (Contact.id == contact_id) & (Contact.worker == principal.worker_id)
        ).first()
        if contact is None:
            raise NotFound(detail="No such connection request.", code="connection_not_found")
        if contact["status"] != ContactStatus.INVITED.value:
            raise RuleViolation(detail="This request has already been answered or withdrawn.", code="request_not_pending")
        await Contact.update(
            {Contact.status: new_status.value, Contact.updated_at: now, Contact.last_activity_at: now}
        ).where(Contact.id == contact_id)
        await Invitation.update(
            {Invitation.state: (InvitationState.ACCEPTED if accept else InvitationState.DECLINED).value, Invitation.ended_at: now}
        ).where((Invitation.contact == contact_id) & (Invitation.state == InvitationState.PENDING.value))
        await record_event(
            contact["company"], contact_id, "connection_accepted" if accept else "connection_declined", principal.name
        )
        # Offers sent with the request reach the worker now, or end with it.
        if accept:
            await release_pending_offers(contact["company"], contact_id)
        else:
            await withdraw_pending_offers(contact["company"], contact_id, principal.name)
        company = await Company.select(Company.name).where(Company.id == contact["company"]).first()
    return Connection(id=contact_id, company_name=company["name"], status=new_status, since=now)
