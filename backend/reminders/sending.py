"""The reminder pass: queue the due reminders of unanswered invitations, each exactly once.

Run by the periodic upkeep beside the outbox sender (`python -m backend send`, or a BFF with the
sender). Several may run at once: a reminder is claimed by one conditional UPDATE of the invitation's
`reminders_sent` (only while it is pending and below the reminder's number), in the transaction that
queues its email; a second pass's UPDATE matches nothing and sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.clock import utcnow
from backend.contacts.history import record_event
from backend.contacts.tables import Invitation
from backend.db import is_sqlite, write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.security import hash_token
from shared.contacts import EventKind
from shared.invitations import InvitationKind
from shared.reminders import ReminderSchedule, default_schedule

log = logging.getLogger(__name__)

# Invitations looked at per query; a pass goes on until none is due.
BATCH = 200
_INVITE_PREFIX = "/invite/"
_CONNECTION_LINK = "/worker/login"


@dataclass(frozen=True)
class _Due:
    invitation_id: int
    number: int
    # How many reminders the company's schedule sends in all.
    of: int


async def _schedules() -> list[tuple[ReminderSchedule, bool]]:
    """Every distinct schedule companies have set, and the default (True: for companies without a row)."""
    rows = await Invitation.raw(
        "SELECT DISTINCT reminders, first_after_days, second_after_days FROM reminder_schedule WHERE reminders > 0"
    )
    found = [(ReminderSchedule(**row), False) for row in rows]
    return [*found, (default_schedule(), True)]


@dataclass(frozen=True)
class _Slice:
    """Pending invitations of the companies with one schedule (`default`: those without a row) due reminder `number`."""

    schedule: ReminderSchedule
    default: bool
    number: int


async def _due(part: _Slice, now: datetime, after: tuple[Any, int] | None) -> list[tuple[Any, int]]:
    """(created_at, id) of the slice's invitations whose time for the reminder has come and which have not had
    it (or a later one), after `after` in (created_at, id) order: a range of the partial index
    `invitation_pending_created`."""
    days = part.schedule.first_after_days if part.number == 1 else part.schedule.second_after_days
    schedule = part.schedule
    if part.default:
        companies = "NOT EXISTS (SELECT 1 FROM reminder_schedule s WHERE s.company = i.company)"
        params: list[Any] = []
    else:
        companies = (
            "EXISTS (SELECT 1 FROM reminder_schedule s WHERE s.company = i.company AND s.reminders = {} "
            "AND s.first_after_days = {} AND s.second_after_days = {})"
        )
        params = [schedule.reminders, schedule.first_after_days, schedule.second_after_days]
    source = "invitation i INDEXED BY invitation_pending_created" if is_sqlite() else "invitation i"
    keyset = "" if after is None else "AND (i.created_at > {} OR (i.created_at = {} AND i.id > {})) "
    keys = [] if after is None else [after[0], after[0], after[1]]
    rows = await Invitation.raw(
        f"SELECT i.created_at, i.id FROM {source} WHERE i.state = 'pending' AND i.reminders_sent < {{}} "
        f"AND i.created_at <= {{}} {keyset}AND {companies} ORDER BY i.created_at, i.id LIMIT {BATCH}",
        part.number,
        now - timedelta(days=days),
        *keys,
        *params,
    )
    return [(row["created_at"], row["id"]) for row in rows]


async def _original_email(invitation: dict[str, Any]) -> tuple[str, str] | None:
    """(link, recipient's name) of the invitation's own email, or None when its link cannot be found.

    The link is taken from the email that carried it, and checked against the invitation's token hash:
    a reminder carries exactly the link the person already has.
    """
    kinds = "'invitation'" if invitation["kind"] == InvitationKind.SIGNUP.value else "'connection_request'"
    rows = await Invitation.raw(
        "SELECT to_name, link FROM outbox_email WHERE contact = {} AND company = {} "
        f"AND kind = {kinds} ORDER BY id DESC LIMIT 1",
        invitation["contact"],
        invitation["company"],
    )
    if not rows:
        return None
    name, link = rows[0]["to_name"], rows[0]["link"] or ""
    if invitation["kind"] != InvitationKind.SIGNUP.value:
        return _CONNECTION_LINK, name
    token = link.removeprefix(_INVITE_PREFIX)
    if not link.startswith(_INVITE_PREFIX) or invitation["token_hash"] != hash_token(token):
        return None
    return link, name


async def _claim(due: _Due, now: datetime) -> dict[str, Any] | None:
    """Take reminder `due.number` of a still pending, unexpired invitation: one conditional UPDATE, so of two
    passes only one matches (the other waits for its commit on PostgreSQL, then finds the count raised)."""
    rows = await Invitation.raw(
        "UPDATE invitation SET reminders_sent = {} WHERE id = {} AND state = 'pending' AND expires_at > {} "
        "AND reminders_sent < {} RETURNING id, company, contact, kind, token_hash, expires_at, created_by",
        due.number,
        due.invitation_id,
        now,
        due.number,
    )
    if not rows:
        return None
    invitation = rows[0]
    names = await Invitation.raw(
        "SELECT c.name AS company_name, u.name AS inviter, t.email FROM company c JOIN contact t ON t.id = {} "
        "LEFT JOIN company_user u ON u.id = {} WHERE c.id = {}",
        invitation["contact"],
        invitation["created_by"],
        invitation["company"],
    )
    return {**invitation, **names[0]}


def _expires_on(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.strftime("%d %B %Y")


async def _send_reminder(due: _Due, now: datetime) -> bool:
    """Claim and queue one reminder (inside the caller's transaction); False when another pass had it or it
    no longer applies."""
    invitation = await _claim(due, now)
    if invitation is None:
        return False
    original = await _original_email(invitation)
    if original is None:
        # Counted all the same, so the pass does not look at it again.
        log.warning("invitation %d: its link was not found; reminder %d not sent", invitation["id"], due.number)
        return False
    link, name = original
    kind = "invitation_reminder" if invitation["kind"] == InvitationKind.SIGNUP.value else "connection_reminder"
    email = render_email(
        kind,
        company_name=invitation["company_name"],
        inviter_name=invitation["inviter"] or invitation["company_name"],
        recipient_name=name,
        expires_on=_expires_on(invitation["expires_at"]),
        link=link,
    )
    contact_id = invitation["contact"]
    await enqueue_email(
        email, to_email=invitation["email"], to_name=name, company_id=invitation["company"], contact_id=contact_id
    )
    # Where a reminder is recorded: the contact's history (an activity log would record it here too).
    await record_event(invitation["company"], contact_id, EventKind.REMINDER_SENT, "", f"{due.number} of {due.of}")
    return True


async def send_due_reminders(now: datetime | None = None) -> int:
    """Queue every reminder due at `now` (the current time by default); returns how many were queued.

    Of an invitation's reminders only the latest due one goes (after a pause, not two at once).
    """
    now = now or utcnow()
    sent = 0
    for schedule, default in await _schedules():
        for number in range(schedule.reminders, 0, -1):
            part, after = _Slice(schedule, default, number), None
            while keys := await _due(part, now, after):
                async with write_transaction():
                    for _, invitation_id in keys:
                        sent += await _send_reminder(_Due(invitation_id, number, schedule.reminders), now)
                after = keys[-1]
    return sent
