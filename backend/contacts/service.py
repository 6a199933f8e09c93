"""Rules for trusted contacts: validation, per-company uniqueness and tags (the listing is in `listing`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from backend.activity.service import contact_subject, record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.delivery import invitation_deliveries
from backend.contacts.history import record_event
from backend.contacts.rules import check_email_change, worker_account_shown
from backend.contacts.tables import Contact, ContactFileRecord, ContactTag, Invitation, Tag
from backend.db import chunks, execute_many, write_transaction
from backend.errors import Conflict, FieldErrors, NotFound
from backend.files import read_file
from backend.validation import (
    clean_email,
    clean_links,
    clean_name,
    clean_notes,
    clean_tags,
)
from shared.activity import ActivityKind
from shared.contacts import (
    ContactCreate,
    ContactFile,
    ContactPublic,
    ContactSource,
    ContactStatus,
    ContactUpdate,
    EventKind,
)
from shared.invitations import InvitationState, InviteCreate
from shared.problems import FieldError


def search_text(name: str, email: str, tags: Iterable[str]) -> str:
    """What search-as-you-type matches: name, email and tags, lower-cased."""
    return " ".join([name.lower(), email, *tags])


def email_taken(email: str = "") -> Conflict:
    """The 409 for an email already in the company's pool."""
    return Conflict(
        code="email_taken",
        errors=[FieldError(field="email", message="This email is already in your Talent Pool.", code="email_taken")],
    )


async def _email_in_use(company_id: int, email: str, except_id: int | None = None) -> bool:
    query = Contact.exists().where((Contact.company == company_id) & (Contact.email == email))
    if except_id is not None:
        query = query.where(Contact.id != except_id)
    return await query


async def tag_ids_for(company_id: int, tags: list[str]) -> dict[str, int]:
    """Ids of the given tags, creating the missing ones (inside the caller's transaction)."""
    ids: dict[str, int] = {}
    for chunk in chunks(tags):
        existing = await Tag.select(Tag.id, Tag.name).where((Tag.company == company_id) & Tag.name.is_in(chunk))
        ids.update({row["name"]: row["id"] for row in existing})
    missing = [name for name in tags if name not in ids]
    if missing:
        await execute_many(
            "INSERT INTO tag (company, name) VALUES ({}, {}) ON CONFLICT DO NOTHING",
            [(company_id, name) for name in missing],
        )
        for chunk in chunks(missing):
            created = await Tag.select(Tag.id, Tag.name).where((Tag.company == company_id) & Tag.name.is_in(chunk))
            ids.update({row["name"]: row["id"] for row in created})
    return ids


async def set_contact_tags(company_id: int, contact_id: int, tags: list[str]) -> None:
    await ContactTag.delete().where(ContactTag.contact == contact_id)
    ids = await tag_ids_for(company_id, tags)
    if ids:
        await ContactTag.insert(*[ContactTag(contact=contact_id, tag=ids[name]) for name in tags])


async def tags_of(contact_ids: list[int]) -> dict[int, list[str]]:
    """Each contact's tags, alphabetically."""
    if not contact_ids:
        return {}
    rows = await ContactTag.select(ContactTag.contact, ContactTag.tag.name.as_alias("name")).where(
        ContactTag.contact.is_in(contact_ids)
    )
    tags: dict[int, list[str]] = {cid: [] for cid in contact_ids}
    for row in rows:
        tags[row["contact"]].append(row["name"])
    for names in tags.values():
        names.sort()
    return tags


