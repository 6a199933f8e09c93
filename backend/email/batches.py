"""What the outbox sender works with: its configuration, a claimed email, and what became of a batch."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Any

from backend.email.render import RenderedEmail, personalise
from backend.settings import MailSettings, get_settings


@dataclass(frozen=True, kw_only=True)
class SenderConfig:
    """How one sender connects and paces itself."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_tls: str = "none"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 30.0
    concurrency: int = 4
    mail_from: str = "Talent Pool <no-reply@talentpool.example>"
    batch_size: int = 100
    max_attempts: int = 8
    claim_lease: float = 60.0
    poll_interval: float = 0.5
    backoff_cap: float = 3600.0
    outage_pause_max: float = 30.0
    # Set: each email's envelope sender is its own signed bounce address at this domain (backend.email.verp).
    bounce_domain: str = ""

    @classmethod
    def from_settings(cls, mail: MailSettings | None = None, **overrides: Any) -> SenderConfig:
        """The configuration from TP_SMTP_* / TP_MAIL_* settings, with optional overrides."""
        mail = mail or get_settings().mail
        config = cls(
            smtp_host=mail.smtp_host,
            smtp_port=mail.smtp_port,
            smtp_tls=mail.smtp_tls,
            smtp_username=mail.smtp_username,
            smtp_password=mail.smtp_password,
            smtp_timeout=mail.smtp_timeout_seconds,
            concurrency=mail.smtp_concurrency,
            mail_from=mail.mail_from,
            batch_size=mail.batch_size,
            max_attempts=mail.max_attempts,
            claim_lease=mail.claim_lease_seconds,
            bounce_domain=mail.bounce_domain,
        )
        return dataclasses.replace(config, **overrides)


@dataclass(frozen=True)
class ClaimedEmail:
    """An outbox row this sender holds a claim on."""

    id: int
    to_email: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    attempts: int


def claimed_email(row: dict[str, Any], templates: dict[int, RenderedEmail]) -> ClaimedEmail:
    """A claimed outbox row; a bulk email's body is its template personalised for the recipient."""
    template_id, link = row.pop("template"), row.pop("link")
    if template_id is not None and template_id in templates:
        email = personalise(templates[template_id], row["to_name"], link or "/")
        row.update(subject=email.subject, text_body=email.text, html_body=email.html)
    return ClaimedEmail(**row)


@dataclass
class BatchResult:
    """What happened to one claimed batch."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    outage: bool = False


@dataclass
class Outcomes:
    sent: list[int] = field(default_factory=list)
    retry: list[tuple[ClaimedEmail, str, bool]] = field(default_factory=list)  # (email, error, connection-level)
    failed: list[tuple[int, str]] = field(default_factory=list)
    released: list[int] = field(default_factory=list)


def backoff_seconds(attempts: int, cap: float) -> float:
    """2^attempts seconds, capped, with ±20% jitter so retries of a burst spread out."""
    return min(cap, 2.0 ** min(attempts, 30)) * random.uniform(0.8, 1.2)
