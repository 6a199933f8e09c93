"""Company sign-up, login, logout, the signed-in user, and the look-up of a session behind a token."""

from __future__ import annotations

from datetime import timedelta

from backend.accounts.tables import Company, CompanyUser, UserSession
from backend.auth import Principal, locked_password_hash, session_ended
from backend.clock import utcnow
from backend.db import write_transaction
from backend.errors import Conflict, FieldErrors, NotAuthenticated
from backend.ratelimit import throttle
from backend.rows import present
from backend.security import hash_password_off_loop, hash_token, new_token, plausible_token, verify_password_off_loop
from backend.settings import get_settings
from backend.validation import check_password, clean_email, clean_name, normalise_email
from shared.accounts import CompanyPublic, LoginCreate, Me, SessionPublic, SignupCreate, UserPublic
from shared.problems import FieldError
from shared.team import TeamRole


class InvalidCredentials(NotAuthenticated):
    """Email and password do not match a company user."""

    code = "invalid_credentials"
    title = "Email or password is incorrect"


async def authenticate(token: str | None) -> Principal:
    """The principal behind a live session token, or NotAuthenticated."""
    if not plausible_token(token):
        raise NotAuthenticated()
    row = (
        await UserSession.select(
            UserSession.id,
            UserSession.user,
            UserSession.company,
            UserSession.user.name.as_alias("user_name"),
            UserSession.user.role.as_alias("role"),
        )
        .where(
            (UserSession.token_hash == hash_token(token))
            & UserSession.revoked_at.is_null()
            & (UserSession.expires_at > utcnow())
            & UserSession.user.removed_at.is_null()
        )
        .first()
    )
    if row is None:
        raise session_ended()
    return Principal(
        user_id=row["user"],
        company_id=row["company"],
        user_name=row["user_name"],
        session_id=row["id"],
        role=TeamRole(row["role"]),
    )


async def _open_session(user_id: int, company_id: int) -> tuple[str, UserSession]:
    token, token_hash = new_token()
    session = UserSession(
        token_hash=token_hash,
        user=user_id,
        company=company_id,
        expires_at=utcnow() + timedelta(hours=get_settings().session_ttl_hours),
    )
    await session.save()
    return token, session


def _session_public(token: str, session: UserSession, user: dict, company: dict) -> SessionPublic:
    return SessionPublic(
        token=token,
        expires_at=session.expires_at,
        user=UserPublic(id=user["id"], name=user["name"], email=user["email"], role=TeamRole(user["role"])),
        company=CompanyPublic(id=company["id"], name=company["name"]),
    )


async def sign_up(data: SignupCreate, client: str | None = None) -> SessionPublic:
    """Create a company with its first user and sign that user in; `client` (a visitor's address) is throttled."""
    if client is not None:
        await throttle("signup", client, normalise_email(data.email))
    errors = FieldErrors()
    company_name = clean_name(data.company_name, errors, "company_name", "Company name")
    name = clean_name(data.name, errors, "name", "Your name")
    email = clean_email(data.email, errors)
    check_password(data.password, errors)
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(data.password)
    async with write_transaction():
        if await CompanyUser.exists().where(CompanyUser.email == email):
            raise Conflict(
                code="email_taken",
                errors=[
                    FieldError(
                        field="email",
                        message="An account with this email already exists. Log in instead.",
                        code="email_taken",
                    )
                ],
            )
        company = Company(name=company_name)
        await company.save()
        user = CompanyUser(
            company=company.id, name=name, email=email, password_hash=password_hash, role=TeamRole.OWNER.value
        )
        await user.save()
        token, session = await _open_session(user.id, company.id)
    return _session_public(
        token,
        session,
        {"id": user.id, "name": name, "email": email, "role": TeamRole.OWNER},
        {"id": company.id, "name": company_name},
    )


async def log_in(data: LoginCreate, client: str = "") -> SessionPublic:
    """Check a company user's password and open a session; failed attempts count per client and account."""
    email = normalise_email(data.email)
    attempt = await throttle("login", client, email)
    user = (
        await CompanyUser.select(
            CompanyUser.id,
            CompanyUser.name,
            CompanyUser.email,
            CompanyUser.password_hash,
            CompanyUser.company,
            CompanyUser.role,
        )
        .where((CompanyUser.email == email) & CompanyUser.removed_at.is_null())
        .first()
    )
    # Verified even without an account, so both answers take as long.
    if not await verify_password_off_loop(user["password_hash"] if user else None, data.password) or not user:
        raise InvalidCredentials()
    async with write_transaction():
        # A reset or change that committed since the check ended this password: no session from it.
        if await locked_password_hash(CompanyUser, user["id"]) != user["password_hash"]:
            raise InvalidCredentials()
        token, session = await _open_session(user["id"], user["company"])
    await attempt.forgive()
    company = present(
        await Company.select(Company.id, Company.name).where(Company.id == user["company"]).first(),
        "the user's company",
    )
    return _session_public(token, session, user, company)


async def log_out(principal: Principal) -> None:
    """Revoke the caller's session."""
    await UserSession.update({UserSession.revoked_at: utcnow()}).where(UserSession.id == principal.session_id)


async def describe(principal: Principal) -> Me:
    """The signed-in user and company."""
    user = (
        await CompanyUser.select(CompanyUser.id, CompanyUser.name, CompanyUser.email, CompanyUser.role)
        .where(CompanyUser.id == principal.user_id)
        .first()
    )
    company = await Company.select(Company.id, Company.name).where(Company.id == principal.company_id).first()
    if user is None or company is None:
        raise NotAuthenticated()
    return Me(user=UserPublic(**{**user, "role": TeamRole(user["role"])}), company=CompanyPublic(**company))


async def open_session_for(user_id: int) -> SessionPublic:
    """Sign a company user in without a password (after a reset proved who they are)."""
    user = present(
        await CompanyUser.select(
            CompanyUser.id, CompanyUser.name, CompanyUser.email, CompanyUser.company, CompanyUser.role
        )
        .where((CompanyUser.id == user_id) & CompanyUser.removed_at.is_null())
        .first(),
        "the user",
    )
    company = present(
        await Company.select(Company.id, Company.name).where(Company.id == user["company"]).first(),
        "the user's company",
    )
    token, session = await _open_session(user_id, user["company"])
    return _session_public(token, session, user, company)
