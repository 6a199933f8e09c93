"""HTTP routes of the worker portal's connections: companies' requests and the worker's answers."""

from litestar import Controller, get, post

from backend.auth import REQUIRE_WORKER
from backend.connections import service
from backend.http import CONFIRMED_EMAIL, CurrentWorker, PathId
from shared.invitations import Connection, ConnectionList


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
