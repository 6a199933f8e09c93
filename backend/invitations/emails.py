"""The emails of Flow 1, queued in the caller's transaction."""

from __future__ import annotations

from datetime import timedelta

from backend.database import utcnow
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.settings import get_settings


def _expires_on() -> str:
    return (utcnow() + timedelta(days=get_settings().invitation_ttl_days)).strftime("%d %B %Y")


async def queue_invitation_email(
    company_id: int, company_name: str, inviter: str, email: str, name: str, message: str, token: str
) -> None:
    """The invitation with its personal sign-up link."""
    rendered = render_email(
        "invitation",
        company_name=company_name,
        inviter_name=inviter,
        recipient_name=name,
        message=message,
        link=f"/invite/{token}",
        expires_on=_expires_on(),
    )
    await enqueue_email(rendered, to_email=email, to_name=name, company_id=company_id)


async def queue_connection_request_email(
    company_id: int, company_name: str, inviter: str, email: str, name: str, message: str
) -> None:
    """The notification that a company asks an existing worker to connect."""
    rendered = render_email(
        "connection_request",
        company_name=company_name,
        inviter_name=inviter,
        recipient_name=name,
        message=message,
        link="/worker/login",
    )
    await enqueue_email(rendered, to_email=email, to_name=name, company_id=company_id)
