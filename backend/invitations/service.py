"""Flow 1: invite a trusted contact by email, send an invitation to a contact added by hand, resend, revoke, expire."""

from __future__ import annotations

import functools

from backend.accounts.tables import Company
from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.service import (
    clean_contact_fields,
    email_taken,
    get_contact,
)
from backend.contacts.tables import Contact, ContactFileRecord, Invitation
from backend.db import write_transaction
from backend.errors import DomainError, FieldErrors, NotFound, RuleViolation
from backend.files import IncomingFile, check_files, discard_file, store_file
from backend.invitations.emails import queue_invitation_emails
from backend.invitations.writes import PreparedInvite, insert_invitations, taken_emails, write_invitations
from backend.jobs.offers import (
    attach_offer,
    clean_offer,
    pending_offer_titles,
    withdraw_pending_offers,
)
from backend.rows import present
from backend.security import new_token
from backend.uploads import service as uploads
from backend.validation import clean_message
from backend.workers.tables import Worker
from shared.activity import ActivityKind
from shared.contacts import ContactPublic, ContactSource, ContactStatus, EventKind
from shared.invitations import (
    InvitationKind,
    InvitationResult,
    InvitationState,
    InviteCreate,
)
from shared.jobs import JobOfferCreate

_INVITED = ContactStatus.INVITED.value

# Contacts whose invitation can be sent again, and those with one that can be revoked.
RESENDABLE = {ContactStatus.INVITED, ContactStatus.EXPIRED, ContactStatus.REVOKED}
REVOCABLE = {ContactStatus.INVITED}


async def company_and_inviter(principal: Principal) -> tuple[str, str]:
    """The company's name and the inviting user's name, as emails show them."""
    company = present(
        await Company.select(Company.name).where(Company.id == principal.company_id).first(), "the caller's company"
    )
    return company["name"], principal.user_name


async def queue_invitations(
    principal: Principal, invites: list[PreparedInvite], source: ContactSource = ContactSource.EMAIL_INVITE
) -> dict[str, int]:
    """Invite people new to the pool (EmailTaken otherwise) and queue their emails, inside the caller's transaction.

    Returns {email: contact id}.
    """
    taken = await taken_emails(principal.company_id, [invite.fields.email for invite in invites])
    if taken:
        raise email_taken(min(taken))
    written = await write_invitations(principal, invites, source)
    job_titles = {}
    for invite in invites:
        if invite.offer is not None:
            await attach_offer(principal, written.ids[invite.fields.email], invite.offer)
            job_titles[invite.fields.email] = invite.offer.title
    company_name, inviter = await company_and_inviter(principal)
    await queue_invitation_emails(
        principal.company_id,
        company_name,
        inviter,
        [(i.fields.email, i.fields.name, i.message, written.tokens.get(i.fields.email)) for i in invites],
        job_titles,
        written.ids,
    )
    return written.ids


async def _send(
    principal: Principal,
    contact_id: int,
    email: str,
    name: str,
    message: str,
    worker_id: int | None,
    job_title: str = "",
) -> InvitationKind:
    """Create one invitation (or connection request) for an existing contact and queue its email."""
    company_name, inviter = await company_and_inviter(principal)
    kind = InvitationKind.CONNECTION if worker_id else InvitationKind.SIGNUP
    token, token_hash = new_token() if kind is InvitationKind.SIGNUP else (None, None)
    await insert_invitations(principal, [(contact_id, email, kind.value, token_hash, message)], utcnow())
    await queue_invitation_emails(
        principal.company_id,
        company_name,
        inviter,
        [(email, name, message, token)],
        {email: job_title} if job_title else None,
        {email: contact_id},
    )
    return kind


async def invite_contact(
    principal: Principal, data: InviteCreate, files: list[IncomingFile] | None = None
) -> ContactPublic:
    """Invite a person by email: a new person gets a sign-up link, an existing worker a connection request.

    With an offer ("Invite and offer job"), the offer waits for the invitation and reaches the worker
    when they accept it.
    """
    errors = FieldErrors()
    fields = clean_contact_fields(data, errors)
    message = clean_message(data.message, errors)
    offer = clean_offer(data.offer, errors, prefix="offer.") if data.offer is not None else None
    checked = check_files(files or [], errors)
    staged = await uploads.uploads_for_invite(principal, data.upload_ids, errors, attached=len(checked))
    errors.raise_if_any()
    stored = [(file, store_file(file.data)) for file in checked]
    try:
        async with write_transaction():
            ids = await queue_invitations(principal, [PreparedInvite(fields=fields, message=message, offer=offer)])
            contact_id = ids[fields.email]
            await record_activity(
                principal,
                ActivityKind.INVITATION_SENT,
                contact_subject(fields.name, fields.email),
                f"With a job offer: {offer.title}" if offer is not None else "",
            )
            await uploads.attach_uploads(principal, staged, contact_id)
            for file, key in stored:
                await ContactFileRecord(
                    company=principal.company_id,
                    contact=contact_id,
                    filename=file.filename,
                    content_type=file.content_type,
                    size=len(file.data),
                    storage_key=key,
                    uploaded_by=principal.user_id,
                ).save()
    except BaseException:
        for _, key in stored:
            discard_file(key)
        raise
    return await get_contact(principal, contact_id)


