"""What a worker and the public invitation pages ask the BFF: invitations, links, the worker portal."""

from __future__ import annotations

from shared.invitations import (
    Connection,
    ConnectionList,
    InvitationAccept,
    InvitationPreview,
    WorkerLogin,
    WorkerPublic,
    WorkerSessionPublic,
)
from shared.jobs import WorkerOffer, WorkerOfferList
from shared.links import ApplicationResult, EmailConfirmed, LinkPreview, LinkSignup, WorkerApplicationList

from .client import ApiClient, segment


class WorkerApi(ApiClient):
    """Calls made for workers and for people arriving through an invitation or a link."""

    async def invitation_preview(self, token: str) -> InvitationPreview:
        """What the public invitation page shows (404 / 410 problems say why a link cannot be used)."""
        return await self._call(
            "GET",
            f"/api/public/invitations/{segment(token)}",
            response_type=InvitationPreview,
            public=True,
        )

    async def accept_invitation(self, token: str, data: InvitationAccept) -> WorkerSessionPublic:
        """Create the worker account for the invited email; returns a worker session."""
        return await self._call(
            "POST",
            f"/api/public/invitations/{segment(token)}/accept",
            body=data,
            response_type=WorkerSessionPublic,
            public=True,
        )

    async def worker_login(self, data: WorkerLogin) -> WorkerSessionPublic:
        """Log a worker in; returns a new worker session."""
        return await self._call(
            "POST", "/api/worker/auth/login", body=data, response_type=WorkerSessionPublic, public=True
        )

    async def worker_logout(self) -> None:
        """Revoke the current worker session token."""
        await self._call("POST", "/api/worker/auth/logout")

    async def worker_me(self) -> WorkerPublic:
        """The signed-in worker."""
        return await self._call("GET", "/api/worker/auth/me", response_type=WorkerPublic)

    async def resend_confirmation(self) -> None:
        """Send the signed-in worker's email confirmation again (throttled by the BFF)."""
        await self._call("POST", "/api/worker/confirmation/resend")

    async def worker_connections(self) -> ConnectionList:
        """Companies asking the worker to connect, and companies the worker is connected to."""
        return await self._call("GET", "/api/worker/connections", response_type=ConnectionList)

    async def worker_applications(self) -> WorkerApplicationList:
        """The worker's applications through links that no company has decided yet."""
        return await self._call("GET", "/api/worker/applications", response_type=WorkerApplicationList)

    async def accept_connection(self, contact_id: int) -> Connection:
        """Accept a company's connection request."""
        return await self._call("POST", f"/api/worker/connections/{contact_id}/accept", response_type=Connection)

    async def decline_connection(self, contact_id: int) -> Connection:
        """Decline a company's connection request."""
        return await self._call("POST", f"/api/worker/connections/{contact_id}/decline", response_type=Connection)

    async def worker_offers(self) -> WorkerOfferList:
        """The worker's job offers from every company: open ones first."""
        return await self._call("GET", "/api/worker/offers", response_type=WorkerOfferList)

    async def accept_offer(self, offer_id: int) -> WorkerOffer:
        """Take the job (409 offer_withdrawn / offer_answered when it can no longer be answered)."""
        return await self._call("POST", f"/api/worker/offers/{offer_id}/accept", response_type=WorkerOffer)

    async def decline_offer(self, offer_id: int) -> WorkerOffer:
        """Turn the job down (409 offer_withdrawn / offer_answered when it can no longer be answered)."""
        return await self._call("POST", f"/api/worker/offers/{offer_id}/decline", response_type=WorkerOffer)

    async def link_preview(self, token: str) -> LinkPreview:
        """The company behind a link (404 link_unavailable when it cannot be used)."""
        return await self._call("GET", f"/api/public/links/{segment(token)}", response_type=LinkPreview, public=True)

    async def link_signup(self, token: str, data: LinkSignup) -> ApplicationResult:
        """Create a worker account through a link and apply at once."""
        return await self._call(
            "POST",
            f"/api/public/links/{segment(token)}/signup",
            body=data,
            response_type=ApplicationResult,
            public=True,
        )

    async def link_apply(self, token: str) -> ApplicationResult:
        """Apply through a link with the signed-in worker account (this client's token)."""
        return await self._call("POST", f"/api/public/links/{segment(token)}/apply", response_type=ApplicationResult)

    async def confirm_email(self, token: str) -> EmailConfirmed:
        """Confirm a worker's email address from the confirmation email's link."""
        return await self._call(
            "POST",
            f"/api/public/confirm-email/{segment(token)}",
            response_type=EmailConfirmed,
            public=True,
        )
