"""The worker portal's connections: companies' requests (pending invitations) and the worker's answers."""

from __future__ import annotations

from backend.accounts.tables import Company
from backend.auth import WorkerPrincipal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Contact, Invitation
from backend.db import write_transaction
from backend.errors import NotFound, RuleViolation
from backend.jobs.offers import release_pending_offers, withdraw_pending_offers
from backend.rows import present
from shared.contacts import ContactStatus, EventKind
from shared.invitations import Connection, ConnectionList, InvitationState


async def list_connections(principal: WorkerPrincipal) -> ConnectionList:
    """Companies asking to connect, and companies the worker is connected to; no team-only fields.

    An account that has not confirmed its email sees none: they were addressed to the email's owner.
    """
    if not principal.email_confirmed:
        return ConnectionList(requests=[], companies=[])
    rows = (
        await Contact.select(
            Contact.id,
            Contact.status,
            Contact.updated_at,
            Contact.company.name.as_alias("company_name"),
        )
        .where(
            (Contact.worker == principal.worker_id)
            & Contact.status.is_in([ContactStatus.INVITED.value, ContactStatus.ACTIVE.value])
        )
        .order_by(Contact.updated_at, ascending=False)
    )
    # An invited contact linked to this worker is a connection request (the company sees `invited`).
    messages = await _pending_messages([r["id"] for r in rows if r["status"] == ContactStatus.INVITED.value])
    await _note_opened([r["id"] for r in rows if r["status"] == ContactStatus.INVITED.value])
    requests: list[Connection] = []
    companies: list[Connection] = []
    for row in rows:
        status = ContactStatus(row["status"])
        item = Connection(
            id=row["id"],
            company_name=row["company_name"],
            status=status,
            since=row["updated_at"],
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
        opened = (
            await Invitation.update({Invitation.opened_at: utcnow()})
            .where(
                Invitation.contact.is_in(contact_ids)
                & (Invitation.state == InvitationState.PENDING.value)
                & Invitation.opened_at.is_null()
            )
            .returning(Invitation.company, Invitation.contact)
        )
        for row in opened:
            contact = present(
                await Contact.select(Contact.name).where(Contact.id == row["contact"]).first(), "the contact"
            )
            await record_event(row["company"], row["contact"], EventKind.INVITATION_OPENED, contact["name"])


async def answer_connection(principal: WorkerPrincipal, contact_id: int, accept: bool) -> Connection:
    """Accept (→ active) or decline (→ declined) a company's pending connection request."""
    principal.require_confirmed_email()
    now = utcnow()
    new_status = ContactStatus.ACTIVE if accept else ContactStatus.DECLINED
    async with write_transaction():
        contact = (
            await Contact.select(Contact.id, Contact.company, Contact.status)
            .where((Contact.id == contact_id) & (Contact.worker == principal.worker_id))
            .first()
        )
        if contact is None:
            raise NotFound(detail="No such connection request.", code="connection_not_found")
        if contact["status"] != ContactStatus.INVITED.value:
            raise RuleViolation(
                detail="This request has already been answered or withdrawn.", code="request_not_pending"
            )
        await Contact.update(
            {Contact.status: new_status.value, Contact.updated_at: now, Contact.last_activity_at: now}
        ).where(Contact.id == contact_id)
        await Invitation.update(
            {
                Invitation.state: (InvitationState.ACCEPTED if accept else InvitationState.DECLINED).value,
                Invitation.ended_at: now,
            }
        ).where((Invitation.contact == contact_id) & (Invitation.state == InvitationState.PENDING.value))
        await record_event(
            contact["company"],
            contact_id,
            EventKind.CONNECTION_ACCEPTED if accept else EventKind.CONNECTION_DECLINED,
            principal.name,
        )
        # Offers sent with the request reach the worker now, or end with it.
        if accept:
            await release_pending_offers(contact["company"], contact_id)
        else:
            await withdraw_pending_offers(contact["company"], contact_id, principal.name)
        company = present(
            await Company.select(Company.name).where(Company.id == contact["company"]).first(), "the contact's company"
        )
    return Connection(id=contact_id, company_name=company["name"], status=new_status, since=now)
