"""The public page /team/join/<token>: an invited colleague sets a name and password and lands in the Talent Pool."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.team import TeamJoin

from ..api import ApiError, TalentPoolApi
from .session import HOME_ROUTE, SessionState

ROLE_NAMES = {"owner": "an Owner", "admin": "an Admin", "member": "a Member"}


class TeamJoinState(rx.State):
    """One team invitation as the invited colleague sees it."""

    # "loading", "ready", "unavailable" (unknown, used, revoked or expired link) or "error".
    page: str = "loading"
    team_company: str = ""
    invited_by: str = ""
    invited_email: str = ""
    invited_name: str = ""
    invited_role: str = ""
    unavailable_detail: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    _token: str = ""

    def _api(self) -> TalentPoolApi:
        return TalentPoolApi("", visitor_ip=self.router.session.client_ip)

    @rx.var
    def title(self) -> str:
        """E.g. "Join the Acme Ltd team"."""
        return f"Join the {self.team_company} team"

    @rx.var
    def invited_text(self) -> str:
        """Who invited whom, as what."""
        who = f"{self.invited_by} invited you" if self.invited_by else "You are invited"
        role = ROLE_NAMES.get(self.invited_role, "a teammate")
        return f"{who} ({self.invited_email}) to work on the Talent Pool of {self.team_company} as {role}."

    @rx.event
    async def load_invitation(self):
        """On load: ask the BFF which company and role the link is for."""
        self.page, self.errors, self.form_error, self.submitting = "loading", {}, "", False
        self._token = self.team_token  # the route's [team_token]
        yield
        try:
            preview = await self._api().team_join_preview(self._token)
        except ApiError as err:
            if err.status in (404, 410):
                self.page, self.unavailable_detail = "unavailable", err.message()
            else:
                self.page, self.form_error = "error", err.message()
            return
        self.team_company = preview.company_name
        self.invited_by = preview.invited_by
        self.invited_email = preview.email
        self.invited_name = preview.name
        self.invited_role = preview.role.value
        self.page = "ready"

    @rx.event
    async def join(self, form_data: dict[str, Any]):
        """Join with the name and password; the BFF signs the colleague in."""
        self.errors, self.form_error, self.submitting = {}, "", True
        yield
        name, password = str(form_data.get("name", "")), str(form_data.get("password", ""))
        try:
            session = await self._api().join_team(self._token, TeamJoin(name=name, password=password))
        except ApiError as err:
            self.submitting = False
            if err.status in (404, 410):
                self.page, self.unavailable_detail = "unavailable", err.message()
                return
            self.errors = {k: v for k, v in err.field_messages().items() if k in ("name", "password")}
            if not self.errors:
                self.form_error = err.message()
            return
        self.submitting = False
        company_session = await self.get_state(SessionState)
        company_session._remember_session(session)
        yield company_session._open_session_cookie(HOME_ROUTE)
        yield rx.toast.success(f"Welcome to the {self.team_company} team.")
