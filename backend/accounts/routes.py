"""HTTP routes for company sign-up, login, logout and the current user."""

from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from backend.accounts import service
from backend.auth import REQUIRE_SESSION
from backend.http import THROTTLED, CurrentPrincipal, client_address
from shared.accounts import LoginCreate, Me, SessionPublic, SignupCreate


class AuthController(Controller):
    """Company accounts and sessions."""

    path = "/api/auth"
    tags = ["auth"]

    @post("/signup", status_code=201, opt=THROTTLED)
    async def sign_up(self, request: Request, data: JSONBody[SignupCreate]) -> SessionPublic:
        """Create a company account and sign its first user in."""
        return await service.sign_up(data, client_address(request))

    @post("/login", status_code=200, opt=THROTTLED)
    async def log_in(self, request: Request, data: JSONBody[LoginCreate]) -> SessionPublic:
        """Open a session for a company user."""
        return await service.log_in(data, client_address(request))

    @post("/logout", status_code=204, dependencies=REQUIRE_SESSION)
    async def log_out(self, principal: CurrentPrincipal) -> None:
        """Revoke the caller's session."""
        await service.log_out(principal)

    @get("/me", dependencies=REQUIRE_SESSION)
    async def me(self, principal: CurrentPrincipal) -> Me:
        """The signed-in user and company."""
        return await service.describe(principal)
