"""Who is calling: the signed-in company user (`Principal`) or worker (`WorkerPrincipal`), the guards that resolve them,
and the locked read of a password hash that keeps a log-in and a password change from crossing.

No Litestar import at run time: services take a principal without depending on the web framework.
Litestar resolves the `Request` annotation of the provide functions by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from piccolo.table import Table

from backend.accounts.tables import UserSession
from backend.clock import utcnow
from backend.db import is_sqlite
from backend.errors import EmailNotConfirmed, NotAuthenticated
from backend.security import hash_token, plausible_token
from backend.workers.tables import WorkerSession

if TYPE_CHECKING:
    from litestar import Request
    from litestar.connection import ASGIConnection
    from litestar.handlers import BaseRouteHandler


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in company user a request acts for."""

    user_id: int
    company_id: int
    user_name: str
    session_id: int


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


def _session_ended() -> NotAuthenticated:
    return NotAuthenticated(detail="Your session has ended. Log in again.", code="session_expired")


async def authenticate(token: str | None) -> Principal:
    """The principal behind a live session token, or NotAuthenticated."""
    if not plausible_token(token):
        raise NotAuthenticated()
    row = (
        await UserSession.select(
            UserSession.id, UserSession.user, UserSession.company, UserSession.user.name.as_alias("user_name")
        )
        .where(
            (UserSession.token_hash == hash_token(token))
            & UserSession.revoked_at.is_null()
            & (UserSession.expires_at > utcnow())
        )
        .first()
    )
    if row is None:
        raise _session_ended()
    return Principal(user_id=row["user"], company_id=row["company"], user_name=row["user_name"], session_id=row["id"])


async def authenticate_worker(token: str | None) -> WorkerPrincipal:
    """The worker behind a live session token, or NotAuthenticated."""
    if not plausible_token(token):
        raise NotAuthenticated()
    row = (
        await WorkerSession.select(
            WorkerSession.id,
            WorkerSession.worker,
            WorkerSession.worker.name.as_alias("name"),
            WorkerSession.worker.email_confirmed_at.as_alias("confirmed_at"),
        )
        .where(
            (WorkerSession.token_hash == hash_token(token))
            & WorkerSession.revoked_at.is_null()
            & (WorkerSession.expires_at > utcnow())
        )
        .first()
    )
    if row is None:
        raise _session_ended()
    return WorkerPrincipal(
        worker_id=row["worker"], name=row["name"], session_id=row["id"], email_confirmed=row["confirmed_at"] is not None
    )


async def locked_password_hash(table: type[Table], account_id: int) -> str | None:
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


def bearer_token(request: ASGIConnection) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def provide_principal(request: Request) -> Principal:
    """Resolve the company user's session of the request or fail with 401."""
    return await authenticate(bearer_token(request))


async def provide_worker(request: Request) -> WorkerPrincipal:
    """Resolve the worker session of the request or fail with 401."""
    return await authenticate_worker(bearer_token(request))


# Route dependencies (Litestar wraps each provide function in `Provide`); handlers name them with
# `CurrentPrincipal` / `CurrentWorker` from `backend.http`.
REQUIRE_SESSION = {"principal": provide_principal}
REQUIRE_WORKER = {"worker": provide_worker}
