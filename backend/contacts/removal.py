"""Deleting contacts, with everything stored for them (their rows cascade; their files go from the store)."""

from __future__ import annotations

import asyncio

from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal
from backend.contacts.tables import Contact, ContactFileRecord
from backend.db import write_transaction
from backend.errors import NotFound
from backend.files import discard_files
from shared.activity import ActivityKind


async def delete_contacts(principal: Principal, contact_ids: list[int]) -> int:
    """Delete contacts of the caller's company and their stored files; ids of other companies are not found."""
    ids = list(dict.fromkeys(contact_ids))
    async with write_transaction():
        found = await Contact.select(Contact.id, Contact.name, Contact.email).where(
            Contact.id.is_in(ids) & (Contact.company == principal.company_id)
        )
        if len(found) != len(ids):
            raise NotFound(detail="No such contact in your Talent Pool.", code="contact_not_found")
        files = await ContactFileRecord.select(ContactFileRecord.storage_key).where(
            ContactFileRecord.contact.is_in(ids) & (ContactFileRecord.company == principal.company_id)
        )
        await Contact.delete().where(Contact.id.is_in(ids) & (Contact.company == principal.company_id))
        # A bulk delete is one line with the count, not one line per contact.
        subject = contact_subject(found[0]["name"], found[0]["email"]) if len(found) == 1 else f"{len(found)} contacts"
        await record_activity(principal, ActivityKind.CONTACTS_DELETED, subject)
    # After the commit: a crash in between leaves files no row points to, which the sweep removes.
    if files:
        await asyncio.to_thread(discard_files, [row["storage_key"] for row in files])
    return len(ids)
