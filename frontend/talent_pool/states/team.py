"""The Team page (/team): members with their roles, pending invitations, inviting a colleague, removing a member."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from shared.team import TeamInvitationCreate, TeamInvitationPublic, TeamMemberPublic, TeamPublic, TeamRole

from ..api import ApiError
from ..display import calendar_date
from .session import SessionState, form_errors

ROLE_LABELS = {"owner": "Owner", "admin": "Admin", "member": "Member"}
ROLE_OPTIONS = [(role.value, ROLE_LABELS[role.value]) for role in TeamRole]
INVITE_FIELDS = ("email", "name", "role")
ONLY_MANAGERS = "Only owners and admins can manage the team."


@dataclasses.dataclass
class MemberRow:
    """One teammate, formatted for the page."""

    id: int
    name: str
    email: str
    role: str
    role_label: str
    joined_text: str
    is_you: bool
    # Whether the signed-in user may change this member's role or remove them.
    editable: bool


@dataclasses.dataclass
class InvitationRow:
    """One pending team invitation, formatted for the page."""

    id: int
    email: str
    name: str
    role_label: str
    sent_text: str
    expired: bool


def member_row(member: TeamMemberPublic, my_role: str) -> MemberRow:
    """A teammate as a row; only an Owner may change or remove an Owner, and nobody removes themself here."""
    editable = not member.is_you and (my_role == "owner" or member.role is not TeamRole.OWNER)
    return MemberRow(
        id=member.id,
        name=member.name,
        email=member.email,
        role=member.role.value,
        role_label=ROLE_LABELS[member.role.value],
        joined_text=f"Joined {calendar_date(member.joined_at)}",
        is_you=member.is_you,
        editable=editable,
    )


def invitation_row(invitation: TeamInvitationPublic, now: datetime | None = None) -> InvitationRow:
    """A pending invitation as a row, saying who sent it and whether its link has run out."""
    now = now or datetime.now(UTC)
    expires = invitation.expires_at if invitation.expires_at.tzinfo else invitation.expires_at.replace(tzinfo=UTC)
    expired = expires <= now
    sent = f"Invited by {invitation.invited_by} on {calendar_date(invitation.created_at)}"
    ends = f"link expired {calendar_date(expires)}" if expired else f"link works until {calendar_date(expires)}"
    return InvitationRow(
        id=invitation.id,
        email=invitation.email,
        name=invitation.name,
        role_label=ROLE_LABELS[invitation.role.value],
        sent_text=f"{sent} · {ends}",
        expired=expired,
    )


class TeamState(SessionState):
    """Members, invitations, the invite form and the remove confirmation of the Team page."""

    members: list[MemberRow] = []
    invitations: list[InvitationRow] = []
    team_loading: bool = False
    team_error: str = ""
    # A Member opened the page: they see why there is nothing to manage.
    team_forbidden: bool = False

    invite_errors: dict[str, str] = {}
    invite_role: str = TeamRole.MEMBER.value
    inviting: bool = False

    remove_id: int = 0
    remove_name: str = ""
    removing: bool = False

    @rx.var
    def role_options(self) -> list[list[str]]:
        """The roles the signed-in user may give: Owners any, Admins Admin and Member."""
        return [[value, label] for value, label in ROLE_OPTIONS if value != "owner" or self.user_role == "owner"]

    @rx.var
    def remove_title(self) -> str:
        """The remove confirmation's question."""
        return f"Remove {self.remove_name} from the team?"

    def _show(self, team: TeamPublic) -> None:
        self.members = [member_row(member, self.user_role) for member in team.members]
        self.invitations = [invitation_row(invitation) for invitation in team.invitations]

    def _refused(self, err: ApiError) -> rx.event.EventSpec | None:
        """The answer to a failed call: log in again, the members-only message, or a toast."""
        if err.code == "role_required" and not self.members:
            self.team_forbidden = True
            return None
        return self._failed(err)

    @rx.event
    async def load_team(self):
        """On load: who is signed in (their role may have changed), then the team."""
        self.team_loading, self.team_error, self.team_forbidden = True, "", False
        self.invite_errors = {}
        self.remove_id = 0
        if not self.token:
            self.team_loading = False
            yield self._login_redirect()
            return
        yield
        try:
            self._remember_me(await self.api().me())
            if not self.can_manage_team:
                self.members, self.invitations, self.team_forbidden = [], [], True
            else:
                self._show(await self.api().team())
        except ApiError as err:
            self.members, self.invitations = [], []
            if err.code == "role_required":
                self.team_forbidden = True
            elif (ended := self._failed(err, inline=True)) is not None:
                yield ended
            else:
                self.team_error = err.message()
        finally:
            self.team_loading = False

    async def _reload(self) -> None:
        self._show(await self.api().team())

    @rx.event
    def set_invite_role(self, role: str):
        """The role picked in the invite form."""
        self.invite_role = role

    @rx.event
    async def invite(self, form_data: dict[str, Any]):
        """Email a colleague a link to join the team; the form empties when it is sent."""
        self.invite_errors, self.inviting = {}, True
        yield
        email = str(form_data.get("email", "")).strip()
        name = str(form_data.get("name", "")).strip()
        try:
            role = TeamRole(self.invite_role)
            await self.api().invite_teammate(TeamInvitationCreate(email=email, name=name, role=role))
            await self._reload()
        except ApiError as err:
            self.inviting = False
            if (ended := self._failed(err, inline=True)) is not None:
                yield ended
                return
            self.invite_errors = form_errors(err, INVITE_FIELDS)
            return
        self.inviting = False
        self.invite_role = TeamRole.MEMBER.value
        yield rx.set_value("team-invite-email", "")
        yield rx.set_value("team-invite-name", "")
        yield rx.toast.success(f"Invitation sent to {email.lower()}.")

    @rx.event
    async def change_role(self, user_id: int, role: str):
        """Give a teammate the role picked beside their name."""
        try:
            member = await self.api().change_role(user_id, TeamRole(role))
            await self._reload()
        except ApiError as err:
            if (answer := self._refused(err)) is not None:
                yield answer
            return
        yield rx.toast.success(f"{member.name} is now {ROLE_LABELS[member.role.value]}.")

    @rx.event
    async def resend(self, invitation_id: int, email: str):
        """Send an invitation again with a new link."""
        try:
            await self.api().resend_team_invitation(invitation_id)
            await self._reload()
        except ApiError as err:
            if (answer := self._refused(err)) is not None:
                yield answer
            return
        yield rx.toast.success(f"Invitation sent again to {email}.")

    @rx.event
    async def revoke(self, invitation_id: int, email: str):
        """Withdraw an invitation: its link stops working."""
        try:
            await self.api().revoke_team_invitation(invitation_id)
            await self._reload()
        except ApiError as err:
            if (answer := self._refused(err)) is not None:
                yield answer
            return
        yield rx.toast.success(f"Invitation to {email} revoked.")

    @rx.event
    def ask_remove(self, user_id: int, name: str):
        """Open the confirmation before removing a teammate."""
        self.remove_id, self.remove_name = user_id, name

    @rx.event
    def close_remove(self, open_: bool = False):
        """Close the remove confirmation (Cancel, Escape or a click outside)."""
        if not open_:
            self.remove_id = 0

    @rx.event
    async def confirm_remove(self):
        """Remove the teammate: their sessions end at once."""
        self.removing = True
        yield
        name = self.remove_name
        try:
            await self.api().remove_teammate(self.remove_id)
            await self._reload()
        except ApiError as err:
            self.removing, self.remove_id = False, 0
            if (answer := self._refused(err)) is not None:
                yield answer
            return
        self.removing, self.remove_id = False, 0
        yield rx.toast.success(f"{name} was removed from the team and logged out.")
