"""The worker side: logging in, and the portal's job offers and connection requests."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from shared.invitations import Connection, WorkerLogin
from shared.jobs import OfferStatus, WorkerOffer
from shared.links import WaitingFor, WorkerApplication

from ..api import ApiError, TalentPoolApi
from ..display import calendar_date, date_and_time, date_range_text, place_text, rate_text, relative_date
from ..session_cookie import token_hash
from .session import safe_next_path
from .worker_session import WORKER_HOME_ROUTE, WorkerSessionState, initials


def _text(form_data: dict[str, Any], key: str) -> str:
    value = form_data.get(key, "")
    return value if isinstance(value, str) else ""


class WorkerLoginState(WorkerSessionState):
    """The worker login form."""

    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    @rx.event
    async def open_form(self):
        """On load of /worker/login: skip the form when already signed in."""
        self.errors = {}
        self.form_error = ""
        self.submitting = False
        if not self.worker_token:
            return None
        try:
            self._remember_worker(await self.worker_api().worker_me())
        except ApiError as err:
            self._forget_ended_worker(err)
            return None
        return rx.redirect(self._next_path())

    def _next_path(self) -> str:
        """Where to go after logging in: the portal, or back to an invitation link page."""
        next_path = safe_next_path(self.router.url.query_parameters.get("next", WORKER_HOME_ROUTE))
        return next_path if next_path.startswith((WORKER_HOME_ROUTE, "/join/")) else WORKER_HOME_ROUTE

    @rx.event
    async def login(self, form_data: dict[str, Any]):
        """Log in with the submitted email and password, then open the portal."""
        self.errors = {}
        self.form_error = ""
        self.submitting = True
        yield
        try:
            session = await self.worker_api().worker_login(
                WorkerLogin(email=_text(form_data, "email").strip(), password=_text(form_data, "password"))
            )
        except ApiError as err:
            self.errors = err.field_messages()
            if not self.errors or err.code == "invalid_credentials":
                self.form_error = err.message()
            self.submitting = False
            return
        self._remember_worker_session(session)
        self.submitting = False
        yield self._open_worker_cookie(self._next_path())


@dataclasses.dataclass
class ConnectionCard:
    """A company in the portal, formatted for display."""

    id: int
    company_name: str
    company_initials: str
    message: str
    since: str
    since_exact: str
    since_relative: str


def connection_card(connection: Connection) -> ConnectionCard:
    """Format a connection (request or connected company)."""
    return ConnectionCard(
        id=connection.id,
        company_name=connection.company_name,
        company_initials=initials(connection.company_name),
        message=connection.message.strip(),
        since=calendar_date(connection.since),
        since_exact=date_and_time(connection.since),
        since_relative=relative_date(connection.since),
    )


@dataclasses.dataclass
class ApplicationCard:
    """An application through a company's link, formatted for the portal."""

    id: int
    company_name: str
    company_initials: str
    applied: str
    applied_exact: str
    waiting_for: str
    waiting_label: str


WAITING_LABELS: dict[WaitingFor, str] = {
    WaitingFor.EMAIL_CONFIRMATION: "Waiting for your email confirmation",
    WaitingFor.APPROVAL: "Waiting for the company's approval",
}


def application_card(application: WorkerApplication) -> ApplicationCard:
    """Format a pending application."""
    return ApplicationCard(
        id=application.id,
        company_name=application.company_name,
        company_initials=initials(application.company_name),
        applied=calendar_date(application.applied_at),
        applied_exact=date_and_time(application.applied_at),
        waiting_for=application.waiting_for.value,
        waiting_label=WAITING_LABELS[application.waiting_for],
    )


# How an offer's status reads to the worker (the company reads "Hired" for accepted).
WORKER_OFFER_LABELS: dict[OfferStatus, str] = {
    OfferStatus.PENDING: "Not sent yet",
    OfferStatus.OFFERED: "Waiting for your answer",
    OfferStatus.ACCEPTED: "Accepted",
    OfferStatus.DECLINED: "Declined",
    OfferStatus.WITHDRAWN: "Withdrawn",
}


