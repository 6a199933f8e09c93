"""The session guard: every non-public route gets the caller's Principal."""

from litestar import Request
from litestar.di import NamedDependency, Provide

from backend.accounts.service import Principal, authenticate


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def provide_principal(request: Request) -> Principal:
    """Resolve the session of the request or fail with 401."""
    return await authenticate(bearer_token(request))


REQUIRE_SESSION = {"principal": Provide(provide_principal)}

CurrentPrincipal = NamedDependency[Principal]
