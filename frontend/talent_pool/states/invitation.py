"""The public invitation page (/invite/<token>): what the company wrote, and creating the worker account."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.invitations import InvitationAccept

from ..api import ApiError
from ..display import calendar_date
from .worker_session import WORKER_HOME_ROUTE, WorkerSessionState, initials

# Why a link cannot be used: the BFF's problem code → the page's title.
GONE_TITLES: dict[str, str] = {
    "invitation_not_found": "Invitation not found",
    "invitation_used": "Invitation already accepted",
    "invitation_expired": "Invitation expired",
    "invitation_revoked": "Invitation withdrawn",
    "invitation_superseded": "A newer invitation was sent",
}
GONE_ADVICE: dict[str, str] = {
    "invitation_not_found": "Check that you opened the whole link from the email. If it still does not work, "
    "ask the company that invited you to send it again.",
    "invitation_used": "Log in to your worker account to see the companies you are connected with.",
    "invitation_expired": "Invitation links work for a limited time. Ask the company that invited you "
    "to send a new one.",
    "invitation_revoked": "If you think this is a mistake, contact the company that invited you.",
    "invitation_superseded": "",
}
NOT_FOUND_DETAIL = "This invitation link is not valid."


def _text(form_data: dict[str, Any], key: str) -> str:
    value = form_data.get(key, "")
    return value if isinstance(value, str) else ""


class InvitationPageState(WorkerSessionState):
    """One invitation as its invitee sees it, and the sign-up form under it."""

    # "loading", "ready", "gone" (a 404 / 410 with a code) or "error" (the service failed).
    page: str = "loading"
    company_name: str = ""
    inviter_name: str = ""
    message: str = ""
    email: str = ""
    name: str = ""
    expires: str = ""
    gone_code: str = ""
    gone_detail: str = ""
    error: str = ""

    errors: dict[str, str] = {}
    form_error: str = ""
    account_exists: bool = False
    submitting: bool = False
    # A worker is logged in in this browser (checked with the BFF when the link was already used).
    signed_in: bool = False

    _token: str = ""

    @rx.var
    def company_initials(self) -> str:
        """The company's initials, for its mark on the card."""
        return initials(self.company_name)

    @rx.var
    def invited_line(self) -> str:
        """E.g. "Cleo Client invited you to join Client Co's Talent Pool"."""
        who = self.inviter_name or "Someone"
        return f"{who} invited you to join {self.company_name}'s Talent Pool"

    @rx.var
    def gone_title(self) -> str:
        """The heading of the page for a link that cannot be used."""
        return GONE_TITLES.get(self.gone_code, GONE_TITLES["invitation_not_found"])

    @rx.var
    def gone_advice(self) -> str:
        """What the person can do about it."""
        if self.gone_code == "invitation_used" and self.signed_in:
            return f"You are logged in as {self.worker_name}. Your portal lists the companies you are connected with."
        return GONE_ADVICE.get(self.gone_code, GONE_ADVICE["invitation_not_found"])

    @rx.var
    def gone_offers_login(self) -> bool:
        """Whether a worker account likely exists and nobody is logged in, so "Log in" is the way on."""
        return self.gone_code == "invitation_used" and not self.signed_in

    @rx.var
    def gone_offers_portal(self) -> bool:
        """Whether the link was used and a worker is logged in already, so "Go to your portal" is the way on."""
        return self.gone_code == "invitation_used" and self.signed_in

    async def _check_signed_in(self) -> None:
        """Whether the worker session of this browser (if any) is still valid."""
        self.signed_in = False
        if not self.worker_token:
            return
        try:
            self._remember_worker(await self.worker_api().worker_me())
        except ApiError as err:
            self._forget_ended_worker(err)
            return
        self.signed_in = True

    def _gone(self, err: ApiError) -> None:
        self.page = "gone"
        self.gone_code = err.code if err.code in GONE_TITLES else "invitation_not_found"
        self.gone_detail = err.problem.detail if err.code in GONE_TITLES else NOT_FOUND_DETAIL
        if not self.gone_detail:
            self.gone_detail = NOT_FOUND_DETAIL

    @rx.event
    async def load_invitation(self):
        """On load of /invite/<token>: ask the BFF what this link is."""
        self.page = "loading"
        self.errors = {}
        self.form_error = ""
        self.account_exists = False
        self.submitting = False
        self.signed_in = False
        self.error = ""
        self._token = self.invite_token  # the route's [invite_token]
        yield
        if not self._token:
            self.page = "gone"
            self.gone_code = "invitation_not_found"
            self.gone_detail = NOT_FOUND_DETAIL
            return
        try:
            preview = await self.worker_api().invitation_preview(self._token)
        except ApiError as err:
            if err.status in (404, 410):
                if err.code == "invitation_used":
                    await self._check_signed_in()
                self._gone(err)
            else:
                self.page = "error"
                self.error = err.message()
            return
        self.company_name = preview.company_name
        self.inviter_name = preview.inviter_name
        self.message = preview.message.strip()
        self.email = preview.email
        self.name = preview.name
        self.expires = calendar_date(preview.expires_at) if preview.expires_at else ""
        self.page = "ready"

    @rx.event
    async def accept(self, form_data: dict[str, Any]):
        """Create the worker account, sign in and open the portal."""
        self.errors = {}
        self.form_error = ""
        self.account_exists = False
        self.submitting = True
        yield
        name = _text(form_data, "name").strip()
        self.name = name
        try:
            session = await self.worker_api().accept_invitation(
                self._token, InvitationAccept(name=name, password=_text(form_data, "password"))
            )
        except ApiError as err:
            self.submitting = False
            if err.status in (404, 410):
                self._gone(err)
                return
            self.errors = {key: value for key, value in err.field_messages().items() if key in ("name", "password")}
            if err.code == "account_exists":
                self.account_exists = True
            if not self.errors:
                self.form_error = err.message()
            return
        self._remember_worker_session(session)
        self.submitting = False
        yield rx.toast.success(f"Welcome, {session.worker.name}! You joined {self.company_name}'s Talent Pool.")
        yield self._open_worker_cookie(WORKER_HOME_ROUTE)
