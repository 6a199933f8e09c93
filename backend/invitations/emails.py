"""The emails of Flow 1, queued in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from backend.clock import utcnow
from backend.email.outbox import enqueue_emails
from backend.email.render import RenderedEmail, personalise, render_template
from backend.invitations.writes import account_names
from backend.settings import get_settings


def _expires_on() -> str:
    return (utcnow() + timedelta(days=get_settings().invitation_ttl_days)).strftime("%d %B %Y")


def invitation_template(kind: str, company_name: str, inviter: str, message: str, job_title: str = "") -> RenderedEmail:
    """The invitation (`kind` "invitation") or connection request email, with slots for name and link.

    `job_title` names a job offered with the invitation, which the person sees once they accept.
    """
    extra = {"expires_on": _expires_on()} if kind == "invitation" else {}
    return render_template(
        kind, company_name=company_name, inviter_name=inviter, message=message, job_title=job_title, **extra
    )


async def queue_invitation_emails(
    company_id: int,
    company_name: str,
    inviter: str,
    recipients: list[tuple[str, str, str, str | None]],
    job_titles: dict[str, str] | None = None,
    contact_ids: dict[str, int] | None = None,
) -> None:
    """Queue one email per (email, name, message, token): an invitation with its sign-up link when there
    is a token, else a connection request pointing to the worker login. `job_titles` ({email: title})
    mentions the job offered with an invitation; `contact_ids` ({email: contact id}) names each email's contact."""
    job_titles = job_titles or {}
    # A connection request goes to a worker account: greet them by the name on it.
    names = await account_names([email for email, _, _, token in recipients if not token])
    groups: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    links: dict[str, str] = {}
    for email, name, message, token in recipients:
        if token:
            links[email] = f"/invite/{token}"
            groups[("invitation", message, job_titles.get(email, ""))].append((email, name, links[email]))
        else:
            account_name = names.get(email, name)
            groups[("connection_request", message, job_titles.get(email, ""))].append(
                (email, account_name, "/worker/login")
            )
    for (kind, message, job_title), people in groups.items():
        template = invitation_template(kind, company_name, inviter, message, job_title)
        await enqueue_emails(
            [(personalise(template, name, link), address, name) for address, name, link in people],
            company_id=company_id,
            contacts=contact_ids,
            links=links,
        )
