"""HTTP routes for the team: members, roles and invitations (Owners and Admins), and the public join page."""

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody

from backend.auth import REQUIRE_ADMIN, REQUIRE_OWNER
from backend.http import THROTTLED, CurrentPrincipal, PathId, client_address, rate_limited
from backend.team import company, join, service
from shared.accounts import CompanyPublic, CompanyRename, SessionPublic
from shared.team import (
    RoleChange,
    TeamInvitationCreate,
    TeamInvitationPublic,
    TeamJoin,
    TeamJoinPreview,
    TeamMemberPublic,
    TeamPublic,
)


class CompanyController(Controller):
    """The company itself: Owners only."""

    path = "/api/company"
    tags = ["team"]
    dependencies = REQUIRE_OWNER

    @patch("/")
    async def rename(self, principal: CurrentPrincipal, data: JSONBody[CompanyRename]) -> CompanyPublic:
        """Give the company a new name."""
        return await company.rename_company(principal, data)


class TeamController(Controller):
    """The company's teammates and team invitations: Owners and Admins only."""

    path = "/api/team"
    tags = ["team"]
    dependencies = REQUIRE_ADMIN

    @get("/")
    async def overview(self, principal: CurrentPrincipal) -> TeamPublic:
        """Members with their roles, and pending invitations."""
        return await service.team_overview(principal)

    @post("/invitations", status_code=201, opt=THROTTLED)
    async def invite(self, principal: CurrentPrincipal, data: JSONBody[TeamInvitationCreate]) -> TeamInvitationPublic:
        """Email a colleague a link to join the team."""
        return await service.invite_teammate(principal, data)

    @post("/invitations/{invitation_id:int}/resend", status_code=200, opt=THROTTLED)
    async def resend(self, principal: CurrentPrincipal, invitation_id: PathId) -> TeamInvitationPublic:
        """Send the invitation again with a new link; the earlier one stops working."""
        return await service.resend_invitation(principal, invitation_id)

    @post("/invitations/{invitation_id:int}/revoke", status_code=204)
    async def revoke(self, principal: CurrentPrincipal, invitation_id: PathId) -> None:
        """Withdraw a pending invitation."""
        await service.revoke_invitation(principal, invitation_id)

    @post("/members/{user_id:int}/role", status_code=200)
    async def change_role(
        self, principal: CurrentPrincipal, user_id: PathId, data: JSONBody[RoleChange]
    ) -> TeamMemberPublic:
        """Give a teammate another role."""
        return await service.change_role(principal, user_id, data)

    @post("/members/{user_id:int}/remove", status_code=204)
    async def remove(self, principal: CurrentPrincipal, user_id: PathId) -> None:
        """Remove a teammate: their sessions end at once."""
        await service.remove_member(principal, user_id)


class PublicTeamController(Controller):
    """The public side of team invitations: rate-limited per client address."""

    path = "/api/public/team-invitations"
    tags = ["public"]

    @get("/{token:str}", guards=[rate_limited("team-join-view")])
    async def preview(self, token: FromPath[str]) -> TeamJoinPreview:
        """The company, inviter, email and role behind a team invitation link."""
        return await join.preview_join(token)

    @post("/{token:str}/join", status_code=201, guards=[rate_limited("team-join")], opt=THROTTLED)
    async def join(self, request: Request, token: FromPath[str], data: JSONBody[TeamJoin]) -> SessionPublic:
        """Set a name and password, join the team and sign in."""
        return await join.join_team(token, data, client_address(request))
