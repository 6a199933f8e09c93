"""Forgotten and changed passwords, for company users and workers (a hidden `account` field says which)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.passwords import PasswordChange, PasswordResetComplete

from ..api import ApiError, TalentPoolApi
from .session import HOME_ROUTE, LOGIN_ROUTE, SessionState
from .worker_session import WORKER_HOME_ROUTE, WORKER_LOGIN_ROUTE, WorkerSessionState


def _text(form_data: dict[str, Any], key: str) -> str:
    value = form_data.get(key, "")
    return value if isinstance(value, str) else ""


def _for_worker(form_data: dict[str, Any]) -> bool:
    return _text(form_data, "account") == "worker"


class PasswordFormState(rx.State):
    """Field messages, the whole-form message and the submitting flag shared by the password forms."""

    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    def _start(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.submitting = True

    def _show_problem(self, err: ApiError) -> None:
        self.errors = err.field_messages()
        if not self.errors:
            self.form_error = err.message()
        self.submitting = False

    def _api(self, token: str = "") -> TalentPoolApi:
        return TalentPoolApi(token, visitor_ip=self.router.session.client_ip)


class ForgotPasswordState(PasswordFormState):
    """/forgot-password and /worker/forgot-password: ask for a reset link."""

    sent_message: str = ""

    @rx.event
    def open_form(self):
        """On load: an empty form."""
        self.errors = {}
        self.form_error = ""
        self.submitting = False
        self.sent_message = ""

    @rx.event
    async def send_link(self, form_data: dict[str, Any]):
        """Ask the BFF to email a reset link; show its one answer."""
        self._start()
        yield
        try:
            answer = await self._api().request_password_reset(
                _text(form_data, "email").strip(), worker=_for_worker(form_data)
            )
        except ApiError as err:
            self._show_problem(err)
            return
        self.sent_message = answer.detail
        self.submitting = False


class ResetPasswordState(PasswordFormState):
    """/reset-password/<token> and /worker/reset-password/<token>: set a new password, then go in."""

    link_invalid: bool = False

    @rx.event
    def open_form(self):
        """On load: an empty form."""
        self.errors = {}
        self.form_error = ""
        self.submitting = False
        self.link_invalid = False

    @rx.event
    async def set_password(self, form_data: dict[str, Any]):
        """Set the new password with the link's token; the BFF signs the person in."""
        self._start()
        yield
        worker = _for_worker(form_data)
        data = PasswordResetComplete(token=self.reset_token, password=_text(form_data, "password"))
        try:
            session = await self._api().complete_password_reset(data, worker=worker)
        except ApiError as err:
            self.link_invalid = err.code == "reset_link_invalid"
            self._show_problem(err)
            return
        self.submitting = False
        # Signed in: the session's HttpOnly cookie is opened, then the person lands at home.
        if worker:
            worker_session = await self.get_state(WorkerSessionState)
            worker_session._remember_worker_session(session)
            yield worker_session._open_worker_cookie(WORKER_HOME_ROUTE)
        else:
            company_session = await self.get_state(SessionState)
            company_session._remember_session(session)
            yield company_session._open_session_cookie(HOME_ROUTE)
        yield rx.toast.success("Your new password is set. Every other session has been logged out.")


class ChangePasswordState(PasswordFormState):
    """/account/password and /worker/password: the signed-in person changes their password."""

    @rx.event
    async def open_company_form(self):
        """On load of /account/password: a company session is needed."""
        self.errors = {}
        self.form_error = ""
        self.submitting = False
        if not (await self.get_state(SessionState)).token:
            return rx.redirect(f"{LOGIN_ROUTE}?next=/account/password")
        return None

    @rx.event
    async def open_worker_form(self):
        """On load of /worker/password: a worker session is needed."""
        self.errors = {}
        self.form_error = ""
        self.submitting = False
        if not (await self.get_state(WorkerSessionState)).worker_token:
            return rx.redirect(f"{WORKER_LOGIN_ROUTE}?next=/worker/password")
        return None

    @rx.event
    async def change(self, form_data: dict[str, Any]):
        """Send the current and the new password; other sessions end, this one stays."""
        self._start()
        yield
        worker = _for_worker(form_data)
        if worker:
            token = (await self.get_state(WorkerSessionState)).worker_token
        else:
            token = (await self.get_state(SessionState)).token
        data = PasswordChange(
            current_password=_text(form_data, "current_password"), new_password=_text(form_data, "new_password")
        )
        try:
            await self._api(token).change_password(data, worker=worker)
        except ApiError as err:
            if worker:
                ended = (await self.get_state(WorkerSessionState))._worker_failed(err, inline=True)
            else:
                ended = (await self.get_state(SessionState))._failed(err, inline=True)
            if ended is not None:
                self.submitting = False
                yield ended
                return
            self._show_problem(err)
            return
        self.submitting = False
        yield rx.redirect(WORKER_HOME_ROUTE if worker else HOME_ROUTE)
        yield rx.toast.success("Your password is changed. Your other sessions have been logged out.")
