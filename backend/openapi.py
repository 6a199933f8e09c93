"""The OpenAPI schema's errors and auth, derived from each route's parameters, session and guards when the app is built.

Every route documents the RFC 9457 problems it can answer (`application/problem+json`, the
`Problem` schema) and, when it needs a session, the bearer scheme. Nothing is declared by hand
on the routes: a route with a body or parameters can be malformed or invalid, one with a session
can be unauthenticated, one with a path parameter can name nothing, a write can clash or break a
rule, and a route guarded by `rate_limited` or marked `THROTTLED` (its service counts attempts per
account) can answer 429.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute

from backend.auth import needs_session, role_rule
from backend.problems import PROBLEM_MEDIA_TYPE
from shared.problems import Problem

BEARER = "bearer"
BEARER_SCHEME = SecurityScheme(
    type="http",
    scheme="bearer",
    description="`Authorization: Bearer <token>` with the token from log-in or sign-up (company users and workers alike).",
)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Handler arguments Litestar fills from the connection itself, not from the query string.
RESERVED = frozenset({"data", "request", "scope", "state", "headers", "cookies", "body", "socket"})

ERRORS: dict[int, str] = {
    400: "The request cannot be read: a body that is not UTF-8 or not JSON, or nests too deeply "
    "(`malformed_body`, `malformed_request`).",
    401: "No valid session, or wrong credentials (`not_authenticated`, `invalid_credentials`).",
    403: "The caller may not do this: a worker account that has not confirmed its email yet (`email_not_confirmed`), "
    "or a teammate whose role does not allow the route (`role_required`).",
    404: "Nothing of that kind is visible to the caller (`not_found`, `contact_not_found`, `link_unavailable`, …).",
    409: "The change clashes with what is stored (`conflict`, e.g. an email already in use).",
    410: "The invitation was used, revoked or has expired (`invitation_gone`).",
    413: "The body is larger than this route accepts (`payload_too_large`, `file_too_large`).",
    422: "Some fields are invalid or the change is not allowed now (`validation_failed`, `rule_violation`, "
    "`invalid_characters`, …); `errors` names each field.",
    415: "The body is not JSON (`unsupported_media_type`): send it as `application/json`.",
    429: "Too many requests from this client (`rate_limited`); the `Retry-After` header says when to try again.",
}


def error_statuses(handler: HTTPRouteHandler, path_parameters: dict[str, type]) -> list[int]:
    """The problem statuses this route can answer, from its parameters, session, method and guards."""
    signature = handler.parsed_fn_signature.parameters
    dependencies = set(handler.resolve_dependencies())
    has_body = "data" in signature or isinstance(handler.request_max_body_size, int)
    has_session = needs_session(handler)
    has_query = any(
        name not in path_parameters and name not in dependencies and name not in RESERVED for name in signature
    )
    writes = not set(handler.http_methods) <= READ_METHODS
    statuses: set[int] = set()
    if has_body or has_query or path_parameters:
        statuses |= {400, 422}
    if has_session or has_body:
        statuses.add(401)
    if path_parameters or has_body:
        statuses.add(404)
    if "data" in signature:
        statuses.add(415)
    if handler.opt.get("confirmed_email") or role_rule(handler) in ("admin", "owner"):
        statuses.add(403)
    if any(kind is str for kind in path_parameters.values()) or handler.opt.get("emailed_token"):
        statuses.add(410)
    if writes:
        statuses |= {400, 404, 409, 413, 422}
    if handler.opt.get("throttled") or any(
        getattr(guard, "rate_limit_action", None) for guard in handler.resolve_guards()
    ):
        statuses.add(429)
    return sorted(statuses)


def openapi_components() -> Components:
    """The schema's shared components: the bearer scheme."""
    return Components(security_schemes={BEARER: BEARER_SCHEME})


def document_errors_and_auth(app: Litestar) -> None:
    """Give every route of the app its problem responses and, where a session is needed, the bearer scheme."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path_parameters = {parameter.name: parameter.type for parameter in route.path_parameters.values()}
        for handler in route.route_handlers:
            if needs_session(handler):
                handler.security = [{BEARER: []}]
            handler.responses = {
                **{
                    status: ResponseSpec(
                        data_container=Problem, media_type=PROBLEM_MEDIA_TYPE, description=ERRORS[status]
                    )
                    for status in error_statuses(handler, path_parameters)
                },
                **(handler.responses or {}),
            }