async def contact_for_company(principal: Principal, contact_id: int) -> dict:
    """The contact if it belongs to the caller's company, else NotFound."""
    contact = (
        await Contact.select(Contact.id, Contact.name, Contact.email, Contact.status, Contact.worker)
        .where((Contact.id == contact_id) & (Contact.company == principal.company_id))
        .first()
    )
    if contact is None:
        raise NotFound(detail="No such contact in your Talent Pool.", code="contact_not_found")
    return contact


async def _last_message(contact_id: int) -> str:
    row = (
        await Invitation.select(Invitation.message)
        .where(Invitation.contact == contact_id)
        .order_by(Invitation.id, ascending=False)
        .first()
    )
    return row["message"] if row else ""


async def send_invitation(
    principal: Principal, contact_id: int, message: str = "", offer: JobOfferCreate | None = None
) -> None:
    """Invite a contact added by hand (Flow 1): a sign-up link, or a connection request to a worker account.

    With `offer` the offer waits for the invitation ("Invite and offer job"). An active contact with no
    worker account (made active by hand) can be invited this way too: it is how Hire reaches them.
    """
    errors = FieldErrors()
    message = clean_message(message, errors)
    fields = clean_offer(offer, errors, prefix="offer.") if offer is not None else None
    errors.raise_if_any()
    async with write_transaction():
        contact = await contact_for_company(principal, contact_id)
        # One conditional update claims the contact, so two clicks at once send one invitation.
        claimed = (
            await Contact.update({Contact.status: _INVITED})
            .where(
                (Contact.id == contact_id)
                & (Contact.company == principal.company_id)
                & (
                    (Contact.status == ContactStatus.NOT_INVITED.value)
                    | ((Contact.status == ContactStatus.ACTIVE.value) & Contact.worker.is_null())
                )
            )
            .returning(Contact.id)
        )
        if not claimed:
            # The same stable code for every contact that is past its invitation; the words say which.
            if contact["status"] == ContactStatus.ACTIVE.value:
                raise RuleViolation(
                    detail="This contact already has a worker account: use Hire to offer them a job.",
                    code="already_invited",
                )
            raise RuleViolation(
                detail="This contact has been invited already. Use Resend to send a new invitation.",
                code="already_invited",
            )
        if fields is not None:
            await attach_offer(principal, contact_id, fields)
        await _invite_existing(principal, contact, message, EventKind.INVITATION_SENT)


async def resend_invitation(principal: Principal, contact_id: int, *, log: bool = True) -> None:
    """Send a fresh invitation: a new link and expiry; the previous link stops working.

    Without `log` the activity log is left to the caller (a bulk resend logs one line with its count).
    """
    async with write_transaction():
        contact = await contact_for_company(principal, contact_id)
        if contact["status"] == ContactStatus.NOT_INVITED.value:
            raise RuleViolation(detail="Not invited yet: use Invite to send the first invitation.", code="not_invited")
        if ContactStatus(contact["status"]) not in RESENDABLE:
            raise RuleViolation(
                detail="Only pending, expired or revoked invitations can be resent.", code="cannot_resend"
            )
        await _invite_existing(
            principal, contact, await _last_message(contact_id), EventKind.INVITATION_RESENT, log=log
        )


async def _invite_existing(
    principal: Principal, contact: dict, message: str, event: EventKind, *, log: bool = True
) -> None:
    """Supersede any pending invitation and send a new one to a contact already in the pool (inside a transaction)."""
    contact_id, now = contact["id"], utcnow()
    await Invitation.update({Invitation.state: InvitationState.SUPERSEDED.value, Invitation.ended_at: now}).where(
        (Invitation.contact == contact_id) & (Invitation.state == InvitationState.PENDING.value)
    )
    # The person may have created a worker account since the first invitation.
    worker_id = contact["worker"]
    if worker_id is None:
        # Only an account that proved it owns the email gets a connection request.
        worker = (
            await Worker.select(Worker.id)
            .where((Worker.email == contact["email"]) & Worker.email_confirmed_at.is_not_null())
            .first()
        )
        worker_id = worker["id"] if worker else None
    job_title = (await pending_offer_titles([contact_id])).get(contact_id, "")
    await _send(principal, contact_id, contact["email"], contact["name"], message, worker_id, job_title)
    # `invited` whichever kind went out: the company learns of a worker account only from the answer.
    # A new email is on its way: an earlier one's failure no longer says where things stand.
    await Contact.update(
        {
            Contact.status: _INVITED,
            Contact.worker: worker_id,
            Contact.updated_at: now,
            Contact.last_activity_at: now,
            Contact.email_error: "",
            Contact.email_failed_at: None,
        }
    ).where(Contact.id == contact_id)
    await record_event(principal.company_id, contact_id, event, principal.user_name)
    if log:
        # The history's kinds of invitations sent and resent are the log's kinds of the same name.
        await record_activity(principal, ActivityKind(event.value), contact_subject(contact["name"], contact["email"]))


