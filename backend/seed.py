"""Demo data: one company, its user and about 200 realistic contacts (only into an empty database)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from backend.accounts.tables import Company, CompanyUser
from backend.clock import utcnow
from backend.contacts.service import search_text
from backend.contacts.tables import Contact, ContactEvent, ContactTag, Invitation, Tag
from backend.db import write_transaction
from backend.jobs.tables import JobOffer
from backend.security import hash_password, new_token
from backend.workers.tables import Worker
from shared.contacts import ContactSource, ContactStatus, EventKind
from shared.invitations import InvitationKind, InvitationState
from shared.jobs import OfferStatus, RateUnit

DEMO_EMAIL = "demo@talentpool.example"
DEMO_PASSWORD = "demo-password-123"
DEMO_COMPANY = "Northwind Studio"
# Not an argon2 hash: no password ever matches it.
NO_PASSWORD = "!no-password"

FIRST_NAMES = (
    "Amelia Oliver Isla Noah Ava Leo Mia Lucas Freya Arthur Zoe Theo Maya Elias Nora Hugo Ines Omar Lena "
    "Mateo Sofia Yusuf Hannah Kai Priya Jonas Chloe Ravi Emma Liam Aisha Felix Clara Tomas Yara Daniel Eva "
    "Magnus Signe Astrid Mads Ida Aleksander Julie Sebastian Ingrid Kenji Aiko Diego Lucia Ngozi Tariq"
).split()
LAST_NAMES = (
    "Hansen Johansen Nielsen Jensen Pedersen Larsen Andersen Christensen Smith Jones Taylor Brown Williams "
    "Wilson Garcia Martinez Rossi Bianchi Müller Schmidt Dubois Laurent Novak Kowalski Okafor Mensah Silva "
    "Santos Tanaka Suzuki Kim Park Nguyen Patel Sharma Khan O'Brien Murphy Fischer Weber Lindqvist Berg"
).split()
SKILLS = (
    "python|react|typescript|figma|ux research|copywriting|seo|data analysis|sql|devops|aws|kubernetes|"
    "illustration|motion design|video editing|photography|product management|scrum|go|rust|django|"
    "flutter|ios|android|translation|accounting|legal|marketing|brand strategy|3d modelling"
).split("|")
STATUS_WEIGHTS = {
    ContactStatus.ACTIVE: 50,
    ContactStatus.NOT_INVITED: 6,
    ContactStatus.INVITED: 26,
    ContactStatus.APPLIED: 10,
    ContactStatus.DECLINED: 4,
    ContactStatus.REJECTED: 3,
    ContactStatus.EXPIRED: 4,
    ContactStatus.REVOKED: 3,
}
# Invited contacts whose email has a worker account (a connection request; the company sees `invited`).
REQUESTED_SHARE = 0.3
SOURCES = [ContactSource.EMAIL_INVITE, ContactSource.LINK, ContactSource.CSV]
NOTES = [
    "Delivered the spring campaign ahead of schedule.",
    "Prefers async communication; based in CET.",
    "Worked with us on the onboarding redesign.",
    "Recommended by the design team.",
    "",
    "",
]


def _email(first: str, last: str, n: int) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
    domain = random.choice(["gmail.com", "outlook.com", "proton.me", "fastmail.com", "studio.example"])
    return f"{local}{n if n else ''}@{domain}"


async def seed_demo(contacts: int = 200) -> bool:
    """Create the demo company unless the database already holds a company; True if seeded."""
    if await Company.count() > 0:
        return False
    rng = random.Random(7)
    random.seed(7)
    now = utcnow()
    async with write_transaction():
        company = Company(name=DEMO_COMPANY)
        await company.save()
        user = CompanyUser(
            company=company.id, name="Dana Demo", email=DEMO_EMAIL, password_hash=hash_password(DEMO_PASSWORD)
        )
        await user.save()
        await Tag.insert(*[Tag(company=company.id, name=skill) for skill in SKILLS])
        tag_ids = {
            row["name"]: row["id"] for row in await Tag.select(Tag.id, Tag.name).where(Tag.company == company.id)
        }
        seen: set[str] = set()
        for i in range(contacts):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = _email(first, last, 0)
            while email in seen:
                email = _email(first, last, rng.randint(2, 99))
            seen.add(email)
            tags = sorted(rng.sample(SKILLS, rng.randint(1, 4)))
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
            pending = status is ContactStatus.INVITED
            requested = pending and rng.random() < REQUESTED_SHARE
            created = now - timedelta(days=rng.randint(1, 10 if pending else 400), minutes=rng.randint(0, 1440))
            activity = min(now, created + timedelta(days=rng.randint(0, 60)))
            name = f"{first} {last}"
            worker_id = await _worker_for(status, requested, name, email, created, rng)
            contact = Contact(
                company=company.id,
                name=name,
                email=email,
                status=status.value,
                source=_source_for(status, requested, rng).value,
                worker=worker_id,
                links=json.dumps([f"https://portfolio.example/{first.lower()}-{last.lower()}"] if i % 3 == 0 else []),
                notes=rng.choice(NOTES),
                search_text=search_text(name, email, tags),
                created_by=user.id,
                created_at=created,
                updated_at=activity,
                last_activity_at=activity,
            )
            await contact.save()
            await ContactTag.insert(*[ContactTag(contact=contact.id, tag=tag_ids[t]) for t in tags])
            await _invitation_for(status, requested, company.id, contact.id, email, user.id, created)
        await _jobs_for(company.id, user.id, now)
    return True


async def _jobs_for(company_id: int, user_id: int, now) -> None:
    """One past job the first active contact was hired for (so they can be re-hired), and one open offer."""
    active = (
        await Contact.select(Contact.id, Contact.name)
        .where(
            (Contact.company == company_id)
            & (Contact.status == ContactStatus.ACTIVE.value)
            & Contact.worker.is_not_null()
        )
        .order_by(Contact.id)
        .limit(2)
    )
    if len(active) < 2:
        return
    (hired, offered), sent = active, now - timedelta(days=90)
    jobs = [
        (
            hired["id"],
            "Website redesign",
            OfferStatus.ACCEPTED,
            sent,
            sent + timedelta(days=2),
            9_500,
            RateUnit.HOUR,
            True,
            "",
        ),
        (
            offered["id"],
            "Spring campaign visuals",
            OfferStatus.OFFERED,
            now - timedelta(days=1),
            None,
            4_000_00,
            RateUnit.PROJECT,
            False,
            "Copenhagen",
        ),
    ]
    for contact_id, title, status, offered_at, answered_at, rate_cents, unit, remote, location in jobs:
        await JobOffer(
            company=company_id,
            contact=contact_id,
            title=title,
            description="",
            start_date=(offered_at + timedelta(days=14)).date(),
            end_date=(offered_at + timedelta(days=60)).date(),
            rate_cents=rate_cents,
            rate_unit=unit.value,
            currency="EUR",
            remote=remote,
            location=location,
            status=status.value,
            created_by=user_id,
            created_at=offered_at,
            offered_at=offered_at,
            answered_at=answered_at,
        ).save()
        await ContactEvent(
            company=company_id,
            contact=contact_id,
            kind=EventKind.OFFER_SENT.value,
            actor="Dana Demo",
            detail=title,
            created_at=offered_at,
        ).save()
    await ContactEvent(
        company=company_id,
        contact=hired["id"],
        kind=EventKind.OFFER_ACCEPTED.value,
        actor=hired["name"],
        detail=jobs[0][1],
        created_at=jobs[0][4],
    ).save()
    await Contact.update({Contact.last_engagement: jobs[0][1], Contact.last_engaged_at: jobs[0][4]}).where(
        Contact.id == hired["id"]
    )


# Statuses that mean a worker account exists behind the contact.
_HAS_WORKER = {ContactStatus.ACTIVE, ContactStatus.DECLINED, ContactStatus.APPLIED, ContactStatus.REJECTED}
_INVITATION_STATE = {
    ContactStatus.INVITED: InvitationState.PENDING,
    ContactStatus.EXPIRED: InvitationState.EXPIRED,
    ContactStatus.REVOKED: InvitationState.REVOKED,
    ContactStatus.DECLINED: InvitationState.DECLINED,
}


def _source_for(status: ContactStatus, requested: bool, rng: random.Random) -> ContactSource:
    if status is ContactStatus.NOT_INVITED:
        return ContactSource.MANUAL
    if status in (ContactStatus.APPLIED, ContactStatus.REJECTED):
        return ContactSource.LINK
    if requested or status is ContactStatus.DECLINED:
        return ContactSource.EMAIL_INVITE
    return rng.choice(SOURCES)


async def _worker_for(
    status: ContactStatus, requested: bool, name: str, email: str, created, rng: random.Random
) -> int | None:
    """A worker account for contacts that must have one; it has no password, so nobody can log in as it."""
    if status not in _HAS_WORKER and not requested:
        return None
    confirmed = None if status is ContactStatus.APPLIED and rng.random() < 0.4 else created
    worker = Worker(name=name, email=email, password_hash=NO_PASSWORD, email_confirmed_at=confirmed)
    await worker.save()
    return worker.id


async def _invitation_for(
    status: ContactStatus, requested: bool, company_id: int, contact_id: int, email: str, user_id: int, created
) -> None:
    """The invitation behind an invited (or requested), expired, revoked or declined contact."""
    state = _INVITATION_STATE.get(status)
    if state is None:
        return
    kind = InvitationKind.CONNECTION if requested or status in _HAS_WORKER else InvitationKind.SIGNUP
    await Invitation(
        company=company_id,
        contact=contact_id,
        email=email,
        kind=kind.value,
        state=state.value,
        token_hash=None if kind is InvitationKind.CONNECTION else new_token()[1],
        message="We'd love to work with you again.",
        created_by=user_id,
        created_at=created,
        expires_at=created + timedelta(days=14),
        ended_at=None if state is InvitationState.PENDING else created + timedelta(days=1),
    ).save()
