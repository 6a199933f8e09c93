"""HTTP routes for Flow 2: the company's links and applicants, and the public link and confirmation pages."""

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from backend.auth import REQUIRE_ADMIN, REQUIRE_SESSION, REQUIRE_WORKER
from backend.http import THROTTLED, CurrentPrincipal, CurrentWorker, PathId, client_address, rate_limited
from backend.links import applicants, service, signups
from backend.ratelimit import throttle
from shared.contacts import ContactIds
from shared.invitations import InvitationResult
from shared.links import (
    ApplicantCounts,
    ApplicationResult,
    EmailConfirmed,
    LinkCreate,
    LinkPreview,
    LinkPublic,
    LinkSignup,
    WorkerApplicationList,
)


class LinkController(Controller):
    """The company's invitation links (Owners and Admins) and the applicants they bring (everyone on the team)."""

    path = "/api"
    tags = ["links"]
    dependencies = REQUIRE_SESSION

    @get("/links", dependencies=REQUIRE_ADMIN)
    async def list_links(self, principal: CurrentPrincipal) -> list[LinkPublic]:
        """Every link with its URL and counts."""
        return await service.list_links(principal)

    @post("/links", status_code=201, dependencies=REQUIRE_ADMIN)
    async def create_link(self, principal: CurrentPrincipal, data: JSONBody[LinkCreate]) -> LinkPublic:
        """Create a link."""
        return await service.create_link(principal, data)

    @post("/links/{link_id:int}/revoke", status_code=200, dependencies=REQUIRE_ADMIN)
    async def revoke_link(self, principal: CurrentPrincipal, link_id: PathId) -> LinkPublic:
        """Stop a link."""
        return await service.revoke_link(principal, link_id)

    @post("/links/{link_id:int}/rotate", status_code=200, dependencies=REQUIRE_ADMIN)
    async def rotate_link(self, principal: CurrentPrincipal, link_id: PathId) -> LinkPublic:
        """Give a link a new URL; the old one stops at once."""
        return await service.rotate_link(principal, link_id)

    @get("/applicants/counts")
    async def applicant_counts(self, principal: CurrentPrincipal) -> ApplicantCounts:
        """How many applicants wait for approval, and how many for their email confirmation."""
        return await applicants.applicant_counts(principal)

    @post("/applicants/approve", status_code=200)
    async def approve(self, principal: CurrentPrincipal, data: JSONBody[ContactIds]) -> InvitationResult:
        """Approve applicants."""
        return await service.decide_applicants(principal, data.ids, approve=True)

    @post("/applicants/reject", status_code=200)
    async def reject(self, principal: CurrentPrincipal, data: JSONBody[ContactIds]) -> InvitationResult:
        """Reject applicants."""
        return await service.decide_applicants(principal, data.ids, approve=False)


class WorkerApplicationController(Controller):
    """The applications a signed-in worker made through links, until a company decides."""

    path = "/api/worker/applications"
    tags = ["worker"]
    dependencies = REQUIRE_WORKER

    @get("/")
    async def list_applications(self, worker: CurrentWorker) -> WorkerApplicationList:
        """Pending applications: the company, when, and whether they wait for email confirmation or approval."""
        return await applicants.worker_applications(worker)


class WorkerConfirmationController(Controller):
    """A signed-in worker asks for the email confirmation again."""

    path = "/api/worker/confirmation"
    tags = ["worker"]
    dependencies = REQUIRE_WORKER

    @post("/resend", status_code=204, guards=[rate_limited("confirm-resend")])
    async def resend(self, worker: CurrentWorker) -> None:
        """Send the confirmation email again (throttled)."""
        await signups.resend_confirmation(worker)


class PublicLinkController(Controller):
    """The public side of links: rate-limited per client address."""

    path = "/api/public"
    tags = ["public"]

    @get("/links/{token:str}", guards=[rate_limited("link-view")])
    async def preview(self, token: FromPath[str]) -> LinkPreview:
        """The company behind a link."""
        return await signups.preview_link(token)

    @post("/links/{token:str}/signup", status_code=201, guards=[rate_limited("link-signup")], opt=THROTTLED)
    async def sign_up(self, request: Request, token: FromPath[str], data: JSONBody[LinkSignup]) -> ApplicationResult:
        """Create a worker account and apply."""
        await throttle("link-signup", client_address(request), data.email)
        return await signups.sign_up_via_link(token, data)

    @post(
        "/links/{token:str}/apply", status_code=201, dependencies=REQUIRE_WORKER, guards=[rate_limited("link-signup")]
    )
    async def apply(self, token: FromPath[str], worker: CurrentWorker) -> ApplicationResult:
        """Apply with the signed-in worker account."""
        return await signups.apply_via_link(token, worker)

    @post("/confirm-email/{token:str}", status_code=200, guards=[rate_limited("confirm-email")], opt=THROTTLED)
    async def confirm(self, request: Request, token: FromPath[str]) -> EmailConfirmed:
        """Confirm a worker's email address."""
        await throttle("confirm-email", client_address(request), token)
        return await signups.confirm_email(token)
