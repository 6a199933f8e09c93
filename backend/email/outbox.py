"""Write rendered emails to the outbox, inside the caller's transaction."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from backend.bulk import insert_records
from backend.clock import utcnow
from backend.db import get_engine
from backend.email.render import RenderedEmail
from backend.email.tables import OutboxEmail, OutboxStatus, OutboxTemplate
from backend.settings import get_settings


class OutsideTransaction(RuntimeError):
    """enqueue_email was called without an open transaction."""


def _mail_domain() -> str:
    """The domain of the From address, for Message-IDs."""
    return _domain_of(get_settings().mail.mail_from)


@functools.lru_cache(maxsize=8)
def _domain_of(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    return address.rpartition("@")[2] or "talentpool.example"


def new_message_id() -> str:
    """A globally unique Message-ID, fixed when the email is written so retries keep it."""
    return f"<{secrets.token_hex(16)}@{_mail_domain()}>"


def new_message_ids(count: int) -> list[str]:
    """`count` globally unique Message-IDs: one random stem for all, numbered."""
    stem, domain = secrets.token_hex(16), _mail_domain()
    return [f"<{stem}.{index}@{domain}>" for index in range(count)]


def _header_safe(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must be one line")
    return value.strip()


async def enqueue_email(
    email: RenderedEmail,
    *,
    to_email: str,
    to_name: str = "",
    company_id: int | None = None,
    kind: str | None = None,
    send_after: datetime | None = None,
    contact_id: int | None = None,
) -> int:
    """Add one rendered email to the outbox; call it inside the `write_transaction()` of the change causing it.

    The email is then committed (or rolled back) together with that change. Returns its outbox id.
    `contact_id` names the contact it is written to, where a permanent failure will show.
    """
    if get_engine().current_transaction.get() is None:
        raise OutsideTransaction("enqueue_email must run inside the caller's write_transaction()")
    to_email = _header_safe(to_email, "to_email")
    if "@" not in to_email:
        raise ValueError(f"not an email address: {to_email!r}")
    now = utcnow()
    row = OutboxEmail(
        company=company_id,
        kind=kind or email.kind or "notification",
        to_email=to_email,
        to_name=_header_safe(to_name, "to_name"),
        subject=_header_safe(email.subject, "subject"),
        text_body=email.text,
        html_body=email.html,
        message_id=new_message_id(),
        status=OutboxStatus.PENDING.value,
        attempts=0,
        next_attempt_at=send_after or now,
        created_at=now,
        contact=contact_id,
    )
    await row.save()
    return row.id


# What each row given to the outbox writers holds: a rendered email's own body, or a templated
# email's recipient and link (its body is the template's).
_RENDERED_COLUMNS = (
    OutboxEmail.kind,
    OutboxEmail.to_email,
    OutboxEmail.to_name,
    OutboxEmail.subject,
    OutboxEmail.text_body,
    OutboxEmail.html_body,
    OutboxEmail.message_id,
    OutboxEmail.contact,
    OutboxEmail.link,
)
_TEMPLATED_COLUMNS = (
    OutboxEmail.kind,
    OutboxEmail.to_email,
    OutboxEmail.to_name,
    OutboxEmail.message_id,
    OutboxEmail.link,
    OutboxEmail.contact,
)


def _new_email(company_id: int | None, now: datetime) -> dict[Column, Any]:
    """What every email added to the outbox starts with: due now, never tried."""
    return {
        OutboxEmail.company: company_id,
        OutboxEmail.status: OutboxStatus.PENDING.value,
        OutboxEmail.attempts: 0,
        OutboxEmail.next_attempt_at: now,
        OutboxEmail.last_error: "",
        OutboxEmail.created_at: now,
    }


async def enqueue_emails(
    emails: list[tuple[RenderedEmail, str, str]],
    *,
    company_id: int | None = None,
    contacts: dict[str, int] | None = None,
    links: dict[str, str] | None = None,
) -> None:
    """Add many rendered emails, each (email, to_email, to_name), in one statement batch of the caller's transaction.

    `contacts` ({to_email: contact id}) names the contact each is written to; `links` ({to_email: link}) keeps
    the personal link an email carries (a reminder carries the same one).
    """
    contacts = contacts or {}
    links = links or {}
    if get_engine().current_transaction.get() is None:
        raise OutsideTransaction("enqueue_emails must run inside the caller's write_transaction()")
    now = utcnow()
    rows = []
    for email, to_email, to_name in emails:
        to_email = _header_safe(to_email, "to_email")
        if "@" not in to_email:
            raise ValueError(f"not an email address: {to_email!r}")
        rows.append(
            (
                email.kind or "notification",
                to_email,
                _header_safe(to_name, "to_name"),
                _header_safe(email.subject, "subject"),
                email.text,
                email.html,
                new_message_id(),
                contacts.get(to_email),
                links.get(to_email),
            )
        )
    await insert_records(OutboxEmail, _RENDERED_COLUMNS, rows, _new_email(company_id, now), copy=False)


async def save_template(template: RenderedEmail, *, company_id: int | None = None) -> int:
    """Store an email rendered with recipient slots (`render_template`) for `enqueue_from_template`."""
    row = OutboxTemplate(
        company=company_id,
        kind=template.kind or "notification",
        subject=template.subject,
        text_body=template.text,
        html_body=template.html,
    )
    await row.save()
    return row.id


async def enqueue_from_template(
    template_id: int,
    kind: str,
    recipients: list[tuple[str, str, str]],
    *,
    company_id: int | None = None,
    contacts: dict[str, int] | None = None,
) -> None:
    """Add one email per (to_email, to_name, link) sharing a stored template, in the caller's transaction.

    The sender personalises each at delivery, so a bulk send stores its body once, not per recipient.
    `contacts` ({to_email: contact id}) names the contact each is written to.
    """
    contacts = contacts or {}
    if get_engine().current_transaction.get() is None:
        raise OutsideTransaction("enqueue_from_template must run inside the caller's write_transaction()")
    now = utcnow()
    await insert_records(
        OutboxEmail,
        _TEMPLATED_COLUMNS,
        [
            (
                kind,
                _header_safe(to_email, "to_email"),
                _header_safe(to_name, "to_name"),
                message_id,
                link,
                contacts.get(to_email),
            )
            for (to_email, to_name, link), message_id in zip(recipients, new_message_ids(len(recipients)), strict=True)
        ],
        {
            **_new_email(company_id, now),
            OutboxEmail.template: template_id,
            OutboxEmail.subject: "",
            OutboxEmail.text_body: "",
            OutboxEmail.html_body: "",
        },
    )