@dataclasses.dataclass
class OfferCard:
    """A job offer in the portal, formatted for display."""

    id: int
    company_name: str
    company_initials: str
    title: str
    description: str
    dates: str
    rate: str
    place: str
    remote: bool
    status: str
    status_label: str
    is_open: bool
    offered: str
    offered_exact: str
    answered: str


def offer_card(offer: WorkerOffer) -> OfferCard:
    """Format a job offer for the portal."""
    answered = ""
    if offer.status is OfferStatus.WITHDRAWN:
        answered = f"{offer.company_name} withdrew this offer"
    elif offer.answered_at is not None:
        verb = "You accepted" if offer.status is OfferStatus.ACCEPTED else "You declined"
        answered = f"{verb} {relative_date(offer.answered_at)}"
    return OfferCard(
        id=offer.id,
        company_name=offer.company_name,
        company_initials=initials(offer.company_name),
        title=offer.title,
        description=offer.description.strip(),
        dates=date_range_text(offer.start_date, offer.end_date),
        rate=rate_text(offer.rate, offer.currency, offer.rate_unit),
        place=place_text(offer.remote, offer.location),
        remote=offer.remote,
        status=offer.status.value,
        status_label=WORKER_OFFER_LABELS.get(offer.status, offer.status.label),
        is_open=offer.status is OfferStatus.OFFERED,
        offered=relative_date(offer.offered_at),
        offered_exact=date_and_time(offer.offered_at),
        answered=answered,
    )