async def revoke_invitation(principal: Principal, contact_id: int, *, log: bool = True) -> None:
    """Withdraw the pending invitation; its link stops working."""
    now = utcnow()
    async with write_transaction():
        contact = await contact_for_company(principal, contact_id)
        if ContactStatus(contact["status"]) not in REVOCABLE:
            raise RuleViolation(detail="Only pending invitations can be revoked.", code="cannot_revoke")
        await Invitation.update({Invitation.state: InvitationState.REVOKED.value, Invitation.ended_at: now}).where(
            (Invitation.contact == contact_id) & (Invitation.state == InvitationState.PENDING.value)
        )
        await Contact.update(
            {Contact.status: ContactStatus.REVOKED.value, Contact.updated_at: now, Contact.last_activity_at: now}
        ).where(Contact.id == contact_id)
        await record_event(principal.company_id, contact_id, EventKind.INVITATION_REVOKED, principal.user_name)
        if log:
            subject = contact_subject(contact["name"], contact["email"])
            await record_activity(principal, ActivityKind.INVITATION_REVOKED, subject)
        await withdraw_pending_offers(principal.company_id, contact_id, principal.user_name)


async def for_each_contact(principal: Principal, contact_ids: list[int], action) -> InvitationResult:
    """Run a per-contact action on each selected contact; collect what was done and why the rest was skipped."""
    done: list[int] = []
    skipped: dict[str, str] = {}
    codes: dict[str, str] = {}
    for contact_id in dict.fromkeys(contact_ids):
        try:
            await action(principal, contact_id)
            done.append(contact_id)
        except DomainError as exc:
            skipped[str(contact_id)] = exc.detail or exc.title
            codes[str(contact_id)] = exc.code
    return InvitationResult(done=done, skipped=skipped, skipped_codes=codes)


async def for_each_contact_logged(
    principal: Principal, contact_ids: list[int], action, kind: ActivityKind
) -> InvitationResult:
    """`for_each_contact` for a bulk action: one contact logs as itself; more log one line with the counts.

    `action` takes `log=False` to leave its own line out. Each contact is its own transaction, so the
    line with the counts is written after them, naming only what was done.
    """
    ids = list(dict.fromkeys(contact_ids))
    if len(ids) == 1:
        return await for_each_contact(principal, ids, action)
    result = await for_each_contact(principal, ids, functools.partial(action, log=False))
    if result.done:
        detail = f"{len(result.skipped)} skipped" if result.skipped else ""
        async with write_transaction():
            await record_activity(principal, kind, f"{len(result.done)} contacts", detail)
    return result


async def resend_invitations(principal: Principal, contact_ids: list[int]) -> InvitationResult:
    """Resend to each selected contact that can receive one; say why the others were skipped."""
    return await for_each_contact_logged(principal, contact_ids, resend_invitation, ActivityKind.INVITATION_RESENT)


async def revoke_invitations(principal: Principal, contact_ids: list[int]) -> InvitationResult:
    """Revoke each selected contact's pending invitation; say why the others were skipped."""
    return await for_each_contact_logged(principal, contact_ids, revoke_invitation, ActivityKind.INVITATION_REVOKED)


async def expire_invitations() -> int:
    """Mark pending invitations past their expiry as expired, and their contacts too; returns how many."""
    now = utcnow()
    async with write_transaction():
        expired = (
            await Invitation.update({Invitation.state: InvitationState.EXPIRED.value, Invitation.ended_at: now})
            .where((Invitation.state == InvitationState.PENDING.value) & (Invitation.expires_at <= now))
            .returning(Invitation.company, Invitation.contact)
        )
        for row in expired:
            await Contact.update({Contact.status: ContactStatus.EXPIRED.value, Contact.updated_at: now}).where(
                (Contact.id == row["contact"]) & (Contact.status == _INVITED)
            )
            await record_event(row["company"], row["contact"], EventKind.INVITATION_EXPIRED, "")
            await withdraw_pending_offers(row["company"], row["contact"])
    return len(expired)
