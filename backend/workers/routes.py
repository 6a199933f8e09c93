"""HTTP routes of the worker portal: login, logout, connection requests."""

from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from backend.auth import REQUIRE_WORKER
from backend.http import CONFIRMED_EMAIL, THROTTLED, CurrentWorker, PathId, client_address
from backend.workers import service
from shared.invitations import Connection, ConnectionList, WorkerLogin, WorkerPublic, WorkerSessionPublic


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


class WorkerConnectionController(Controller):
    """Companies a worker is connected to, and their requests."""

    path = "/api/worker/connections"
    tags = ["worker"]
    dependencies = REQUIRE_WORKER

    @get("/")
    async def list_connections(self, worker: CurrentWorker) -> ConnectionList:
        """Pending requests and connected companies."""
        return await service.list_connections(worker)

    @post("/{contact_id:int}/accept", status_code=200, opt=CONFIRMED_EMAIL)
    async def accept(self, worker: CurrentWorker, contact_id: PathId) -> Connection:
        """Accept a company's connection request."""
        return await service.answer_connection(worker, contact_id, accept=True)

    @post("/{contact_id:int}/decline", status_code=200, opt=CONFIRMED_EMAIL)
    async def decline(self, worker: CurrentWorker, contact_id: PathId) -> Connection:
        """Decline a company's connection request."""
        return await service.answer_connection(worker, contact_id, accept=False)
