"""Forgotten passwords (a single-use emailed link, 1 hour) and password changes, for company users and workers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from backend.accounts.service import open_session_for
from backend.accounts.tables import Company, CompanyUser, UserSession
from backend.auth import locked_password_hash
from backend.clock import utcnow
from backend.db import write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, Gone, ValidationFailed
from backend.passwords.tables import PasswordReset
from backend.ratelimit import throttle
from backend.rows import present
from backend.security import hash_password_off_loop, hash_token, new_token, plausible_token, verify_password_off_loop
from backend.settings import get_settings
from backend.validation import check_password, clean_email
from backend.workers.service import open_worker_session
from backend.workers.tables import Worker, WorkerSession
from shared.accounts import SessionPublic
from shared.invitations import WorkerSessionPublic
from shared.passwords import PasswordChange, PasswordResetComplete, PasswordResetRequest, ResetRequested
from shared.problems import FieldError

RESET_TTL = timedelta(hours=1)
SessionT = TypeVar("SessionT", SessionPublic, WorkerSessionPublic)
LINK_INVALID = "This link to set a new password has expired or was already used. Ask for a new one."
RESET_ANSWER = (
    "If an account uses this email, we have sent it a link to set a new password. "
    "The link works for 1 hour; check your spam folder if it does not arrive."
)


class ResetLinkInvalid(Gone):
    """The reset link is unknown, used or expired: all look the same."""

    code = "reset_link_invalid"
    title = "This link no longer works"


async def _open_worker_session_after_reset(worker_id: int) -> WorkerSessionPublic:
    """Only the email's owner could open the reset link: the email counts as proven from now on."""
    await Worker.update({Worker.email_confirmed_at: utcnow()}).where(
        (Worker.id == worker_id) & Worker.email_confirmed_at.is_null()
    )
    worker = present(await Worker.select(Worker.name, Worker.email).where(Worker.id == worker_id).first(), "the worker")
    return await open_worker_session(worker_id, worker["name"], worker["email"], email_confirmed=True)


@dataclass(frozen=True)
class AccountKind(Generic[SessionT]):
    """Where one kind of account keeps its password, sessions and reset links, and how a reset signs it in."""

    name: str
    table: type[CompanyUser] | type[Worker]
    sessions: type[UserSession] | type[WorkerSession]
    session_owner: str
    reset_owner: str
    reset_path: str
    # Opens the session a completed reset answers with (inside the reset's transaction).
    open_session: Callable[[int], Awaitable[SessionT]]


COMPANY_USER = AccountKind[SessionPublic](
    "company", CompanyUser, UserSession, "user", "company_user", "/reset-password/", open_session_for
)
WORKER = AccountKind[WorkerSessionPublic](
    "worker", Worker, WorkerSession, "worker", "worker", "/worker/reset-password/", _open_worker_session_after_reset
)


async def request_reset(kind: AccountKind[SessionT], data: PasswordResetRequest, client: str) -> ResetRequested:
    """Email a reset link if the address has an account; the answer is the same either way."""
    email = clean_email(data.email, errors := FieldErrors())
    errors.raise_if_any()
    await throttle(f"{kind.name}-reset", client, email, account_limit=get_settings().reset_email_limit)
    account = await kind.table.select().where(kind.table.email == email).first()
    # A teammate removed from their company has no account to recover.
    if account is not None and account.get("removed_at") is None:
        await _send_reset_link(kind, account)
    return ResetRequested(detail=RESET_ANSWER)


async def _send_reset_link(kind: AccountKind[SessionT], account: dict) -> None:
    company_name = "Talent Pool"
    if kind is COMPANY_USER:
        company = await Company.select(Company.name).where(Company.id == account["company"]).first()
        company_name = company["name"] if company else company_name
    token, token_hash = new_token()
    rendered = render_email(
        "password_reset", company_name=company_name, recipient_name=account["name"], link=f"{kind.reset_path}{token}"
    )
    async with write_transaction():
        await PasswordReset(
            token_hash=token_hash, expires_at=utcnow() + RESET_TTL, **{kind.reset_owner: account["id"]}
        ).save()
        await enqueue_email(rendered, to_email=account["email"], to_name=account["name"])


def _live_link(kind: AccountKind[SessionT], token_hash: str):
    owner = getattr(PasswordReset, kind.reset_owner)
    return (
        (PasswordReset.token_hash == token_hash)
        & PasswordReset.used_at.is_null()
        & (PasswordReset.expires_at > utcnow())
        & owner.is_not_null()
    )


async def complete_reset(kind: AccountKind[SessionT], data: PasswordResetComplete, client: str) -> SessionT:
    """Set the new password, end every session and reset link of the account, and sign the person in.

    For a worker this also proves the email: only its owner could open the link.
    """
    await throttle(f"{kind.name}-reset-complete", client, data.token)
    if not plausible_token(data.token):
        raise ResetLinkInvalid(detail=LINK_INVALID)
    token_hash = hash_token(data.token)
    if not await PasswordReset.exists().where(_live_link(kind, token_hash)):
        raise ResetLinkInvalid(detail=LINK_INVALID)
    check_password(data.password, errors := FieldErrors())
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(data.password)
    now = utcnow()
    async with write_transaction():
        claimed = (
            await PasswordReset.update({PasswordReset.used_at: now})
            .where(_live_link(kind, token_hash))
            .returning(getattr(PasswordReset, kind.reset_owner))
        )
        if not claimed:
            raise ResetLinkInvalid(detail=LINK_INVALID)
        account_id = claimed[0][kind.reset_owner]
        await _set_password(kind, account_id, password_hash, keep_session=None)
        return await kind.open_session(account_id)


async def _set_password(
    kind: AccountKind[SessionT], account_id: int, password_hash: str, keep_session: int | None
) -> None:
    """Store the hash; end the account's other sessions and every reset link (in the caller's transaction)."""
    now = utcnow()
    await kind.table.update({kind.table.password_hash: password_hash}).where(kind.table.id == account_id)
    sessions = kind.sessions
    ended = (getattr(sessions, kind.session_owner) == account_id) & sessions.revoked_at.is_null()
    if keep_session is not None:
        ended &= sessions.id != keep_session
    await sessions.update({sessions.revoked_at: now}).where(ended)
    await PasswordReset.update({PasswordReset.used_at: now}).where(
        (getattr(PasswordReset, kind.reset_owner) == account_id) & PasswordReset.used_at.is_null()
    )


async def change_password(
    kind: AccountKind[SessionT], account_id: int, session_id: int, data: PasswordChange, client: str
) -> None:
    """A signed-in person sets a new password, proving the current one; their other sessions end."""
    await throttle(f"{kind.name}-password-change", client, f"{kind.name}:{account_id}")
    row = await kind.table.select(kind.table.password_hash).where(kind.table.id == account_id).first()
    if not await verify_password_off_loop(row["password_hash"] if row else None, data.current_password) or not row:
        raise ValidationFailed(
            errors=[
                FieldError(
                    field="current_password", message="This is not your current password.", code="wrong_password"
                )
            ]
        )
    errors = FieldErrors()
    check_password(data.new_password, errors, "new_password")
    if data.new_password == data.current_password:
        errors.add("new_password", "Choose a password different from your current one.", "unchanged")
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(data.new_password)
    async with write_transaction():
        if await locked_password_hash(kind.table, account_id) != row["password_hash"]:
            raise Conflict(detail="Your password was changed meanwhile. Log in again.", code="password_changed")
        await _set_password(kind, account_id, password_hash, keep_session=session_id)
