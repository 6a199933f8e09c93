"""Generic invitation links, applicants and email confirmation on the wire."""

import enum
from datetime import date, datetime
from typing import Annotated

import msgspec

from shared.contacts import Email, Name, Tags
from shared.fields import Count, Moment, text, text_list
from shared.limits import PASSWORD_MAX, raw_input

Label = Annotated[str, text(400)]
Password = Annotated[str, text(raw_input(PASSWORD_MAX))]


class LinkCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new invitation link: a label and optional limits; `tags` are given to every applicant."""

    label: Label
    expires_at: Moment | None = None
    max_signups: Count | None = None
    allowed_domains: Annotated[list[Annotated[str, text(300)]], text_list(50, 300)] = []
    tags: Tags = []


class LinkCounts(msgspec.Struct, kw_only=True):
    """People who came through a link, by where they stand."""

    signups: int = 0
    # Applicants who confirmed their email: they can be approved.
    waiting: int = 0
    # Applicants who have not confirmed their email yet: they cannot be approved until they do.
    unconfirmed: int = 0
    approved: int = 0
    # The funnel: public page views, sign-ups who confirmed their email, rejections, and the median
    # hours from sign-up to approval (none until someone is approved).
    views: int = 0
    confirmed: int = 0
    rejected: int = 0
    median_hours_to_approval: float | None = None


class LinkDay(msgspec.Struct, kw_only=True):
    """One UTC day of a link: how often its page was opened, and how many signed up."""

    day: date
    views: int = 0
    signups: int = 0


class LinkPublic(msgspec.Struct, kw_only=True):
    """An invitation link as its company sees it, with the URL to share."""

    id: int
    label: str
    url: str
    expires_at: datetime | None
    max_signups: int | None
    allowed_domains: list[str]
    tags: list[str]
    created_at: datetime
    state: str
    counts: LinkCounts
    # The last 30 days, oldest first (empty for a link with no view or sign-up in them).
    days: list[LinkDay] = []


class LinkPreview(msgspec.Struct, kw_only=True):
    """What the public link page shows."""

    company_name: str
    label: str
    allowed_domains: list[str]


class LinkSignup(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Signing up through a link: a new worker account that applies at once."""

    name: Name
    email: Email
    password: Password


class ApplicationResult(msgspec.Struct, kw_only=True):
    """The outcome of applying through a link; a new account also gets a session."""

    company_name: str
    email_confirmed: bool
    token: str | None = None
    expires_at: datetime | None = None


class EmailConfirmed(msgspec.Struct, kw_only=True):
    """The outcome of a confirmation link."""

    email: str
    companies: list[str]


class ApplicantCounts(msgspec.Struct, kw_only=True):
    """Applicants through invitation links: those who can be approved and those still to confirm their email.

    Each count is exact when `exact`; otherwise counting stopped there.
    """

    waiting_for_approval: int
    waiting_for_confirmation: int
    exact: bool = True


class WaitingFor(enum.StrEnum):
    """What a worker's application through a link waits for."""

    EMAIL_CONFIRMATION = "email_confirmation"
    APPROVAL = "approval"


class WorkerApplication(msgspec.Struct, kw_only=True):
    """An application the worker made through a company's invitation link, not decided yet."""

    id: int
    company_name: str
    applied_at: datetime
    waiting_for: WaitingFor


class WorkerApplicationList(msgspec.Struct, kw_only=True):
    """The worker's pending applications, newest first."""

    items: list[WorkerApplication]
