"""The signed-in session: the token cookie, who is signed in, and leaving."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from shared.accounts import Me, SessionPublic

from ..api import ApiError, TalentPoolApi

SESSION_COOKIE = "tp_session"
SESSION_COOKIE_MAX_AGE = 60 * 60 * 24 * 30  # the BFF decides when a token really expires

LOGIN_ROUTE = "/login"
HOME_ROUTE = "/"


def safe_next_path(path: str) -> str:
    """Only same-site paths are allowed as a place to return to after logging in."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return HOME_ROUTE


class SessionState(rx.State):
    """Holds the session token (in a cookie) and who it belongs to; pages that need a login inherit it."""

    token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        path="/",
        same_site="lax",
        max_age=SESSION_COOKIE_MAX_AGE,
    )
    user_name: str = ""
    user_email: str = ""
    company_name: str = ""
    # Applicants waiting for approval, for the badge in the navigation.
    applied_count: int = 0

    # The token whose /me answer is already held, so navigations skip the call.
    _me_token: str = ""

    @rx.var
    def is_authenticated(self) -> bool:
        """Whether a session token is present (the BFF still has the final word)."""
        return bool(self.token)

    @rx.var
    def user_initials(self) -> str:
        """Up to two initials of the signed-in user, for the avatar."""
        parts = [part for part in self.user_name.split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    def api(self) -> TalentPoolApi:
        """A BFF client that calls on behalf of this session."""
        return TalentPoolApi(self.token, visitor_ip=self.router.session.client_ip)

    def _remember_session(self, session: SessionPublic) -> None:
        self.token = session.token
        self._remember_me(Me(user=session.user, company=session.company))

    def _remember_me(self, me: Me) -> None:
        self.user_name = me.user.name
        self.user_email = me.user.email
        self.company_name = me.company.name
        self._me_token = self.token

    def _forget_session(self) -> None:
        self.token = ""
        self.user_name = ""
        self.user_email = ""
        self.company_name = ""
        self.applied_count = 0
        self._me_token = ""

    def _needs_me(self) -> bool:
        return self._me_token != self.token or not self.user_name

    def _login_redirect(self) -> EventSpec:
        path = self.router.url.path or HOME_ROUTE
        if path in (HOME_ROUTE, LOGIN_ROUTE):
            return rx.redirect(LOGIN_ROUTE)
        return rx.redirect(f"{LOGIN_ROUTE}?next={path}")

    def _session_ended(self) -> EventSpec:
        """Forget the session and send the user to the login page."""
        self._forget_session()
        return self._login_redirect()

    @rx.event
    async def require_session(self):
        """On load of a page that needs a login: check the session or go to /login."""
        if not self.token:
            return self._login_redirect()
        if not self._needs_me():
            return None
        try:
            self._remember_me(await self.api().me())
        except ApiError as err:
            if err.is_unauthorized:
                return self._session_ended()
        return None

    @rx.event
    async def logout(self):
        """Revoke the token at the BFF, forget it here, and go to the login page."""
        if self.token:
            try:
                await self.api().logout()
            except ApiError:
                pass  # the token is forgotten here either way
        self._forget_session()
        return rx.redirect(LOGIN_ROUTE)
