"""The emails of Flow 1, queued in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from backend.database import utcnow
from backend.email.outbox import enqueue_emails
from backend.email.render import render_personalised
from backend.settings import get_settings


def _expires_on() -> str:
    return (utcnow() + timedelta(days=get_settings().invitation_ttl_days)).strftime("%d %B %Y")


async def queue_invitation_emails(
    company_id: int, company_name: str, inviter: str, recipients: list[tuple[str, str, str, str | None]]
) -> None:
    """Queue one email per (email, name, message, token): an invitation with its sign-up link when there
    is a token, else a connection request pointing to the worker login."""
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for email, name, message, token in recipients:
        if token:
            groups[("invitation", message)].append((email, name, f"/invite/{token}"))
        else:
            groups[("connection_request", message)].append((email, name, "/worker/login"))
    for (kind, message), people in groups.items():
        extra = {"expires_on": _expires_on()} if kind == "invitation" else {}
        rendered = render_personalised(
            kind, [(name, link) for _, name, link in people],
            company_name=company_name, inviter_name=inviter, message=message, **extra,
        )
        await enqueue_emails(
            [(email, address, name) for email, (address, name, _) in zip(rendered, people, strict=True)], company_id=company_id
        )
