"""The invited colleague's side: the public join page and creating their user from the emailed link."""

from __future__ import annotations

from backend.accounts.service import open_session_for
from backend.accounts.tables import Company, CompanyUser
from backend.activity.service import record_company_activity
from backend.clock import utcnow
from backend.db import lock_for_transaction, write_transaction
from backend.errors import FieldErrors, Gone, NotFound
from backend.ratelimit import throttle
from backend.rows import present
from backend.security import hash_password_off_loop, hash_token, plausible_token
from backend.team.service import ROLE_NAMES, check_email_free
from backend.team.tables import TeamInvitation
from backend.validation import check_password, clean_name
from shared.accounts import SessionPublic
from shared.activity import ActivityKind
from shared.team import TeamJoin, TeamJoinPreview, TeamRole


class TeamInvitationGone(Gone):
    """The team invitation link can no longer be used; `code` says why."""

    code = "team_invitation_gone"
    title = "This invitation can no longer be used"


def _not_found() -> NotFound:
    return NotFound(detail="This invitation link is not valid.", code="team_invitation_not_found")


async def _pending_by_token(token: str) -> dict:
    """The invitation behind a link, or NotFound / TeamInvitationGone saying why it can't be used."""
    if not plausible_token(token):
        raise _not_found()
    row = await TeamInvitation.select().where(TeamInvitation.token_hash == hash_token(token)).first()
    if row is None:
        raise _not_found()
    if row["accepted_at"] is not None:
        raise TeamInvitationGone(
            detail="This invitation has already been used. Log in instead.", code="team_invitation_used"
        )
    if row["revoked_at"] is not None:
        raise TeamInvitationGone(detail="The company has withdrawn this invitation.", code="team_invitation_revoked")
    if row["expires_at"] <= utcnow():
        raise TeamInvitationGone(
            detail="This invitation has expired. Ask your colleague to send it again.", code="team_invitation_expired"
        )
    return row


async def preview_join(token: str) -> TeamJoinPreview:
    """What the public join page shows: the company, who invited, the email and the role."""
    row = await _pending_by_token(token)
    company = present(await Company.select(Company.name).where(Company.id == row["company"]).first(), "the company")
    inviter = await CompanyUser.select(CompanyUser.name).where(CompanyUser.id == row["created_by"]).first()
    return TeamJoinPreview(
        company_name=company["name"],
        email=row["email"],
        name=row["name"],
        role=TeamRole(row["role"]),
        invited_by=inviter["name"] if inviter else "",
    )


async def join_team(token: str, data: TeamJoin, client: str) -> SessionPublic:
    """Create the colleague's user from the link (single use), with the invited role, and sign them in."""
    await throttle("team-join", client, token)
    row = await _pending_by_token(token)
    errors = FieldErrors()
    name = clean_name(data.name, errors, "name", "Your name")
    check_password(data.password, errors)
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(data.password)
    now = utcnow()
    async with write_transaction():
        await lock_for_transaction(f"team:{row['company']}")
        claimed = (
            await TeamInvitation.update({TeamInvitation.accepted_at: now})
            .where(
                (TeamInvitation.id == row["id"])
                & TeamInvitation.accepted_at.is_null()
                & TeamInvitation.revoked_at.is_null()
                & (TeamInvitation.expires_at > now)
            )
            .returning(TeamInvitation.id)
        )
        if not claimed:
            await _pending_by_token(token)  # says why; the link changed since it was read
            raise _not_found()
        await check_email_free(row["company"], row["email"])
        user_id = await _create_or_restore_user(row, name, password_hash)
        await TeamInvitation.update({TeamInvitation.accepted_user: user_id}).where(TeamInvitation.id == row["id"])
        await record_company_activity(
            row["company"],
            ActivityKind.TEAM_JOINED,
            row["email"],
            f"As {ROLE_NAMES[TeamRole(row['role'])]}",
            actor_id=user_id,
            actor_name=name,
        )
        return await open_session_for(user_id)


async def _create_or_restore_user(invitation: dict, name: str, password_hash: str) -> int:
    """A new user, or the company's removed user of this email back on the team with their old history."""
    values = {"name": name, "password_hash": password_hash, "role": invitation["role"], "removed_at": None}
    removed = (
        await CompanyUser.select(CompanyUser.id)
        .where((CompanyUser.email == invitation["email"]) & (CompanyUser.company == invitation["company"]))
        .first()
    )
    if removed is not None:
        await CompanyUser.update({getattr(CompanyUser, key): value for key, value in values.items()}).where(
            CompanyUser.id == removed["id"]
        )
        return removed["id"]
    user = CompanyUser(company=invitation["company"], email=invitation["email"], **values)
    await user.save()
    return user.id
