"""The team: its members and pending invitations, inviting a colleague, Resend and Revoke, role changes and removal.

Owners and Admins reach these through `REQUIRE_ADMIN` routes; the Owner's own rights (making or unmaking
an Owner, removing an Owner) are checked here, as is the rule that at least one Owner always remains.
"""

from __future__ import annotations

from datetime import timedelta

from backend.accounts.tables import Company, CompanyUser, UserSession
from backend.activity.service import record_activity
from backend.auth import OWNER_ONLY, Principal, role_required
from backend.clock import utcnow
from backend.db import lock_for_transaction, write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.errors import Conflict, FieldErrors, NotFound, RuleViolation
from backend.passwords.tables import PasswordReset
from backend.ratelimit import throttle
from backend.rows import present
from backend.security import new_token
from backend.settings import get_settings
from backend.team.tables import TeamInvitation
from backend.validation import clean_email, clean_name
from shared.activity import ActivityKind
from shared.problems import FieldError
from shared.team import (
    RoleChange,
    TeamInvitationCreate,
    TeamInvitationPublic,
    TeamMemberPublic,
    TeamPublic,
    TeamRole,
)

ROLE_NAMES = {TeamRole.OWNER: "an Owner", TeamRole.ADMIN: "an Admin", TeamRole.MEMBER: "a Member"}


def _expiry():
    return utcnow() + timedelta(days=get_settings().invitation_ttl_days)


def _pending_of(company_id: int):
    """Invitations of the company still waiting for an answer (expired ones too: they can be resent)."""
    return (
        (TeamInvitation.company == company_id)
        & TeamInvitation.accepted_at.is_null()
        & TeamInvitation.revoked_at.is_null()
    )


def _active_members(company_id: int):
    return (CompanyUser.company == company_id) & CompanyUser.removed_at.is_null()


async def team_overview(principal: Principal) -> TeamPublic:
    """The company's members, Owners first, and its pending invitations, newest first."""
    members = (
        await CompanyUser.select(
            CompanyUser.id, CompanyUser.name, CompanyUser.email, CompanyUser.role, CompanyUser.created_at
        )
        .where(_active_members(principal.company_id))
        .order_by(CompanyUser.id)
    )
    order = list(TeamRole)
    members.sort(key=lambda row: order.index(TeamRole(row["role"])))
    invitations = (
        await TeamInvitation.select(*_invitation_columns())
        .where(_pending_of(principal.company_id))
        .order_by(TeamInvitation.id, ascending=False)
    )
    return TeamPublic(
        members=[_member_public(row, principal) for row in members],
        invitations=[_invitation_public(row) for row in invitations],
    )


def _invitation_columns():
    return (
        TeamInvitation.id,
        TeamInvitation.email,
        TeamInvitation.name,
        TeamInvitation.role,
        TeamInvitation.created_at,
        TeamInvitation.expires_at,
        TeamInvitation.created_by.name.as_alias("invited_by"),
    )


def _member_public(row: dict, principal: Principal) -> TeamMemberPublic:
    return TeamMemberPublic(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        role=TeamRole(row["role"]),
        joined_at=row["created_at"],
        is_you=row["id"] == principal.user_id,
    )


def _invitation_public(row: dict) -> TeamInvitationPublic:
    return TeamInvitationPublic(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=TeamRole(row["role"]),
        invited_by=row["invited_by"] or "",
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )


def _email_conflict(code: str, message: str) -> Conflict:
    return Conflict(detail=message, code=code, errors=[FieldError(field="email", message=message, code=code)])


async def check_email_free(company_id: int, email: str) -> None:
    """Refuse an email that already belongs to a teammate, or to a user of another company."""
    user = (
        await CompanyUser.select(CompanyUser.company, CompanyUser.removed_at).where(CompanyUser.email == email).first()
    )
    if user is None or (user["company"] == company_id and user["removed_at"] is not None):
        return
    if user["company"] == company_id:
        raise _email_conflict("already_member", "This person is already on your team.")
    raise _email_conflict(
        "email_in_other_company", "This email belongs to a user of another company: ask them for another address."
    )


def _require_owner_for(principal: Principal, *roles: TeamRole) -> None:
    """Only an Owner may make, unmake or remove an Owner."""
    if TeamRole.OWNER in roles and not principal.is_owner:
        raise role_required(OWNER_ONLY)


async def invite_teammate(principal: Principal, data: TeamInvitationCreate) -> TeamInvitationPublic:
    """Email a colleague a single-use link to join the team with the given role."""
    _require_owner_for(principal, data.role)
    errors = FieldErrors()
    email = clean_email(data.email, errors)
    name = clean_name(data.name, errors) if data.name.strip() else ""
    errors.raise_if_any()
    await throttle("team-invite", f"user:{principal.user_id}", email)
    async with write_transaction():
        await lock_for_transaction(f"team:{principal.company_id}")
        await check_email_free(principal.company_id, email)
        if await TeamInvitation.exists().where(_pending_of(principal.company_id) & (TeamInvitation.email == email)):
            raise _email_conflict("already_invited", "This email already has an invitation: use Resend.")
        invitation = TeamInvitation(
            company=principal.company_id,
            email=email,
            name=name,
            role=data.role.value,
            token_hash="",
            created_by=principal.user_id,
            expires_at=_expiry(),
        )
        await _send(principal, invitation)
        await invitation.save()
        await record_activity(principal, ActivityKind.TEAM_INVITED, email, f"As {ROLE_NAMES[data.role]}")
    return await _invitation(principal, invitation.id)


