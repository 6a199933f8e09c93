"""Worker accounts: login, sessions and the signed-in worker (their connections are in `backend.connections`)."""

from __future__ import annotations

from datetime import timedelta

from backend.accounts.service import InvalidCredentials
from backend.auth import WorkerPrincipal, locked_password_hash, session_ended
from backend.clock import utcnow
from backend.db import write_transaction
from backend.errors import NotAuthenticated
from backend.ratelimit import throttle
from backend.security import hash_token, new_token, plausible_token, verify_password_off_loop
from backend.settings import get_settings
from backend.validation import normalise_email
from backend.workers.tables import Worker, WorkerSession
from shared.invitations import WorkerLogin, WorkerPublic, WorkerSessionPublic

# The advisory lock key that makes writers of one email's worker account take turns.
WORKER_EMAIL_LOCK = "worker-email:{email}"


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
        raise session_ended()
    return WorkerPrincipal(
        worker_id=row["worker"], name=row["name"], session_id=row["id"], email_confirmed=row["confirmed_at"] is not None
    )


async def open_worker_session(worker_id: int, name: str, email: str, email_confirmed: bool) -> WorkerSessionPublic:
    """Start a session for a worker (inside the caller's transaction, if any)."""
    token, token_hash = new_token()
    expires_at = utcnow() + timedelta(hours=get_settings().session_ttl_hours)
    await WorkerSession(token_hash=token_hash, worker=worker_id, expires_at=expires_at).save()
    worker = WorkerPublic(id=worker_id, name=name, email=email, email_confirmed=email_confirmed)
    return WorkerSessionPublic(token=token, expires_at=expires_at, worker=worker)


async def log_in_worker(data: WorkerLogin, client: str = "") -> WorkerSessionPublic:
    """Check a worker's password and open a session; failed attempts count per client and account."""
    email = normalise_email(data.email)
    attempt = await throttle("worker-login", client, email)
    worker = await Worker.select().where(Worker.email == email).first()
    # Verified even without an account, so both answers take as long.
    if not await verify_password_off_loop(worker["password_hash"] if worker else None, data.password) or not worker:
        raise InvalidCredentials()
    async with write_transaction():
        # A reset or change that committed since the check ended this password: no session from it.
        if await locked_password_hash(Worker, worker["id"]) != worker["password_hash"]:
            raise InvalidCredentials()
        session = await open_worker_session(
            worker["id"], worker["name"], worker["email"], worker["email_confirmed_at"] is not None
        )
    await attempt.forgive()
    return session


async def end_worker_sessions(worker_id: int) -> None:
    """Revoke every live session of a worker (inside the caller's transaction, if any)."""
    await WorkerSession.update({WorkerSession.revoked_at: utcnow()}).where(
        (WorkerSession.worker == worker_id) & WorkerSession.revoked_at.is_null()
    )


async def log_out_worker(principal: WorkerPrincipal) -> None:
    """Revoke the worker's session."""
    await WorkerSession.update({WorkerSession.revoked_at: utcnow()}).where(WorkerSession.id == principal.session_id)


async def describe_worker(principal: WorkerPrincipal) -> WorkerPublic:
    """The signed-in worker."""
    row = (
        await Worker.select(Worker.id, Worker.name, Worker.email, Worker.email_confirmed_at)
        .where(Worker.id == principal.worker_id)
        .first()
    )
    if row is None:
        raise NotAuthenticated()
    return WorkerPublic(
        id=row["id"], name=row["name"], email=row["email"], email_confirmed=row["email_confirmed_at"] is not None
    )
