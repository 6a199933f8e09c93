"""HTTP routes of the worker portal's sessions: login, logout, the signed-in worker."""

from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from backend.auth import REQUIRE_WORKER
from backend.http import THROTTLED, CurrentWorker, client_address
from backend.workers import service
from shared.invitations import WorkerLogin, WorkerPublic, WorkerSessionPublic


class WorkerAuthController(Controller):
    """Worker accounts' sessions."""

    path = "/api/worker/auth"
    tags = ["worker"]

    @post("/login", status_code=200, opt=THROTTLED)
    async def log_in(self, request: Request, data: JSONBody[WorkerLogin]) -> WorkerSessionPublic:
        """Open a worker session."""
        return await service.log_in_worker(data, client_address(request))

    @post("/logout", status_code=204, dependencies=REQUIRE_WORKER)
    async def log_out(self, worker: CurrentWorker) -> None:
        """Revoke the worker's session."""
        await service.log_out_worker(worker)

    @get("/me", dependencies=REQUIRE_WORKER)
    async def me(self, worker: CurrentWorker) -> WorkerPublic:
        """The signed-in worker."""
        return await service.describe_worker(worker)
