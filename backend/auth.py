"""The session guard: every non-public route gets the caller's Principal."""

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler

from backend.accounts.service import Principal, authenticate


# The dependencies that resolve a session: a company user's (`principal`) or a worker's (`worker`).
SESSION_DEPENDENCIES = frozenset({"principal", "worker"})


def needs_session(handler: BaseRouteHandler) -> bool:
    """Whether the route resolves a company user's or a worker's session."""
    return bool(SESSION_DEPENDENCIES & set(handler.resolve_dependencies()) & set(handler.parsed_fn_signature.parameters))


def bearer_token(request: ASGIConnection) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def provide_principal(request: Request) -> Principal:
    """Resolve the session of the request or fail with 401."""
    return await authenticate(bearer_token(request))


REQUIRE_SESSION = {"principal": Provide(provide_principal)}

CurrentPrincipal = NamedDependency[Principal]
