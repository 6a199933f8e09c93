"""Flow 2's public pages: joining through an invitation link (/join/<token>) and confirming an email."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.links import ApplicationResult, LinkSignup

from ..api import ApiError, TalentPoolApi
from .worker_session import WorkerSessionState

UNAVAILABLE_DETAIL = (
    "The link may have been changed, stopped or used up. Ask the company that shared it for a current link."
)
RATE_LIMITED_PREFIX = "Too many attempts. "


def _text(form_data: dict[str, Any], key: str) -> str:
    value = form_data.get(key, "")
    return value if isinstance(value, str) else ""


def form_message(err: ApiError) -> str:
    """The sentence shown over a form for a problem without (only) field errors."""
    if err.status == 429:
        return RATE_LIMITED_PREFIX + (err.problem.detail or "Please wait a moment and try again.")
    return err.message()


class JoinState(WorkerSessionState):
    """One invitation link as a visitor sees it: sign up, or apply with a worker account."""

    # "loading", "ready", "sent" (check your email), "applied", "unavailable" or "error".
    page: str = "loading"
    company_name: str = ""
    label: str = ""
    allowed_domains: list[str] = []
    unavailable_detail: str = ""
    error: str = ""

    email: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    account_exists: bool = False
    submitting: bool = False
    signed_in: bool = False

    _token: str = ""

    def _api(self) -> TalentPoolApi:
        return TalentPoolApi(self.worker_token, visitor_ip=self.router.session.client_ip)

    @rx.var
    def title(self) -> str:
        """E.g. "Join Client Co's Talent Pool"."""
        return f"Join {self.company_name}'s Talent Pool"

    @rx.var
    def domains_text(self) -> str:
        """Which email addresses the link accepts, if it limits them."""
        if not self.allowed_domains:
            return ""
        return "Sign up with an email address at " + ", ".join(f"@{d}" for d in self.allowed_domains) + "."

    @rx.var
    def login_href(self) -> str:
        """The worker login that comes back to this page."""
        return f"/worker/login?next=/join/{self._token}"

    @rx.var
    def sent_text(self) -> str:
        """What the "Check your email" state says."""
        return f"We sent a confirmation link to {self.email}. {self.company_name} can approve you once you confirm."

    def _unavailable(self, err: ApiError | None = None) -> None:
        self.page = "unavailable"
        detail = err.problem.detail if err is not None else ""
        self.unavailable_detail = detail or UNAVAILABLE_DETAIL

    def _problem(self, err: ApiError) -> None:
        if err.code == "link_unavailable" or err.status == 404:
            self._unavailable(err)
            return
        self.errors = {k: v for k, v in err.field_messages().items() if k in ("name", "email", "password")}
        self.account_exists = err.code == "account_exists"
        if not self.errors or err.status in (409, 429):
            self.form_error = form_message(err)

    @rx.event
    async def load_link(self):
        """On load of /join/<token>: ask the BFF which company this link belongs to."""
        self.page = "loading"
        self.errors = {}
        self.form_error = ""
        self.account_exists = False
        self.submitting = False
        self.error = ""
        self._token = self.link_token  # the route's [link_token]
        yield
        if not self._token:
            self._unavailable()
            return
        try:
            preview = await self._api().link_preview(self._token)
        except ApiError as err:
            if err.status == 404:
                self._unavailable(err)
            else:
                self.page = "error"
                self.error = form_message(err)
            return
        self.company_name = preview.company_name
        self.label = preview.label
        self.allowed_domains = list(preview.allowed_domains)
        self.signed_in = False
        if self.worker_token:
            try:
                self._remember_worker(await self._api().worker_me())
                self.signed_in = True
            except ApiError as err:
                self._forget_ended_worker(err)
        self.page = "ready"

    def _remember_application(self, result: ApplicationResult, name: str, email: str) -> bool:
        """Keep the new account's session, if the BFF opened one; whether it did."""
        if not result.token:
            return False
        self._remember_worker_token(result.token, result.expires_at)
        self.worker_name = name
        self.worker_email = email
        return True

    @rx.event
    async def sign_up(self, form_data: dict[str, Any]):
        """Create the worker account and apply; then ask the person to confirm their email."""
        self.errors = {}
        self.form_error = ""
        self.account_exists = False
        self.submitting = True
        yield
        name = _text(form_data, "name").strip()
        email = _text(form_data, "email").strip()
        try:
            result = await self._api().link_signup(
                self._token, LinkSignup(name=name, email=email, password=_text(form_data, "password"))
            )
        except ApiError as err:
            self.submitting = False
            self._problem(err)
            return
        opened = self._remember_application(result, name, email)
        self.company_name = result.company_name or self.company_name
        self.email = email
        if opened:
            # "Check your email" shows once the browser holds the session cookie, so the portal
            # link and any new tab opened from here find the worker signed in.
            yield self._open_worker_cookie(callback=JoinState.signed_up)
            return
        self.submitting = False
        self.page = "sent"

    @rx.event
    def signed_up(self, _opened: bool):
        """After the page exchanged its ticket for the worker cookie (or failed to): ask to confirm the email."""
        self._worker_ticket_hash = ""
        self.submitting = False
        self.page = "sent"

    @rx.event
    async def apply(self):
        """Apply with the signed-in worker account."""
        self.form_error = ""
        self.submitting = True
        yield
        try:
            result = await self._api().link_apply(self._token)
        except ApiError as err:
            self.submitting = False
            if self._forget_ended_worker(err):
                self.signed_in = False
                self.form_error = "Your worker session ended. Please log in again."
                return
            self._problem(err)
            return
        self.submitting = False
        self.company_name = result.company_name or self.company_name
        self.email = self.worker_email
        self.page = "applied" if result.email_confirmed else "sent"


class ConfirmEmailState(WorkerSessionState):
    """The confirmation link from the email: confirms on load."""

    # "loading", "done" or "error".
    page: str = "loading"
    email: str = ""
    companies: list[str] = []
    error: str = ""

    @rx.var
    def companies_text(self) -> str:
        """Who reviews the application next."""
        if not self.companies:
            return "You can now be approved by the companies you applied to."
        names = ", ".join(self.companies)
        return f"{names} can now review and approve you. We email you when that happens."

    @rx.event
    async def confirm(self):
        """On load of /confirm-email/<token>: confirm the address at the BFF."""
        self.page = "loading"
        self.error = ""
        token = self.confirm_token  # the route's [confirm_token]
        yield
        if not token:
            self.page = "error"
            self.error = "This confirmation link is not valid."
            return
        api = TalentPoolApi(visitor_ip=self.router.session.client_ip)
        try:
            result = await api.confirm_email(token)
        except ApiError as err:
            self.page = "error"
            self.error = form_message(err)
            return
        self.email = result.email
        self.companies = list(result.companies)
        self.page = "done"
