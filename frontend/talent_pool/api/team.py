"""What a company user asks the BFF about the team: members, roles, invitations and joining from a link."""

from __future__ import annotations

from shared.accounts import CompanyPublic, CompanyRename, SessionPublic
from shared.team import (
    RoleChange,
    TeamInvitationCreate,
    TeamInvitationPublic,
    TeamJoin,
    TeamJoinPreview,
    TeamMemberPublic,
    TeamPublic,
    TeamRole,
)

from .client import ApiClient, segment


class TeamApi(ApiClient):
    """Calls of the Team page (Owners and Admins) and of the public join page."""

    async def team(self) -> TeamPublic:
        """The company's members and pending team invitations."""
        return await self._call("GET", "/api/team", response_type=TeamPublic)

    async def invite_teammate(self, data: TeamInvitationCreate) -> TeamInvitationPublic:
        """Email a colleague a link to join the team."""
        return await self._call("POST", "/api/team/invitations", body=data, response_type=TeamInvitationPublic)

    async def resend_team_invitation(self, invitation_id: int) -> TeamInvitationPublic:
        """Send a team invitation again with a new link."""
        return await self._call(
            "POST", f"/api/team/invitations/{invitation_id}/resend", response_type=TeamInvitationPublic
        )

    async def revoke_team_invitation(self, invitation_id: int) -> None:
        """Withdraw a team invitation."""
        await self._call("POST", f"/api/team/invitations/{invitation_id}/revoke")

    async def change_role(self, user_id: int, role: TeamRole) -> TeamMemberPublic:
        """Give a teammate another role."""
        return await self._call(
            "POST", f"/api/team/members/{user_id}/role", body=RoleChange(role=role), response_type=TeamMemberPublic
        )

    async def remove_teammate(self, user_id: int) -> None:
        """Remove a teammate; their sessions end at once."""
        await self._call("POST", f"/api/team/members/{user_id}/remove")

    async def team_join_preview(self, token: str) -> TeamJoinPreview:
        """The company, inviter, email and role behind a team invitation link."""
        return await self._call(
            "GET", f"/api/public/team-invitations/{segment(token)}", response_type=TeamJoinPreview, public=True
        )

    async def join_team(self, token: str, data: TeamJoin) -> SessionPublic:
        """Join the team from the link with a name and password; returns a new session."""
        return await self._call(
            "POST",
            f"/api/public/team-invitations/{segment(token)}/join",
            body=data,
            response_type=SessionPublic,
            public=True,
        )

    async def rename_company(self, name: str) -> CompanyPublic:
        """Give the company a new name (Owners only)."""
        return await self._call("PATCH", "/api/company", body=CompanyRename(name=name), response_type=CompanyPublic)
