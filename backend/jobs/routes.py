"""HTTP routes for job offers: the company hires and withdraws, the worker accepts or declines."""

from litestar import Controller, get, post
from litestar.params import JSONBody

from backend.auth import REQUIRE_SESSION, REQUIRE_WORKER
from backend.http import CONFIRMED_EMAIL, CurrentPrincipal, CurrentWorker, PathId
from backend.jobs import service
from shared.jobs import JobOfferCreate, JobOfferList, JobOfferPublic, WorkerOffer, WorkerOfferList


class JobOfferController(Controller):
    """The company's side: offers to its contacts."""

    path = "/api"
    tags = ["jobs"]
    dependencies = REQUIRE_SESSION

    @post("/contacts/{contact_id:int}/offers", status_code=201)
    async def create_offer(
        self, principal: CurrentPrincipal, contact_id: PathId, data: JSONBody[JobOfferCreate]
    ) -> JobOfferPublic:
        """Hire or re-hire: offer a job to an active contact."""
        return await service.create_offer(principal, contact_id, data)

    @get("/contacts/{contact_id:int}/offers")
    async def list_offers(self, principal: CurrentPrincipal, contact_id: PathId) -> JobOfferList:
        """A contact's offers, newest first."""
        return await service.offers_for_contact(principal, contact_id)

    @get("/contacts/{contact_id:int}/offers/prefill")
    async def prefill(self, principal: CurrentPrincipal, contact_id: PathId) -> JobOfferCreate:
        """The Re-hire form, filled from the contact's last job."""
        return await service.prefill(principal, contact_id)

    @post("/offers/{offer_id:int}/withdraw", status_code=200)
    async def withdraw(self, principal: CurrentPrincipal, offer_id: PathId) -> JobOfferPublic:
        """Take back an offer that has not been answered."""
        return await service.withdraw(principal, offer_id)


class WorkerOfferController(Controller):
    """The worker's side: offers from every company they work with."""

    path = "/api/worker/offers"
    tags = ["worker"]
    dependencies = REQUIRE_WORKER

    @get("/")
    async def list_offers(self, worker: CurrentWorker) -> WorkerOfferList:
        """The worker's offers: open ones first."""
        return await service.worker_offers(worker)

    @post("/{offer_id:int}/accept", status_code=200, opt=CONFIRMED_EMAIL)
    async def accept(self, worker: CurrentWorker, offer_id: PathId) -> WorkerOffer:
        """Take the job."""
        return await service.answer_offer(worker, offer_id, accept=True)

    @post("/{offer_id:int}/decline", status_code=200, opt=CONFIRMED_EMAIL)
    async def decline(self, worker: CurrentWorker, offer_id: PathId) -> WorkerOffer:
        """Turn the job down."""
        return await service.answer_offer(worker, offer_id, accept=False)
