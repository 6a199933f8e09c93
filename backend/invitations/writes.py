"""The one write path for invitations: a single invite, a resend and a 300,000-row CSV import all
write their contacts, tags, invitations and history lines here, in statement batches.

Column lists come from the tables' definitions (`insert_records`): a column added to a table
takes its default here without any change.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import msgspec

from backend.auth import Principal
from backend.bulk import fetch_any, insert_records, keep_statistics_current
from backend.clock import utcnow
from backend.contacts.service import ContactFields, search_text, tag_ids_for
from backend.contacts.tables import Contact, ContactEvent, ContactTag, Invitation
from backend.db import chunks, is_sqlite, reserve_ids
from backend.jobs.offers import OfferFields
from backend.security import new_tokens
from backend.settings import get_settings
from shared.contacts import ContactSource, ContactStatus, EventKind
from shared.invitations import InvitationKind, InvitationState

_SIGNUP, _CONNECTION = InvitationKind.SIGNUP.value, InvitationKind.CONNECTION.value
# On SQLite contacts go in parts, so SQLite starts writing the first while Python builds the rest.
SQLITE_CONTACTS_PER_PART = 2_000


class PreparedInvite(msgspec.Struct, kw_only=True):
    """One invitation whose fields already passed the rules."""

    fields: ContactFields
    message: str
    # "Invite and offer job": the offer the person sees once they accept.
    offer: OfferFields | None = None


class WrittenInvitations(msgspec.Struct, kw_only=True):
    """What `write_invitations` created: contact ids, sign-up tokens and which emails are worker accounts."""

    ids: dict[str, int]
    tokens: dict[str, str]
    workers: dict[str, int]

    def link(self, email: str) -> str:
        """The path the person's email links to: their sign-up page, or the worker login."""
        return f"/invite/{self.tokens[email]}" if email in self.tokens else "/worker/login"


# What each row given to `insert_invitations` holds, in order; the kind is an `InvitationKind` value
# and the token's hash is None for a connection request.
INVITATION_COLUMNS = (Invitation.contact, Invitation.email, Invitation.kind, Invitation.token_hash, Invitation.message)


def invitation_expiry() -> datetime:
    """When an invitation sent now expires."""
    return utcnow() + timedelta(days=get_settings().invitation_ttl_days)


async def taken_emails(company_id: int, emails: list[str]) -> set[str]:
    """Which of these emails are already in the company's pool."""
    rows = await fetch_any(f"SELECT email FROM contact WHERE company = {int(company_id)} AND email IN ({{}})", emails)
    return {row["email"] for row in rows}


async def confirmed_workers(emails: list[str]) -> dict[str, int]:
    """{email: worker id} of the worker accounts that proved they own these emails.

    Only such an account gets a connection request; anyone else gets the invitation link, which
    proves it (and takes over an unproven account of that email).
    """
    sql = "SELECT id, email FROM worker WHERE email_confirmed_at IS NOT NULL AND email IN ({})"
    return {row["email"]: row["id"] for row in await fetch_any(sql, emails)}


async def account_names(emails: list[str]) -> dict[str, str]:
    """{email: name on the account} of the worker accounts that proved they own these emails.

    A connection request greets the person by the name they chose, not the one a company typed.
    """
    if not emails:
        return {}
    sql = "SELECT email, name FROM worker WHERE email_confirmed_at IS NOT NULL AND email IN ({})"
    return {row["email"]: row["name"] for row in await fetch_any(sql, emails)}


async def insert_invitations(principal: Principal, rows: list[tuple], now: datetime) -> None:
    """Write pending invitations (rows of `INVITATION_COLUMNS`) from the caller's company and user.

    Runs inside the caller's transaction.
    """
    await insert_records(
        Invitation,
        INVITATION_COLUMNS,
        rows,
        {
            Invitation.company: principal.company_id,
            Invitation.state: InvitationState.PENDING.value,
            Invitation.created_by: principal.user_id,
            Invitation.created_at: now,
            Invitation.expires_at: invitation_expiry(),
        },
    )


async def _insert_contacts(
    principal: Principal,
    invites: list[PreparedInvite],
    source: ContactSource,
    ids: dict[str, int],
    workers: dict[str, int],
    now: datetime,
) -> None:
    """The new contacts, `invited` to the company whichever kind of invitation they get."""
    shared = {
        Contact.company: principal.company_id,
        Contact.status: ContactStatus.INVITED.value,
        Contact.source: source.value,
        Contact.created_by: principal.user_id,
        Contact.created_at: now,
        Contact.updated_at: now,
        Contact.last_activity_at: now,
    }
    columns = (
        Contact.id,
        Contact.name,
        Contact.email,
        Contact.links,
        Contact.notes,
        Contact.search_text,
        Contact.worker,
    )
    # On SQLite in parts, so SQLite starts writing the first while Python builds the rest; on
    # PostgreSQL one COPY (each costs a round trip to learn the columns' types).
    for part in chunks(invites, SQLITE_CONTACTS_PER_PART if is_sqlite() else max(len(invites), 1)):
        rows = [
            (
                ids[f.email],
                f.name,
                f.email,
                json.dumps(f.links) if f.links else "[]",
                f.notes,
                search_text(f.name, f.email, f.tags),
                workers.get(f.email),
            )
            for f in (invite.fields for invite in part)
        ]
        await insert_records(Contact, columns, rows, shared)
    await keep_statistics_current("contact", len(invites))


async def write_invitations(
    principal: Principal, invites: list[PreparedInvite], source: ContactSource, event_detail: str = ""
) -> WrittenInvitations:
    """Create contacts, tags, invitations and history for people new to the pool, inside the caller's transaction.

    New emails get a sign-up invitation (a token); emails of existing workers a connection request.
    Both read `invited` to the company, with the same history line, until the person answers.
    Works in statement batches, so thousands cost about as much as a handful of single inserts.
    Emails are the caller's to queue.
    """
    emails = [invite.fields.email for invite in invites]
    workers = await confirmed_workers(emails)
    ids = dict(zip(emails, await reserve_ids("contact", len(invites)), strict=True))
    tag_ids = await tag_ids_for(principal.company_id, sorted({tag for i in invites for tag in i.fields.tags}))
    now = utcnow()
    # Only writes from here on: on SQLite they are sent without waiting, so Python builds the
    # next statement's rows while SQLite writes the last.
    await _insert_contacts(principal, invites, source, ids, workers, now)
    await insert_records(
        ContactTag,
        (ContactTag.contact, ContactTag.tag),
        [(ids[i.fields.email], tag_ids[tag]) for i in invites for tag in i.fields.tags],
    )
    newcomers = [email for email in emails if email not in workers]
    tokens = dict(zip(newcomers, new_tokens(len(newcomers)), strict=True))
    await insert_invitations(
        principal,
        [
            (
                ids[i.fields.email],
                i.fields.email,
                _CONNECTION if i.fields.email in workers else _SIGNUP,
                tokens[i.fields.email][1] if i.fields.email in tokens else None,
                i.message,
            )
            for i in invites
        ],
        now,
    )
    await insert_records(
        ContactEvent,
        (ContactEvent.contact,),
        [(ids[email],) for email in emails],
        {
            ContactEvent.company: principal.company_id,
            ContactEvent.kind: EventKind.INVITATION_SENT.value,
            ContactEvent.actor: principal.user_name,
            ContactEvent.detail: event_detail,
            ContactEvent.created_at: now,
        },
    )
    return WrittenInvitations(ids=ids, tokens={email: token for email, (token, _) in tokens.items()}, workers=workers)
