"""The reminder pass: queue the due reminders of unanswered invitations, each exactly once.

Run by the periodic upkeep beside the outbox sender (`python -m backend send`, or a BFF with the
sender). Several may run at once: a reminder is claimed by one conditional UPDATE of the invitation's
`reminders_sent` (only while it is pending and below the reminder's number), in the transaction that
queues its email and writes its history line; a second pass's UPDATE matches nothing and sends nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.activity.service import record_company_activity
from backend.bulk import insert_records
from backend.clock import utcnow
from backend.contacts.tables import ContactEvent, Invitation
from backend.db import is_sqlite, placeholders, raw_datetime, write_transaction
from backend.email.outbox import enqueue_emails
from backend.email.render import RenderedEmail, personalise, render_template
from backend.security import hash_token
from shared.activity import ActivityKind
from shared.contacts import EventKind
from shared.invitations import InvitationKind
from shared.reminders import ReminderSchedule, default_schedule

log = logging.getLogger(__name__)

# Invitations looked at per query; a pass goes on until none is due.
BATCH = 200
_INVITE_PREFIX = "/invite/"
_CONNECTION_LINK = "/worker/login"


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


# Each claimed invitation with what its reminder needs: names, the address, and its own email's link.
_DETAILS = (
    "SELECT i.id, i.company, i.contact, i.kind, i.token_hash, i.expires_at, co.name AS company_name, "
    "u.name AS inviter, c.email, o.to_name, o.link FROM invitation i "
    "JOIN company co ON co.id = i.company JOIN contact c ON c.id = i.contact "
    "LEFT JOIN company_user u ON u.id = i.created_by "
    "LEFT JOIN outbox_email o ON o.id = (SELECT MAX(e.id) FROM outbox_email e WHERE e.contact = i.contact "
    "AND e.company = i.company AND e.kind = CASE WHEN i.kind = 'signup' THEN 'invitation' "
    "ELSE 'connection_request' END) WHERE i.id IN ({ids})"
)


async def _claim(ids: list[int], number: int, now: datetime) -> list[int]:
    """Take reminder `number` of those invitations still pending, unexpired and below it: one conditional UPDATE,
    so of two passes only one takes each (on PostgreSQL the other waits for its commit, then finds the count
    raised). Returns the ids taken."""
    rows = await Invitation.raw(
        f"UPDATE invitation SET reminders_sent = {{}} WHERE id IN ({placeholders(len(ids))}) AND state = 'pending' "
        "AND expires_at > {} AND reminders_sent < {} RETURNING id",
        number,
        *ids,
        now,
        number,
    )
    return [row["id"] for row in rows]


def _original_link(invitation: dict[str, Any]) -> str | None:
    """The link of the invitation's own email, checked against its token hash; None when it cannot be found.

    A reminder carries exactly the link the person already has; a connection request's points to the log-in.
    """
    if invitation["kind"] != InvitationKind.SIGNUP.value:
        return _CONNECTION_LINK
    link = invitation["link"] or ""
    token = link.removeprefix(_INVITE_PREFIX)
    if not link.startswith(_INVITE_PREFIX) or invitation["token_hash"] != hash_token(token):
        return None
    return link


def _expires_on(value: Any) -> str:
    return raw_datetime(value).strftime("%d %B %Y")


class _Reminders:
    """The reminder emails and history lines of one batch, each email rendered once per company and wording."""

    def __init__(self, number: int, of: int) -> None:
        self.number, self.of = number, of
        self.templates: dict[tuple[str, ...], RenderedEmail] = {}
        self.emails: dict[int, list[tuple[RenderedEmail, str, str]]] = defaultdict(list)
        self.contacts: dict[int, dict[str, int]] = defaultdict(dict)
        self.events: list[tuple[int, int, str, str, str]] = []

    def add(self, invitation: dict[str, Any]) -> bool:
        link = _original_link(invitation)
        if link is None:
            # Counted all the same, so the pass does not look at it again.
            log.warning("invitation %d: its link was not found; reminder %d not sent", invitation["id"], self.number)
            return False
        kind = "invitation_reminder" if invitation["kind"] == InvitationKind.SIGNUP.value else "connection_reminder"
        inviter = invitation["inviter"] or invitation["company_name"]
        expires_on = _expires_on(invitation["expires_at"])
        key = (kind, invitation["company_name"], inviter, expires_on)
        if key not in self.templates:
            self.templates[key] = render_template(
                kind, company_name=invitation["company_name"], inviter_name=inviter, expires_on=expires_on
            )
        name, company = invitation["to_name"] or "", invitation["company"]
        self.emails[company].append((personalise(self.templates[key], name, link), invitation["email"], name))
        self.contacts[company][invitation["email"]] = invitation["contact"]
        detail = f"{self.number} of {self.of}"
        self.events.append((company, invitation["contact"], EventKind.REMINDER_SENT.value, "", detail))
        return True

    async def queue(self) -> None:
        """Write the emails to the outbox and the lines to the history (inside the caller's transaction)."""
        for company, emails in self.emails.items():
            await enqueue_emails(emails, company_id=company, contacts=self.contacts[company])
            # One line per company and batch in the activity log (sent by the product, so no teammate).
            subject = emails[0][1] if len(emails) == 1 else f"{len(emails):,} invitations"
            await record_company_activity(
                company, ActivityKind.REMINDER_SENT, subject, f"Reminder {self.number} of {self.of}"
            )
        # Each reminder is a line of its contact's history.
        columns = (
            ContactEvent.company,
            ContactEvent.contact,
            ContactEvent.kind,
            ContactEvent.actor,
            ContactEvent.detail,
        )
        await insert_records(ContactEvent, columns, self.events, copy=False)


async def _send_batch(ids: list[int], number: int, of: int, now: datetime) -> int:
    """Claim and queue the reminders of a batch in one transaction; returns how many were queued."""
    async with write_transaction():
        claimed = await _claim(ids, number, now)
        if not claimed:
            return 0
        reminders = _Reminders(number, of)
        sent = sum(
            reminders.add(row)
            for row in await Invitation.raw(_DETAILS.format(ids=placeholders(len(claimed))), *claimed)
        )
        await reminders.queue()
    return sent


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
                sent += await _send_batch([key[1] for key in keys], number, schedule.reminders, now)
                after = keys[-1]
    return sent