class WorkerPortalState(WorkerSessionState):
    """The worker portal: job offers, companies asking to connect and companies the worker is connected to."""

    offers: list[OfferCard] = []
    # Why the last answer to an offer could not be given (withdrawn or answered meanwhile).
    offers_notice: str = ""
    offers_error: str = ""
    offer_answering_id: int = 0
    offer_answering_action: str = ""
    requests: list[ConnectionCard] = []
    companies: list[ConnectionCard] = []
    # Applications through companies' links that no company has decided yet.
    applications: list[ApplicationCard] = []
    loading: bool = True
    loaded: bool = False
    error: str = ""
    answering_id: int = 0
    answering_action: str = ""
    # Asking for the confirmation email again: in flight, what happened, or why it could not be sent.
    confirmation_sending: bool = False
    confirmation_sent: str = ""
    confirmation_error: str = ""

    @rx.var
    def first_name(self) -> str:
        """The worker's first name, for the greeting."""
        return (self.worker_name.split() or [""])[0]

    @rx.var
    def request_count(self) -> int:
        """How many requests wait for an answer."""
        return len(self.requests)

    @rx.var
    def open_offer_count(self) -> int:
        """How many job offers wait for an answer."""
        return sum(1 for offer in self.offers if offer.is_open)

    async def _fetch_offers(self, api: TalentPoolApi) -> None:
        """The job offers; a failure shows in their section only (a 401 is raised)."""
        try:
            listing = await api.worker_offers()
        except ApiError as err:
            if err.is_unauthorized:
                raise
            self.offers_error = err.message()
            return
        self.offers = [offer_card(item) for item in listing.items]
        self.offers_error = ""

    async def _fetch(self) -> None:
        api = self.worker_api()
        # Who the worker is, every time: the email may have been confirmed in another tab since.
        listing, _, worker, applied = await asyncio.gather(
            api.worker_connections(), self._fetch_offers(api), api.worker_me(), api.worker_applications()
        )
        self.requests = [connection_card(item) for item in listing.requests]
        self.companies = [connection_card(item) for item in listing.companies]
        self.applications = [application_card(item) for item in applied.items]
        self._remember_worker(worker)

    @rx.event
    async def load_portal(self):
        """On load of /worker: check the worker session and fetch the connections."""
        if not self.worker_token:
            yield self._worker_login_redirect()
            return
        self.loading = True
        self.error = ""
        self.answering_id = 0
        self.offer_answering_id = 0
        self.offers_notice = ""
        if self._worker_me_token_hash != token_hash(self.worker_token):
            self.offers = []
            self.offers_error = ""
            self.requests = []
            self.companies = []
            self.applications = []
            self.loaded = False
        yield
        try:
            await self._fetch()
        except ApiError as err:
            self.loading = False
            self.error = err.message()
            yield self._worker_failed(err, inline=True)
            return
        self.loaded = True
        self.loading = False

    async def _answer(self, contact_id: int, accept: bool):
        if self.answering_id:
            return
        request = next((item for item in self.requests if item.id == contact_id), None)
        company = request.company_name if request else "the company"
        self.answering_id = contact_id
        self.answering_action = "accept" if accept else "decline"
        yield
        api = self.worker_api()
        try:
            if accept:
                await api.accept_connection(contact_id)
            else:
                await api.decline_connection(contact_id)
            await self._fetch()
        except ApiError as err:
            self.answering_id = 0
            self.answering_action = ""
            ended = self._worker_failed(err, inline=True)
            if ended is not None:
                yield ended
                return
            yield rx.toast.error(err.message())
            try:
                await self._fetch()
            except ApiError:
                pass
            return
        self.answering_id = 0
        self.answering_action = ""
        if accept:
            yield rx.toast.success(f"You are now connected with {company}")
        else:
            yield rx.toast.success(f"You declined {company}'s request")

    async def _answer_offer(self, offer_id: int, accept: bool):
        if self.offer_answering_id:
            return
        offer = next((item for item in self.offers if item.id == offer_id), None)
        company = offer.company_name if offer else "The company"
        title = offer.title if offer else "the job"
        self.offer_answering_id = offer_id
        self.offer_answering_action = "accept" if accept else "decline"
        self.offers_notice = ""
        yield
        api = self.worker_api()
        problem: ApiError | None = None
        try:
            await (api.accept_offer(offer_id) if accept else api.decline_offer(offer_id))
        except ApiError as err:
            problem = err
        ended = self._worker_failed(problem, inline=True) if problem is not None else None
        if ended is not None:
            self.offer_answering_id = 0
            self.offer_answering_action = ""
            yield ended
            return
        try:
            await self._fetch_offers(api)
        except ApiError:
            pass  # what happened is said below; the list shows what it had
        self.offer_answering_id = 0
        self.offer_answering_action = ""
        if problem is None:
            if accept:
                yield rx.toast.success(f"You accepted “{title}”", description=f"{company} has been told.")
            else:
                yield rx.toast.success(f"You declined “{title}”", description=f"{company} has been told.")
        elif problem.code == "offer_withdrawn":
            self.offers_notice = (
                f"{company} withdrew the offer “{title}” before you answered, so it can no longer be accepted."
            )
        elif problem.code == "offer_answered":
            self.offers_notice = f"You already answered the offer “{title}”."
        else:
            yield rx.toast.error(problem.message())

    @rx.event
    async def resend_confirmation(self):
        """Ask the BFF to send the confirmation email again (it allows one a minute, a few a day)."""
        if self.confirmation_sending:
            return
        self.confirmation_sending = True
        self.confirmation_sent = ""
        self.confirmation_error = ""
        yield
        try:
            await self.worker_api().resend_confirmation()
        except ApiError as err:
            self.confirmation_sending = False
            ended = self._worker_failed(err, inline=True)
            if ended is not None:
                yield ended
            elif err.code == "already_confirmed":
                yield WorkerPortalState.load_portal
            else:
                self.confirmation_error = err.message()
            return
        self.confirmation_sending = False
        self.confirmation_sent = f"We sent a new confirmation link to {self.worker_email}."

    @rx.event
    async def accept_offer(self, offer_id: int):
        """Take the job."""
        async for update in self._answer_offer(offer_id, True):
            yield update

    @rx.event
    async def decline_offer(self, offer_id: int):
        """Turn the job down."""
        async for update in self._answer_offer(offer_id, False):
            yield update

    @rx.event
    def dismiss_offers_notice(self):
        """Hide the message about an offer that could not be answered."""
        self.offers_notice = ""

    @rx.event
    async def accept_request(self, contact_id: int):
        """Accept a company's connection request."""
        async for update in self._answer(contact_id, True):
            yield update

    @rx.event
    async def decline_request(self, contact_id: int):
        """Decline a company's connection request."""
        async for update in self._answer(contact_id, False):
            yield update
