"""The Reflex app's own HTTP routes that set and remove the HttpOnly session cookies.

`POST /_session/open` exchanges a ticket (see `session_cookie`) for the cookie; `POST /_session/close`
revokes the cookie's session at the BFF and removes the cookie. Both answer only pages of this app.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import msgspec
import reflex as rx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.problems import FieldError, Problem

from .api import ApiError, TalentPoolApi
from .session_cookie import (
    CLOSE_PATH,
    COMPANY,
    KINDS,
    OPEN_PATH,
    CookieKind,
    cookie_value,
    expired_cookie_header,
    same_origin,
    secure_cookies,
    session_cookie_header,
    ticket_is_sealed,
    ticket_key,
)
from .states.session import SessionState
from .states.worker_session import WorkerSessionState

MAX_FORM_BYTES = 2048
STATES: dict[str, type[SessionState] | type[WorkerSessionState]] = {
    "company": SessionState,
    "worker": WorkerSessionState,
}


def _problem(status: int, code: str, title: str, errors: list[FieldError] | None = None) -> Response:
    problem = Problem(title=title, status=status, code=code, errors=errors or [])
    return Response(
        msgspec.json.encode(problem),
        status_code=status,
        media_type="application/problem+json",
        headers={"Cache-Control": "no-store"},
    )


def _no_content(set_cookie: str) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.headers.append("set-cookie", set_cookie)
    return response


async def _small_form(request: Request) -> dict[str, str] | None:
    """The URL-encoded form of a request, or None when it is too large or not a form."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        return dict(parse_qsl(body.decode("ascii"), max_num_fields=8))
    except (UnicodeDecodeError, ValueError):
        return None


def _allowed(request: Request) -> bool:
    """Only pages of this app may call (in dev mode the page has its own port)."""
    return same_origin(request.headers, (rx.config.get_config().deploy_url or "",))


class _Refused(Exception):
    """A request the routes answer with a problem, before anything is read or changed."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def _read_request(request: Request) -> tuple[CookieKind, dict[str, str]]:
    """The kind of session a request names and its form; raises `_Refused` for anything else."""
    if not _allowed(request):
        raise _Refused(_problem(403, "cross_origin", "Only pages of this app may do this"))
    form = await _small_form(request)
    if form is None:
        raise _Refused(_problem(400, "invalid_form", "The request is not a small URL-encoded form"))
    kind = KINDS.get(form.get("kind", ""))
    if kind is None:
        errors = [FieldError(field="kind", message="Must be company or worker", code="invalid_choice")]
        raise _Refused(_problem(400, "invalid_kind", "Unknown kind of session", errors))
    return kind, form


def _invalid_ticket() -> Response:
    return _problem(400, "invalid_ticket", "This sign-in ticket is not valid or has run out")


def session_api(get_app: Callable[[], rx.App]) -> Starlette:
    """The routes, to mount on the Reflex backend with `rx.App(api_transformer=...)`."""
    if not os.environ.get("TP_SECRET_KEY"):
        # Every process of the web app must seal tickets with the same key: a ticket sealed by one
        # process is often exchanged at another when several run behind a load balancer (with Redis).
        if secure_cookies():
            raise RuntimeError("TP_SECRET_KEY must be set in production")
        if rx.config.get_config().redis_url:
            raise RuntimeError(
                "TP_SECRET_KEY must be set when the web app keeps its states in Redis (REFLEX_REDIS_URL)"
            )

    async def open_session(request: Request) -> Response:
        """Exchange a single-use ticket for the HttpOnly session cookie."""
        try:
            kind, form = await _read_request(request)
        except _Refused as refused:
            return refused.response
        client_token, ticket, now = form.get("client", ""), form.get("ticket", ""), time.time()
        if not ticket_is_sealed(ticket, kind, client_token, now=now, key=ticket_key()):
            return _invalid_ticket()
        state_cls = STATES[kind.name]
        async with get_app().modify_state(rx.BaseStateToken(ident=client_token, cls=state_cls)) as root:
            # The state's own check of the ticket, which also uses it up (under the state's lock).
            taken = (await root.get_state(state_cls))._take_ticket(ticket, now)
        if taken is None:
            return _invalid_ticket()
        token, expires = taken
        cookie = session_cookie_header(
            kind,
            token,
            datetime.fromtimestamp(expires, UTC),
            now=datetime.fromtimestamp(now, UTC),
            secure=secure_cookies(),
        )
        return _no_content(cookie)

    async def close_session(request: Request) -> Response:
        """Revoke the cookie's session at the BFF and remove the cookie."""
        try:
            kind, _ = await _read_request(request)
        except _Refused as refused:
            return refused.response
        token = cookie_value(request.headers.get("cookie", ""), kind.cookie_name)
        if token:
            api = TalentPoolApi(token)
            try:
                await (api.logout() if kind is COMPANY else api.worker_logout())
            except ApiError:
                pass  # already ended, or the BFF is away: the cookie goes either way
        return _no_content(expired_cookie_header(kind, secure=secure_cookies()))

    return Starlette(
        routes=[
            Route(OPEN_PATH, open_session, methods=["POST"]),
            Route(CLOSE_PATH, close_session, methods=["POST"]),
        ]
    )
