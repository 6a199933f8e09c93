"""Test-data factories: companies with a signed-in user, and contacts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from backend.accounts import service as accounts
from backend.accounts.service import authenticate
from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts import service as contacts
from backend.contacts.rules import ANSWERED
from backend.contacts.tables import Contact
from backend.workers.tables import Worker
from shared.accounts import SignupCreate
from shared.contacts import ContactCreate, ContactPublic, ContactStatus
from shared.team import TeamRole

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


@dataclass
class CompanyFixture:
    """A company, its first user's session token and the principal it resolves to."""

    name: str
    email: str
    token: str
    principal: Principal

    @property
    def headers(self) -> dict[str, str]:
        """Authorization headers for HTTP tests."""
        return {"Authorization": f"Bearer {self.token}"}


async def make_company(name: str | None = None) -> CompanyFixture:
    """Sign up a fresh company and return its session."""
    n = next(_counter)
    name = name or f"Company {n}"
    email = f"owner{n}@company{n}.example"
    session = await accounts.sign_up(SignupCreate(company_name=name, name=f"Owner {n}", email=email, password=PASSWORD))
    principal = await authenticate(session.token)
    return CompanyFixture(name=name, email=email, token=session.token, principal=principal)


async def make_contact(
    company: CompanyFixture,
    name: str = "Ada Lovelace",
    email: str | None = None,
    tags: list[str] | None = None,
    status: ContactStatus = ContactStatus.ACTIVE,
) -> ContactPublic:
    """Add a contact to a company's pool, as it would stand after the flows brought it to `status`.

    The service adds it `not_invited`; other statuses are written straight to the table, with the
    worker account that answered behind the statuses only a person reaches.
    """
    email = email or f"contact{next(_counter)}@example.com"
    data = ContactCreate(name=name, email=email, tags=tags or [])
    contact = await contacts.create_contact(company.principal, data)
    if status is not ContactStatus.NOT_INVITED:
        worker_id = await make_worker(name, contact.email) if status in ANSWERED else None
        await Contact.update({Contact.status: status.value, Contact.worker: worker_id}).where(Contact.id == contact.id)
        contact = await contacts.get_contact(company.principal, contact.id)
    return contact


async def make_worker(name: str, email: str) -> int:
    """The worker account of an email, created (without a usable password) if there is none."""
    row = await Worker.select(Worker.id).where(Worker.email == email).first()
    if row is not None:
        return row["id"]
    worker = Worker(name=name, email=email, password_hash="!", email_confirmed_at=utcnow())
    await worker.save()
    return worker.id


async def invite_people(principal: Principal, people: list[tuple[str, str]]) -> dict[str, int]:
    """Invite (name, email) pairs new to the pool in one transaction, as a bulk send does; {email: contact id}."""
    from backend.contacts.service import ContactFields
    from backend.db import write_transaction
    from backend.invitations.service import queue_invitations
    from backend.invitations.writes import PreparedInvite

    invites = [
        PreparedInvite(fields=ContactFields(name=name, email=email, tags=[], links=[], notes=""), message="")
        for name, email in people
    ]
    async with write_transaction():
        return await queue_invitations(principal, invites)


async def make_teammate(company: CompanyFixture, role: TeamRole, name: str | None = None) -> CompanyFixture:
    """Add a signed-in teammate with `role` to a company (as an accepted team invitation leaves them)."""
    from backend.accounts.service import open_session_for
    from backend.accounts.tables import CompanyUser
    from backend.security import hash_password

    n = next(_counter)
    name = name or f"{role.value.title()} {n}"
    email = f"{role.value}{n}@{company.email.split('@')[1]}"
    user = CompanyUser(
        company=company.principal.company_id,
        name=name,
        email=email,
        password_hash=hash_password(PASSWORD),
        role=role.value,
    )
    await user.save()
    session = await open_session_for(user.id)
    principal = await authenticate(session.token)
    return CompanyFixture(name=company.name, email=email, token=session.token, principal=principal)
