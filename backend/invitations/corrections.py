"""Correcting the address of an invitation that could not be delivered, and sending it again there."""

from __future__ import annotations

from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.service import email_taken, get_contact, search_text
from backend.contacts.tables import Contact, ContactTag
from backend.db import write_transaction
from backend.errors import FieldErrors, RuleViolation
from backend.invitations.service import contact_for_company, resend_invitation
from backend.validation import clean_email
from shared.activity import ActivityKind
from shared.contacts import ContactPublic, ContactStatus, EmailCorrection, EventKind

# Contacts who have not answered an invitation (a sign-up link or a connection request: the company is
# not told which): only their email can be corrected here. Once a person answered, the address is theirs.
CORRECTABLE = {ContactStatus.INVITED, ContactStatus.EXPIRED, ContactStatus.REVOKED}


async def correct_email_and_resend(principal: Principal, contact_id: int, data: EmailCorrection) -> ContactPublic:
    """Give a contact whose invitation is still out a corrected address, and send the invitation there."""
    errors = FieldErrors()
    email = clean_email(data.email, errors)
    errors.raise_if_any()
    now = utcnow()
    async with write_transaction():
        contact = await contact_for_company(principal, contact_id)
        if ContactStatus(contact["status"]) not in CORRECTABLE:
            raise RuleViolation(
                detail="Only the address of a pending, expired or revoked invitation can be corrected here.",
                code="email_not_correctable",
            )
        if email != contact["email"]:
            if await Contact.exists().where(
                (Contact.company == principal.company_id) & (Contact.email == email) & (Contact.id != contact_id)
            ):
                raise email_taken(email)
            tags = await ContactTag.select(ContactTag.tag.name.as_alias("name")).where(ContactTag.contact == contact_id)
            await Contact.update(
                {
                    Contact.email: email,
                    Contact.search_text: search_text(contact["name"], email, [t["name"] for t in tags]),
                    # A connection request went to the old address's account: the new address is looked up afresh.
                    Contact.worker: None,
                    Contact.updated_at: now,
                }
            ).where(Contact.id == contact_id)
            await record_event(principal.company_id, contact_id, EventKind.EMAIL_CORRECTED, principal.user_name, email)
            subject = contact_subject(contact["name"], email)
            await record_activity(
                principal, ActivityKind.EMAIL_CORRECTED, subject, f"Was {contact['email']}; invitation resent"
            )
            await resend_invitation(principal, contact_id, log=False)
        else:
            await resend_invitation(principal, contact_id)
    return await get_contact(principal, contact_id)
