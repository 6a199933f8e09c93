"""Logging in and signing up."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.accounts import LoginCreate, SignupCreate

from ..api import ApiError
from .session import HOME_ROUTE, SessionState, safe_next_path


def _text(form_data: dict[str, Any], key: str) -> str:
    value = form_data.get(key, "")
    return value if isinstance(value, str) else ""


class AuthFormState(SessionState):
    """The login and signup forms: their errors and submitting flag."""

    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    def _reset_errors(self) -> None:
        self.errors = {}
        self.form_error = ""

    def _show_problem(self, err: ApiError) -> None:
        self.errors = err.field_messages()
        if not self.errors or err.code == "invalid_credentials":
            self.form_error = err.message()

    @rx.event
    async def open_form(self):
        """On load of /login or /signup: skip the form when already signed in."""
        self._reset_errors()
        self.submitting = False
        if not self.token:
            return None
        try:
            self._remember_me(await self.api().me())
        except ApiError as err:
            self._forget_ended(err)
            return None
        return rx.redirect(HOME_ROUTE)

    @rx.event
    async def login(self, form_data: dict[str, Any]):
        """Log in with the submitted email and password."""
        self._reset_errors()
        self.submitting = True
        yield
        try:
            session = await self.api().login(
                LoginCreate(
                    email=_text(form_data, "email").strip(),
                    password=_text(form_data, "password"),
                )
            )
        except ApiError as err:
            self._show_problem(err)
            self.submitting = False
            return
        self._remember_session(session)
        self.submitting = False
        next_path = self.router.url.query_parameters.get("next", HOME_ROUTE)
        yield self._open_session_cookie(safe_next_path(next_path))

    @rx.event
    async def signup(self, form_data: dict[str, Any]):
        """Create the company account and go to its (empty) Talent Pool."""
        self._reset_errors()
        self.submitting = True
        yield
        try:
            session = await self.api().signup(
                SignupCreate(
                    company_name=_text(form_data, "company_name").strip(),
                    name=_text(form_data, "name").strip(),
                    email=_text(form_data, "email").strip(),
                    password=_text(form_data, "password"),
                )
            )
        except ApiError as err:
            self._show_problem(err)
            self.submitting = False
            return
        self._remember_session(session)
        self.submitting = False
        yield rx.toast.success(f"Welcome to Talent Pool, {session.user.name}")
        yield self._open_session_cookie(HOME_ROUTE)