async def _send(principal: Principal, invitation: TeamInvitation) -> None:
    """Give the invitation a fresh token (the previous link stops working) and queue its email."""
    token, invitation.token_hash = new_token()
    company = present(
        await Company.select(Company.name).where(Company.id == principal.company_id).first(), "the company"
    )
    rendered = render_email(
        "team_invitation",
        company_name=company["name"],
        inviter_name=principal.user_name,
        recipient_name=invitation.name,
        role_name=ROLE_NAMES[TeamRole(invitation.role)],
        expires_on=invitation.expires_at.strftime("%d %B %Y"),
        link=f"/team/join/{token}",
    )
    await enqueue_email(rendered, to_email=invitation.email, to_name=invitation.name, company_id=principal.company_id)


async def _invitation(principal: Principal, invitation_id: int) -> TeamInvitationPublic:
    row = (
        await TeamInvitation.select(*_invitation_columns())
        .where(_pending_of(principal.company_id) & (TeamInvitation.id == invitation_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No pending invitation of your team has this id.", code="team_invitation_not_found")
    return _invitation_public(row)


async def _pending_invitation(principal: Principal, invitation_id: int) -> TeamInvitation:
    invitation = (
        await TeamInvitation.objects()
        .where(_pending_of(principal.company_id) & (TeamInvitation.id == invitation_id))
        .first()
    )
    if invitation is None:
        raise NotFound(detail="No pending invitation of your team has this id.", code="team_invitation_not_found")
    _require_owner_for(principal, TeamRole(invitation.role))
    return invitation


async def resend_invitation(principal: Principal, invitation_id: int) -> TeamInvitationPublic:
    """Email the invitation again with a new link and a new expiry; the earlier link stops working."""
    await throttle("team-invite", f"user:{principal.user_id}", f"resend:{invitation_id}")
    async with write_transaction():
        invitation = await _pending_invitation(principal, invitation_id)
        invitation.expires_at = _expiry()
        await _send(principal, invitation)
        await invitation.save([TeamInvitation.token_hash, TeamInvitation.expires_at])
        await record_activity(principal, ActivityKind.TEAM_INVITED, invitation.email, "Invitation sent again")
    return await _invitation(principal, invitation_id)


async def revoke_invitation(principal: Principal, invitation_id: int) -> None:
    """Withdraw a pending invitation: its link stops working at once."""
    async with write_transaction():
        invitation = await _pending_invitation(principal, invitation_id)
        await TeamInvitation.update({TeamInvitation.revoked_at: utcnow()}).where(
            (TeamInvitation.id == invitation.id) & TeamInvitation.accepted_at.is_null()
        )
        await record_activity(principal, ActivityKind.TEAM_INVITATION_REVOKED, invitation.email)


async def _member(principal: Principal, user_id: int) -> dict:
    row = (
        await CompanyUser.select(
            CompanyUser.id, CompanyUser.name, CompanyUser.email, CompanyUser.role, CompanyUser.created_at
        )
        .where(_active_members(principal.company_id) & (CompanyUser.id == user_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No member of your team has this id.", code="member_not_found")
    return row


async def _keep_an_owner(company_id: int, user_id: int) -> None:
    """Refuse a change that would leave the company without an active Owner."""
    owners = await CompanyUser.count().where(
        _active_members(company_id) & (CompanyUser.role == TeamRole.OWNER.value) & (CompanyUser.id != user_id)
    )
    if owners == 0:
        raise Conflict(
            detail="A company always has at least one Owner: make someone else an Owner first.", code="last_owner"
        )


async def change_role(principal: Principal, user_id: int, data: RoleChange) -> TeamMemberPublic:
    """Give a teammate another role; only Owners make or unmake Owners, and one Owner always remains."""
    async with write_transaction():
        await lock_for_transaction(f"team:{principal.company_id}")
        member = await _member(principal, user_id)
        current = TeamRole(member["role"])
        _require_owner_for(principal, current, data.role)
        if current is TeamRole.OWNER and data.role is not TeamRole.OWNER:
            await _keep_an_owner(principal.company_id, user_id)
        await CompanyUser.update({CompanyUser.role: data.role.value}).where(CompanyUser.id == user_id)
        await record_activity(
            principal, ActivityKind.ROLE_CHANGED, member["name"], f"{ROLE_NAMES[current]} → {ROLE_NAMES[data.role]}"
        )
    return _member_public({**member, "role": data.role.value}, principal)


async def remove_member(principal: Principal, user_id: int) -> None:
    """Take a teammate off the team: their sessions end at once; what they did stays attributed to them."""
    if user_id == principal.user_id:
        raise RuleViolation(detail="You cannot remove yourself from the team.", code="cannot_remove_self")
    now = utcnow()
    async with write_transaction():
        await lock_for_transaction(f"team:{principal.company_id}")
        member = await _member(principal, user_id)
        role = TeamRole(member["role"])
        _require_owner_for(principal, role)
        if role is TeamRole.OWNER:
            await _keep_an_owner(principal.company_id, user_id)
        await CompanyUser.update({CompanyUser.removed_at: now}).where(CompanyUser.id == user_id)
        await UserSession.update({UserSession.revoked_at: now}).where(
            (UserSession.user == user_id) & UserSession.revoked_at.is_null()
        )
        await PasswordReset.update({PasswordReset.used_at: now}).where(
            (PasswordReset.company_user == user_id) & PasswordReset.used_at.is_null()
        )
        await record_activity(principal, ActivityKind.MEMBER_REMOVED, member["name"], f"Was {ROLE_NAMES[role]}")
