"""The worker's session: its token kept server-side, its own HttpOnly cookie (apart from the company's), and leaving."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import reflex as rx
from reflex.event import EventSpec, EventType

from shared.invitations import WorkerPublic, WorkerSessionPublic

from ..api import ApiError, TalentPoolApi
from ..session_cookie import (
    WORKER,
    close_script,
    cookie_value,
    new_ticket,
    open_script,
    ticket_key,
    ticket_matches,
    token_hash,
)
from .session import backend_url, timestamp

WORKER_LOGIN_ROUTE = "/worker/login"
WORKER_HOME_ROUTE = "/worker"


def initials(name: str) -> str:
    """Up to two initials of a person's or company's name."""
    parts = [part for part in name.split() if part[:1].isalnum()]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


class WorkerSessionState(rx.State):
    """Who the signed-in worker is; the BFF token stays on the server (its cookie is HttpOnly)."""

    worker_name: str = ""
    worker_email: str = ""
    # Until the worker proves they own the email, nothing sent to it is shown (the BFF enforces it).
    worker_email_confirmed: bool = True

    # Like SessionState's: the token, its expiry, the connection that proved it, an ended token's hash.
    _worker_session_token: str = ""
    _worker_session_expires: float = 0.0
    _worker_session_sid: str = ""
    _worker_ended_token_hash: str = ""
    _worker_ticket_hash: str = ""
    _worker_ticket_expires: float = 0.0
    _worker_after_cookie: str = WORKER_HOME_ROUTE

    _worker_me_token_hash: str = ""

    @property
    def worker_token(self) -> str:
        """The worker session token this connection may use ("" when signed out); server-side only."""
        sid = self.router.session.session_id
        if self._worker_session_token and self._worker_session_sid == sid:
            return self._worker_session_token
        from_cookie = cookie_value(self.router.headers.cookie, WORKER.cookie_name)
        if from_cookie and token_hash(from_cookie) != self._worker_ended_token_hash:
            if from_cookie != self._worker_session_token:
                self._worker_session_token = from_cookie
                self._worker_session_expires = 0.0
            self._worker_session_sid = sid
            return from_cookie
        return ""

    @rx.var
    def worker_initials(self) -> str:
        """The signed-in worker's initials, for the avatar."""
        return initials(self.worker_name)

    def worker_api(self) -> TalentPoolApi:
        """A BFF client that calls on behalf of the signed-in worker."""
        return TalentPoolApi(self.worker_token, visitor_ip=self.router.session.client_ip)

    def _remember_worker_token(self, token: str, expires_at: datetime | None) -> None:
        self._worker_session_token = token
        self._worker_session_expires = timestamp(expires_at) if expires_at else 0.0
        self._worker_session_sid = self.router.session.session_id
        self._worker_ended_token_hash = ""
        self._worker_me_token_hash = token_hash(token)

    def _remember_worker_session(self, session: WorkerSessionPublic) -> None:
        self._remember_worker_token(session.token, session.expires_at)
        self._remember_worker(session.worker)

    def _remember_worker(self, worker: WorkerPublic) -> None:
        self.worker_name = worker.name
        self.worker_email = worker.email
        self.worker_email_confirmed = worker.email_confirmed
        self._worker_me_token_hash = token_hash(self.worker_token)

    def _forget_worker(self) -> None:
        if self._worker_session_token:
            self._worker_ended_token_hash = token_hash(self._worker_session_token)
        self._worker_session_token = ""
        self._worker_session_expires = 0.0
        self._worker_session_sid = ""
        self._worker_ticket_hash = ""
        self.worker_name = ""
        self.worker_email = ""
        self.worker_email_confirmed = True
        self._worker_me_token_hash = ""

    def _open_worker_cookie(self, then: str = "", callback: EventType[Any] | None = None) -> EventSpec:
        """Hand the page a single-use ticket that it exchanges for the worker cookie; then go to `then` ("" stays).

        `callback` (an event handler taking whether the cookie opened) runs instead of going to `then`.
        """
        client_token = self.router.session.client_token
        ticket, ticket_hash, expires = new_ticket(WORKER, client_token, now=time.time(), key=ticket_key())
        self._worker_ticket_hash = ticket_hash
        self._worker_ticket_expires = expires
        self._worker_after_cookie = then
        script = open_script(WORKER, client_token, ticket, backend_url())
        return rx.call_script(script, callback=callback or WorkerSessionState.worker_cookie_done)

    def _take_ticket(self, ticket: str, now: float) -> tuple[str, float] | None:
        """Use up the pending ticket: the token and its expiry for the cookie, or None if it does not match."""
        if not ticket_matches(ticket, self._worker_ticket_hash, self._worker_ticket_expires, now=now):
            return None
        self._worker_ticket_hash = ""
        if not self._worker_session_token or self._worker_session_expires <= now:
            return None
        return self._worker_session_token, self._worker_session_expires

    @rx.event
    def worker_cookie_done(self, _opened: bool):
        """After the page exchanged its ticket (or failed to): go on; this tab keeps its session either way."""
        self._worker_ticket_hash = ""
        if self._worker_after_cookie:
            return rx.redirect(self._worker_after_cookie)
        return None

    @rx.event
    def worker_session_closed(self, _closed: bool):
        """After the cookie was removed: the worker login."""
        return rx.redirect(WORKER_LOGIN_ROUTE)

    def _worker_login_redirect(self) -> EventSpec:
        path = self.router.url.path or WORKER_HOME_ROUTE
        if path in (WORKER_HOME_ROUTE, WORKER_LOGIN_ROUTE):
            return rx.redirect(WORKER_LOGIN_ROUTE)
        return rx.redirect(f"{WORKER_LOGIN_ROUTE}?next={path}")

    def _worker_failed(self, err: ApiError, *, inline: bool = False) -> EventSpec | None:
        """The one answer to a failed worker call: the worker login when the session ended, else a toast.

        With `inline`, the caller shows the message itself: no toast.
        """
        if self._forget_ended_worker(err):
            return self._worker_login_redirect()
        return None if inline else rx.toast.error(err.message())

    def _forget_ended_worker(self, err: ApiError) -> bool:
        """Forget the worker session if the call failed because it ended (the caller stays); whether it had."""
        if err.is_unauthorized:
            self._forget_worker()
            return True
        return False

    @rx.event
    async def worker_logout(self):
        """Revoke the worker's token at the BFF, forget it here, remove the cookie, and go to the worker login."""
        if self.worker_token:
            try:
                await self.worker_api().worker_logout()
            except ApiError:
                pass  # the token is forgotten here either way
        self._forget_worker()
        return rx.call_script(close_script(WORKER, backend_url()), callback=WorkerSessionState.worker_session_closed)
