"""Worker accounts: login, sessions, and answering companies' connection requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from backend.accounts.service import InvalidCredentials
from backend.accounts.tables import Company
from backend.contacts.tables import Contact
from backend.database import utcnow, write_transaction
from backend.errors import NotAuthenticated, NotFound, RuleViolation
from backend.invitations.history import record_event
from backend.invitations.tables import Invitation
from backend.jobs.service import release_pending_offers, withdraw_pending_offers
from backend.security import hash_token, new_token, password_matches, plausible_token
from backend.settings import get_settings
from backend.validation import normalise_email
from backend.workers.tables import Worker, WorkerSession
from shared.contacts import ContactStatus
from shared.invitations import Connection, ConnectionList, InvitationState, WorkerLogin, WorkerPublic, WorkerSessionPublic


@dataclass(frozen=True, slots=True)
class WorkerPrincipal:
    """The signed-in worker a request acts for."""

    worker_id: int
    name: str
    session_id: int


async def open_worker_session(worker_id: int, name: str, email: str) -> WorkerSessionPublic:
    """Start a session for a worker (inside the caller's transaction, if any)."""
    token, token_hash = new_token()
    expires_at = utcnow() + timedelta(hours=get_settings().session_ttl_hours)
    await WorkerSession(token_hash=token_hash, worker=worker_id, expires_at=expires_at).save()
    return WorkerSessionPublic(token=token, expires_at=expires_at, worker=WorkerPublic(id=worker_id, name=name, email=email))


async def log_in_worker(data: WorkerLogin) -> WorkerSessionPublic:
    """Check a worker's password and open a session."""
    worker = await Worker.select().where(Worker.email == normalise_email(data.email)).first()
    if not password_matches(worker["password_hash"] if worker else None, data.password):
        raise InvalidCredentials()
    return await open_worker_session(worker["id"], worker["name"], worker["email"])


async def log_out_worker(principal: WorkerPrincipal) -> None:
    """Revoke the worker's session."""
    await WorkerSession.update({WorkerSession.revoked_at: utcnow()}).where(WorkerSession.id == principal.session_id)


async def authenticate_worker(token: str | None) -> WorkerPrincipal:
    """The worker behind a live session token, or NotAuthenticated."""
    if not plausible_token(token):
        raise NotAuthenticated()
    row = await WorkerSession.select(
        WorkerSession.id, WorkerSession.worker, WorkerSession.worker.name.as_alias("name")
    ).where(
        (WorkerSession.token_hash == hash_token(token))
        & WorkerSession.revoked_at.is_null()
        & (WorkerSession.expires_at > utcnow())
    ).first()
    if row is None:
        raise NotAuthenticated(detail="Your session has ended. Log in again.", code="session_expired")
    return WorkerPrincipal(worker_id=row["worker"], name=row["name"], session_id=row["id"])


async def describe_worker(principal: WorkerPrincipal) -> WorkerPublic:
    """The signed-in worker."""
    row = await Worker.select(Worker.id, Worker.name, Worker.email).where(Worker.id == principal.worker_id).first()
    if row is None:
        raise NotAuthenticated()
    return WorkerPublic(**row)


async def list_connections(principal: WorkerPrincipal) -> ConnectionList:
    """Companies asking to connect, and companies the worker is connected to; no team-only fields."""
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
