"""The HTTP edge every route shares: the caller, id path parameters, how a JSON body is read, and the rate-limit guard."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import SerializationException
from litestar.handlers import BaseRouteHandler
from litestar.params import Parameter
from litestar.types import Guard

from backend.auth import Principal, WorkerPrincipal, bearer_token, needs_session
from backend.errors import MalformedBody
from backend.media_types import require_json_body
from backend.ratelimit import limit
from backend.settings import get_settings
from shared.fields import ID_MAX

# Route option of handlers that act on a token someone was emailed in the body (e.g. a password reset):
# a used or expired one answers 410, as a token in the path does.
EMAILED_TOKEN = {"emailed_token": True}

# Route option of a worker's answers (to a connection request or a job offer): an account that has not
# proven it owns its email answers nothing (403 `email_not_confirmed`).
CONFIRMED_EMAIL = {"confirmed_email": True}

# The caller of a route guarded by `REQUIRE_SESSION` / `REQUIRE_WORKER` (backend.auth).
CurrentPrincipal = NamedDependency[Principal]
CurrentWorker = NamedDependency[WorkerPrincipal]

# Route option of handlers whose service counts attempts per account (`throttle`): they can answer 429.
THROTTLED = {"throttled": True}

# Every `{…_id:int}` path parameter: a database id, so 1 … 2^31-1 (larger numbers name nothing).
PathId = Annotated[int, Parameter(ge=1, le=ID_MAX, description="An id: a whole number from 1 to 2147483647.")]


class ApiRequest(Request):
    """A request whose JSON body fails with a 400 `malformed_request` problem, whatever bytes it holds."""

    async def json(self) -> Any:
        """The decoded JSON body; bytes that are not UTF-8 or nest too deeply are a malformed body."""
        try:
            return await super().json()
        except SerializationException as exc:
            raise MalformedBody(f"The body is not valid JSON: {exc.detail or exc}") from None
        except UnicodeDecodeError:
            raise MalformedBody("The body is not valid UTF-8 text.") from None
        except RecursionError:
            raise MalformedBody("The JSON body is nested too deeply.") from None


def _is_trusted(peer: str, proxies: tuple[str, ...]) -> bool:
    """Whether the peer is one of the listed proxies (addresses or networks such as 10.0.0.0/8)."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: ASGIConnection) -> str:
    """The person's address: the peer, or what a trusted proxy (TP_TRUSTED_PROXIES) forwards for them."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and _is_trusted(peer, get_settings().trusted_proxies):
        return forwarded.split(",")[-1].strip()[:100] or peer
    return peer


async def answer_options(request: Request) -> Response | None:
    """Answer OPTIONS with every method of the path in `Allow`.

    Litestar 2 builds a path's automatic OPTIONS answer when the path's first handler is
    registered, so it lists only some methods of a path served by several handlers.
    """
    if request.method != "OPTIONS":
        return None
    methods = {"OPTIONS"}
    for path in request.route_handler.paths:
        methods.update(request.app.route_handler_method_map.get(path, {}))
    return Response(content=None, status_code=204, headers={"Allow": ", ".join(sorted(methods))})


async def screen_request(request: Request) -> Response | None:
    """Litestar before_request hook: OPTIONS lists every method of the path; a JSON route takes only JSON (415)."""
    options = await answer_options(request)
    if options is not None:
        return options
    await require_json_body(request)
    return None


def rate_limited(action: str) -> Guard:
    """A route guard counting each request against `action`'s limit (see `limit`); the OpenAPI schema documents its 429."""

    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        # A session route without a token answers 401 whatever the count; only attempts that could act are counted.
        if needs_session(handler) and bearer_token(connection) is None:
            return
        await limit(client_address(connection), action)

    guard.rate_limit_action = action  # type: ignore[attr-defined]
    return guard
