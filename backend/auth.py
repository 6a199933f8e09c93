"""Who is calling: the signed-in company user (`Principal`) or worker (`WorkerPrincipal`), the guards that resolve them,
and the locked read of a password hash that keeps a log-in and a password change from crossing.

No Litestar import at run time: services take a principal without depending on the web framework.
Litestar resolves the `Request` annotation of the provide functions by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backend.db import is_sqlite
from backend.errors import EmailNotConfirmed, Forbidden, NotAuthenticated
from backend.security import plausible_token
from shared.team import TeamRole

if TYPE_CHECKING:
    from litestar import Request
    from litestar.connection import ASGIConnection
    from litestar.handlers import BaseRouteHandler

    from backend.accounts.tables import CompanyUser
    from backend.workers.tables import Worker


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in company user a request acts for."""

    user_id: int
    company_id: int
    user_name: str
    session_id: int
    role: TeamRole = TeamRole.MEMBER

    @property
    def is_owner(self) -> bool:
        """Whether the caller holds the Owner's rights (the company's name, Owners, the last word on the team)."""
        return self.role is TeamRole.OWNER

    @property
    def is_admin(self) -> bool:
        """Whether the caller may manage the team, invitation links and company settings (Owners and Admins)."""
        return self.role in (TeamRole.OWNER, TeamRole.ADMIN)


@dataclass(frozen=True, slots=True)
class WorkerPrincipal:
    """The signed-in worker a request acts for."""

    worker_id: int
    name: str
    session_id: int
    # Whether the account proved it owns its email; until then it sees nothing sent to that email.
    email_confirmed: bool = False

    def require_confirmed_email(self) -> None:
        """Refuse to act on anything addressed to the email until the account has proven it owns it."""
        if not self.email_confirmed:
            raise EmailNotConfirmed(
                detail="Confirm your email address first: open the link in the confirmation email we sent you."
            )


def session_ended() -> NotAuthenticated:
    """The 401 for a token whose session has expired, was revoked or never existed."""
    return NotAuthenticated(detail="Your session has ended. Log in again.", code="session_expired")


# The session look-ups live with the session tables (`accounts.service.authenticate`,
# `workers.service.authenticate_worker`), which build on this module; the app names them here
# once, at start (`use_session_lookups`), so the guards below can call them.
CompanySessionLookup = Callable[[str], Awaitable[Principal]]
WorkerSessionLookup = Callable[[str], Awaitable[WorkerPrincipal]]


@dataclass(slots=True)
class _SessionLookups:
    company: CompanySessionLookup | None = None
    worker: WorkerSessionLookup | None = None


_lookups = _SessionLookups()


def use_session_lookups(company: CompanySessionLookup, worker: WorkerSessionLookup) -> None:
    """Name the functions that find the live session behind a token (called once by the app at start)."""
    _lookups.company, _lookups.worker = company, worker


async def locked_password_hash(table: type[CompanyUser] | type[Worker], account_id: int) -> str | None:
    """The stored hash, read inside the caller's write transaction.

    On PostgreSQL the row is locked FOR SHARE: a concurrent password change either commits first (and
    this reads its new hash) or waits for the caller's commit (and then ends the session the caller
    opened). SQLite's write transactions are IMMEDIATE, one at a time, so the plain read is enough.
    """
    query = table.select(table.password_hash).where(table.id == account_id)
    if not is_sqlite():
        query = query.lock_rows("SHARE")
    row = await query.first()
    return row["password_hash"] if row else None


# The dependencies that resolve a session: a company user's (`principal`) or a worker's (`worker`).
SESSION_DEPENDENCIES = frozenset({"principal", "worker"})


def needs_session(handler: BaseRouteHandler) -> bool:
    """Whether the route resolves a company user's or a worker's session."""
    return bool(
        SESSION_DEPENDENCIES & set(handler.resolve_dependencies()) & set(handler.parsed_fn_signature.parameters)
    )


def role_rule(handler: BaseRouteHandler) -> str | None:
    """Which role a company user's route requires ("owner", "admin"), "session" for any teammate, None otherwise."""
    provide = handler.resolve_dependencies().get("principal")
    if provide is None or "principal" not in handler.parsed_fn_signature.parameters:
        return None
    rules = {provide_owner: "owner", provide_admin: "admin", provide_principal: "session"}
    return rules.get(provide.dependency, "session")


def bearer_token(request: ASGIConnection) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def provide_principal(request: Request) -> Principal:
    """Resolve the company user's session of the request or fail with 401."""
    token = bearer_token(request)
    if not plausible_token(token):
        raise NotAuthenticated()
    if _lookups.company is None:
        raise RuntimeError("no company session look-up: call use_session_lookups() when the app starts")
    return await _lookups.company(token)


def role_required(detail: str) -> Forbidden:
    """The 403 for a signed-in caller whose role does not allow the route."""
    return Forbidden(detail=detail, code="role_required")


ADMIN_ONLY = "Only owners and admins can do this."
OWNER_ONLY = "Only owners can do this."


async def provide_admin(request: Request) -> Principal:
    """Resolve the session of an Owner or Admin; 401 without a session, 403 `role_required` for a Member."""
    principal = await provide_principal(request)
    if not principal.is_admin:
        raise role_required(ADMIN_ONLY)
    return principal


async def provide_owner(request: Request) -> Principal:
    """Resolve the session of an Owner; 401 without a session, 403 `role_required` for anyone else."""
    principal = await provide_principal(request)
    if not principal.is_owner:
        raise role_required(OWNER_ONLY)
    return principal


async def provide_worker(request: Request) -> WorkerPrincipal:
    """Resolve the worker session of the request or fail with 401."""
    token = bearer_token(request)
    if not plausible_token(token):
        raise NotAuthenticated()
    if _lookups.worker is None:
        raise RuntimeError("no worker session look-up: call use_session_lookups() when the app starts")
    return await _lookups.worker(token)


# Route dependencies (Litestar wraps each provide function in `Provide`); handlers name them with
# `CurrentPrincipal` / `CurrentWorker` from `backend.http`.
REQUIRE_SESSION = {"principal": provide_principal}
# The same caller, for routes only some roles may use: the route names its rule in one place.
REQUIRE_ADMIN = {"principal": provide_admin}
REQUIRE_OWNER = {"principal": provide_owner}
REQUIRE_WORKER = {"worker": provide_worker}
