"""HTTP routes to reset a forgotten password and to change one, for company users and workers."""

from litestar import Controller, Request, post
from litestar.params import JSONBody

from backend.auth import REQUIRE_SESSION, REQUIRE_WORKER
from backend.http import EMAILED_TOKEN, THROTTLED, CurrentPrincipal, CurrentWorker, client_address
from backend.passwords import service
from backend.passwords.service import COMPANY_USER, WORKER
from shared.accounts import SessionPublic
from shared.invitations import WorkerSessionPublic
from shared.passwords import PasswordChange, PasswordResetComplete, PasswordResetRequest, ResetRequested


class PasswordController(Controller):
    """Company users' passwords."""

    path = "/api/auth"
    tags = ["auth"]

    @post("/password-reset", status_code=202, opt=THROTTLED)
    async def request_reset(self, request: Request, data: JSONBody[PasswordResetRequest]) -> ResetRequested:
        """Email a reset link (the same answer whether or not the email has an account)."""
        return await service.request_reset(COMPANY_USER, data, client_address(request))

    @post("/password-reset/complete", status_code=200, opt={**THROTTLED, **EMAILED_TOKEN})
    async def complete_reset(self, request: Request, data: JSONBody[PasswordResetComplete]) -> SessionPublic:
        """Set a new password with the emailed link; every other session ends."""
        return await service.complete_reset(COMPANY_USER, data, client_address(request))

    @post("/password", status_code=204, dependencies=REQUIRE_SESSION, opt=THROTTLED)
    async def change(self, request: Request, principal: CurrentPrincipal, data: JSONBody[PasswordChange]) -> None:
        """Change the signed-in user's password; their other sessions end."""
        await service.change_password(
            COMPANY_USER, principal.user_id, principal.session_id, data, client_address(request)
        )


class WorkerPasswordController(Controller):
    """Workers' passwords."""

    path = "/api/worker/auth"
    tags = ["worker"]

    @post("/password-reset", status_code=202, opt=THROTTLED)
    async def request_reset(self, request: Request, data: JSONBody[PasswordResetRequest]) -> ResetRequested:
        """Email a reset link (the same answer whether or not the email has an account)."""
        return await service.request_reset(WORKER, data, client_address(request))

    @post("/password-reset/complete", status_code=200, opt={**THROTTLED, **EMAILED_TOKEN})
    async def complete_reset(self, request: Request, data: JSONBody[PasswordResetComplete]) -> WorkerSessionPublic:
        """Set a new password with the emailed link; every other session ends and the email counts as proven."""
        return await service.complete_reset(WORKER, data, client_address(request))

    @post("/password", status_code=204, dependencies=REQUIRE_WORKER, opt=THROTTLED)
    async def change(self, request: Request, worker: CurrentWorker, data: JSONBody[PasswordChange]) -> None:
        """Change the signed-in worker's password; their other sessions end."""
        await service.change_password(WORKER, worker.worker_id, worker.session_id, data, client_address(request))