def _links(value) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def _load(principal: Principal, contact_id: int) -> dict:
    row = (
        await Contact.select(
            *Contact.all_columns(exclude=[Contact.search_text]),
            Contact.created_by.name.as_alias("created_by_name"),
            Contact.worker.email_confirmed_at.as_alias("worker_confirmed_at"),
        )
        .where((Contact.id == contact_id) & (Contact.company == principal.company_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No such contact in your Talent Pool.", code="contact_not_found")
    return row


def _public(row: dict, tags: list[str]) -> ContactPublic:
    return ContactPublic(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        status=ContactStatus(row["status"]),
        source=ContactSource(row["source"]),
        tags=tags,
        links=_links(row["links"]),
        notes=row["notes"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_activity_at=row["last_activity_at"],
        created_by=row.get("created_by_name"),
        last_engagement=row["last_engagement"],
        last_engaged_at=row["last_engaged_at"],
        email_error=row["email_error"] if row["email_failed_at"] else "",
        email_failed_at=row["email_failed_at"],
        has_worker_account=worker_account_shown(row["status"], row["worker"]),
    )


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A contact's file with its bytes, as a download sends it."""

    filename: str
    content_type: str
    data: bytes


async def read_contact_file(principal: Principal, contact_id: int, file_id: int) -> StoredFile:
    """One file of a contact of the caller's company, with its bytes; any other is NotFound."""
    row = (
        await ContactFileRecord.select(
            ContactFileRecord.filename, ContactFileRecord.content_type, ContactFileRecord.storage_key
        )
        .where(
            (ContactFileRecord.id == file_id)
            & (ContactFileRecord.contact == contact_id)
            & (ContactFileRecord.company == principal.company_id)
        )
        .first()
    )
    if row is None:
        raise NotFound(detail="No such file.", code="file_not_found")
    data = await asyncio.to_thread(read_file, row["storage_key"])
    return StoredFile(filename=row["filename"], content_type=row["content_type"], data=data)


async def get_contact(principal: Principal, contact_id: int) -> ContactPublic:
    """One contact of the caller's company, with its files and open invitation."""
    row = await _load(principal, contact_id)
    contact = _public(row, (await tags_of([contact_id]))[contact_id])
    files = (
        await ContactFileRecord.select(
            ContactFileRecord.id,
            ContactFileRecord.filename,
            ContactFileRecord.content_type,
            ContactFileRecord.size,
            ContactFileRecord.uploaded_at,
        )
        .where(ContactFileRecord.contact == contact_id)
        .order_by(ContactFileRecord.id)
    )
    contact.files = [ContactFile(**f) for f in files]
    pending = (
        await Invitation.select(Invitation.expires_at)
        .where((Invitation.contact == contact_id) & (Invitation.state == InvitationState.PENDING.value))
        .first()
    )
    contact.invitation_expires_at = pending["expires_at"] if pending else None
    if contact.status is ContactStatus.INVITED:
        contact.invitation_email = (await invitation_deliveries(principal.company_id, [contact_id])).get(contact_id)
    if contact.status is ContactStatus.APPLIED:
        contact.email_confirmed = row["worker_confirmed_at"] is not None
    return contact


class ContactFields(msgspec.Struct, kw_only=True):
    """A contact's own fields after the rules have cleaned them."""

    name: str
    email: str
    tags: list[str]
    links: list[str]
    notes: str


def clean_contact_fields(data: ContactCreate | InviteCreate, errors: FieldErrors) -> ContactFields:
    """Apply the field rules to a new contact, collecting every error."""
    return ContactFields(
        name=clean_name(data.name, errors),
        email=clean_email(data.email, errors),
        tags=clean_tags(data.tags, errors),
        links=clean_links(data.links, errors),
        notes=clean_notes(data.notes, errors),
    )


async def insert_contact(
    principal: Principal,
    fields: ContactFields,
    status: ContactStatus,
    source: ContactSource,
    worker_id: int | None = None,
) -> int:
    """Insert a contact with its tags inside the caller's transaction; the email must be new to the company."""
    if await _email_in_use(principal.company_id, fields.email):
        raise email_taken()
    now = utcnow()
    contact = Contact(
        company=principal.company_id,
        name=fields.name,
        email=fields.email,
        status=status.value,
        source=source.value,
        links=json.dumps(fields.links),
        notes=fields.notes,
        search_text=search_text(fields.name, fields.email, fields.tags),
        created_by=principal.user_id,
        worker=worker_id,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    await contact.save()
    await set_contact_tags(principal.company_id, contact.id, fields.tags)
    return contact.id


async def create_contact(principal: Principal, data: ContactCreate) -> ContactPublic:
    """Add a contact to the caller's pool; the email must be new to this company."""
    errors = FieldErrors()
    fields = clean_contact_fields(data, errors)
    errors.raise_if_any()
    async with write_transaction():
        contact_id = await insert_contact(principal, fields, ContactStatus.NOT_INVITED, ContactSource.MANUAL)
        await record_event(principal.company_id, contact_id, EventKind.ADDED, principal.user_name)
        await record_activity(principal, ActivityKind.CONTACT_ADDED, contact_subject(fields.name, fields.email))
    return await get_contact(principal, contact_id)


async def update_contact(principal: Principal, contact_id: int, data: ContactUpdate) -> ContactPublic:
    """Change the given fields of one of the caller's contacts."""
    errors = FieldErrors()
    changes: dict = {}
    if data.name is not msgspec.UNSET:
        changes[Contact.name] = clean_name(data.name, errors)
    if data.email is not msgspec.UNSET:
        changes[Contact.email] = clean_email(data.email, errors)
    if data.links is not msgspec.UNSET:
        changes[Contact.links] = json.dumps(clean_links(data.links, errors))
    if data.notes is not msgspec.UNSET:
        changes[Contact.notes] = clean_notes(data.notes, errors)
    tags = clean_tags(data.tags, errors) if data.tags is not msgspec.UNSET else None
    errors.raise_if_any()
    async with write_transaction():
        row = await _load(principal, contact_id)
        email = changes.get(Contact.email, row["email"])
        if email != row["email"]:
            check_email_change(ContactStatus(row["status"]), row["worker"])
            if await _email_in_use(principal.company_id, email, except_id=contact_id):
                raise email_taken()
            # A worker account found by an unanswered request belongs to the old address.
            changes[Contact.worker] = None
        if tags is not None:
            await set_contact_tags(principal.company_id, contact_id, tags)
        else:
            tags = (await tags_of([contact_id]))[contact_id]
        now = utcnow()
        changes[Contact.search_text] = search_text(changes.get(Contact.name, row["name"]), email, tags)
        changes[Contact.updated_at] = now
        changes[Contact.last_activity_at] = now
        await Contact.update(changes).where((Contact.id == contact_id) & (Contact.company == principal.company_id))
        await record_event(principal.company_id, contact_id, EventKind.EDITED, principal.user_name)
        edited = [
            name for name in ("name", "email", "links", "notes", "tags") if getattr(data, name) is not msgspec.UNSET
        ]
        subject = contact_subject(changes.get(Contact.name, row["name"]), email)
        await record_activity(principal, ActivityKind.CONTACT_EDITED, subject, "Changed: " + ", ".join(edited))
    return await get_contact(principal, contact_id)
