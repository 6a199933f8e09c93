"""The signed-in session: the token kept server-side, its HttpOnly cookie, who is signed in, and leaving."""

from __future__ import annotations

import re
import time
from collections.abc import Collection
from datetime import UTC, datetime
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from shared.accounts import Me, SessionPublic

from ..api import ApiError, TalentPoolApi
from ..display import count_text
from ..session_cookie import (
    COMPANY,
    close_script,
    cookie_value,
    new_ticket,
    open_script,
    ticket_key,
    ticket_matches,
    token_hash,
)

LOGIN_ROUTE = "/login"
HOME_ROUTE = "/"


def safe_next_path(path: str) -> str:
    """Only same-site paths are allowed as a place to return to after logging in."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return HOME_ROUTE


# The key of a form's errors dict that holds the message about the form as a whole.
FORM = "form"


def field_errors(err: ApiError) -> dict[str, str]:
    """Group the problem's field errors by form field ("links[2]" belongs to "links")."""
    grouped: dict[str, list[str]] = {}
    for error in err.problem.errors:
        field = re.split(r"[.\[/]", error.field.lstrip("/"), maxsplit=1)[0]
        messages = grouped.setdefault(field, [])
        if error.message not in messages:
            messages.append(error.message)
    return {field: " ".join(messages) for field, messages in grouped.items()}


def form_errors(err: ApiError, fields: Collection[str]) -> dict[str, str]:
    """A form's errors dict: the messages for its `fields`, or the problem's message under FORM when none is named."""
    found = {field: message for field, message in field_errors(err).items() if field in fields}
    return found or {FORM: err.message()}


def timestamp(moment: datetime) -> float:
    """Seconds since the epoch (a naive datetime counts as UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def backend_url() -> str:
    """The Reflex backend's URL, where the session cookie routes are (the page's own origin in prod mode)."""
    return rx.config.get_config().api_url


class SessionState(rx.State):
    """Who is signed in; the BFF token stays on the server (its cookie is HttpOnly). Pages that need a login inherit it."""

    user_name: str = ""
    user_email: str = ""
    company_name: str = ""
    # The signed-in user's role ("owner", "admin", "member"): what the navigation offers; the BFF enforces it.
    user_role: str = ""
    # Applicants waiting for approval, for the badge in the navigation; more than that when not exact.
    applied_count: int = 0
    applied_count_exact: bool = True

    # The BFF session token, never sent to the page, and when the BFF lets it expire.
    _session_token: str = ""
    _session_expires: float = 0.0
    # The websocket connection that proved the token: the one that logged in, or whose handshake carried the cookie.
    _session_sid: str = ""
    # The hash of a token that ended (logged out or refused): a cookie still carrying it is not taken up again.
    _ended_token_hash: str = ""
    # The hash of the one ticket the page may exchange for the cookie, its expiry, and where to go after.
    _ticket_hash: str = ""
    _ticket_expires: float = 0.0
    _after_cookie: str = HOME_ROUTE

    # The hash of the token whose /me answer is already held, so navigations skip the call.
    _me_token_hash: str = ""

    @property
    def token(self) -> str:
        """The session token this connection may use ("" when signed out); server-side only."""
        sid = self.router.session.session_id
        if self._session_token and self._session_sid == sid:
            return self._session_token
        from_cookie = cookie_value(self.router.headers.cookie, COMPANY.cookie_name)
        if from_cookie and token_hash(from_cookie) != self._ended_token_hash:
            if from_cookie != self._session_token:
                self._session_token = from_cookie
                self._session_expires = 0.0
            self._session_sid = sid
            return from_cookie
        # A token from another connection without the cookie (e.g. the cookie ran out) is not used.
        return ""

    @rx.var
    def user_initials(self) -> str:
        """Up to two initials of the signed-in user, for the avatar."""
        parts = [part for part in self.user_name.split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @rx.var
    def can_manage_team(self) -> bool:
        """Whether the user may manage the team and invitation links (Owners and Admins)."""
        return self.user_role in ("owner", "admin")

    @rx.var
    def applied_count_text(self) -> str:
        """The applicants badge's number, e.g. "12" or "10,000+"."""
        return count_text(self.applied_count, self.applied_count_exact)

    def api(self) -> TalentPoolApi:
        """A BFF client that calls on behalf of this session."""
        return TalentPoolApi(self.token, visitor_ip=self.router.session.client_ip)

    def _remember_session(self, session: SessionPublic) -> None:
        self._session_token = session.token
        self._session_expires = timestamp(session.expires_at)
        self._session_sid = self.router.session.session_id
        self._ended_token_hash = ""
        self._remember_me(Me(user=session.user, company=session.company))

    def _remember_me(self, me: Me) -> None:
        self.user_name = me.user.name
        self.user_email = me.user.email
        self.company_name = me.company.name
        self.user_role = me.user.role.value
        self._me_token_hash = token_hash(self.token)

    def _forget_session(self) -> None:
        if self._session_token:
            self._ended_token_hash = token_hash(self._session_token)
        self._session_token = ""
        self._session_expires = 0.0
        self._session_sid = ""
        self._ticket_hash = ""
        self.user_name = ""
        self.user_email = ""
        self.company_name = ""
        self.user_role = ""
        self.applied_count = 0
        self.applied_count_exact = True
        self._me_token_hash = ""

    def _needs_me(self) -> bool:
        return self._me_token_hash != token_hash(self.token) or not self.user_name

    def _open_session_cookie(self, then: str) -> EventSpec:
        """Hand the page a single-use ticket that it exchanges for the cookie; then go to `then`."""
        client_token = self.router.session.client_token
        ticket, ticket_hash, expires = new_ticket(COMPANY, client_token, now=time.time(), key=ticket_key())
        self._ticket_hash = ticket_hash
        self._ticket_expires = expires
        self._after_cookie = then
        script = open_script(COMPANY, client_token, ticket, backend_url())
        return rx.call_script(script, callback=SessionState.session_cookie_done)

    def _take_ticket(self, ticket: str, now: float) -> tuple[str, float] | None:
        """Use up the pending ticket: the token and its expiry for the cookie, or None if it does not match."""
        if not ticket_matches(ticket, self._ticket_hash, self._ticket_expires, now=now):
            return None
        self._ticket_hash = ""
        if not self._session_token or self._session_expires <= now:
            return None
        return self._session_token, self._session_expires

    @rx.event
    def session_cookie_done(self, _opened: bool):
        """After the page exchanged its ticket (or failed to): go on; this tab keeps its session either way."""
        self._ticket_hash = ""
        return rx.redirect(self._after_cookie)

    @rx.event
    def session_closed(self, _closed: bool):
        """After the cookie was removed: the login page."""
        return rx.redirect(LOGIN_ROUTE)

    def _login_redirect(self) -> EventSpec:
        path = self.router.url.path or HOME_ROUTE
        if path == LOGIN_ROUTE:
            return rx.redirect(LOGIN_ROUTE)
        # The query string is part of where to return (e.g. the Talent Pool's search and filters).
        if self.router.url.query:
            path = f"{path}?{self.router.url.query}"
        if path == HOME_ROUTE:
            return rx.redirect(LOGIN_ROUTE)
        return rx.redirect(f"{LOGIN_ROUTE}?{urlencode({'next': path})}")

    def _session_ended(self) -> EventSpec:
        """Forget the session and send the user to the login page."""
        self._forget_session()
        return self._login_redirect()

    def _failed(self, err: ApiError, *, inline: bool = False) -> EventSpec | None:
        """The one answer to a failed call: log in again when the session ended, else a toast with the BFF's message.

        With `inline`, the caller shows the message itself (beside a field or in place of a list): no toast.
        """
        if self._forget_ended(err):
            return self._login_redirect()
        return None if inline else rx.toast.error(err.message())

    def _forget_ended(self, err: ApiError) -> bool:
        """Forget the session if the call failed because it ended (the caller stays where it is); whether it had."""
        if err.is_unauthorized:
            self._forget_session()
            return True
        return False

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
            return self._failed(err, inline=True)
        return None

    @rx.event
    async def logout(self):
        """Revoke the token at the BFF, forget it here, remove the cookie, and go to the login page."""
        if self.token:
            try:
                await self.api().logout()
            except ApiError:
                pass  # the token is forgotten here either way
        self._forget_session()
        return rx.call_script(close_script(COMPANY, backend_url()), callback=SessionState.session_closed)
