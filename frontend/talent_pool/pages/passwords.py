"""Password pages: forgot (/forgot-password), set a new one from the email (/reset-password/<token>), and change.

Each exists for company users and, under /worker/, for workers; a hidden `account` field tells the state which.
"""

from __future__ import annotations

import reflex as rx

from shared.limits import PASSWORD_RULE

from ..components.fields import form_alert, text_field
from ..components.layout import app_shell, auth_layout
from ..states.passwords import ChangePasswordState, ForgotPasswordState, ResetPasswordState
from .auth import auth_card

PASSWORD_HINT = f"{PASSWORD_RULE} Common passwords are refused."


def _account_field(worker: bool) -> rx.Component:
    return rx.el.input(type="hidden", name="account", value="worker" if worker else "company")


def _login_href(worker: bool) -> str:
    return "/worker/login" if worker else "/login"


def _back_to_login(worker: bool) -> rx.Component:
    return rx.text(
        "Remembered it? ",
        rx.link("Back to log in", href=_login_href(worker), weight="medium"),
        size="2",
        color=rx.color("gray", 11),
        text_align="center",
        width="100%",
    )


def _submit(label: str, state: type[rx.State]) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", loading=state.submitting)


def _forgot_page(worker: bool) -> rx.Component:
    form = rx.form(
        rx.vstack(
            form_alert(ForgotPasswordState.form_error),
            _account_field(worker),
            text_field(
                "Email",
                "forgot-email",
                ForgotPasswordState.errors.get("email", ""),
                input_type="email",
                name="email",
                auto_complete="username",
                placeholder="you@example.com" if worker else "you@company.com",
                auto_focus=True,
            ),
            _submit("Send reset link", ForgotPasswordState),
            spacing="4",
            width="100%",
        ),
        on_submit=ForgotPasswordState.send_link,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
    sent = rx.callout(
        ForgotPasswordState.sent_message,
        icon="mail_check",
        color_scheme="green",
        variant="soft",
        role="status",
        width="100%",
    )
    body = rx.cond(ForgotPasswordState.sent_message != "", sent, form)
    subtitle = "Enter the email of your account. We will send you a link to set a new password."
    return auth_layout(
        auth_card("Forgot your password?", subtitle, body, _back_to_login(worker)), home_href=_login_href(worker)
    )


def forgot_password_page() -> rx.Component:
    """A company user asks for a reset link."""
    return _forgot_page(worker=False)


def worker_forgot_password_page() -> rx.Component:
    """A worker asks for a reset link."""
    return _forgot_page(worker=True)


def _reset_page(worker: bool) -> rx.Component:
    forgot_href = "/worker/forgot-password" if worker else "/forgot-password"
    form = rx.form(
        rx.vstack(
            form_alert(ResetPasswordState.form_error),
            _account_field(worker),
            rx.cond(
                ResetPasswordState.link_invalid,
                rx.button(
                    "Ask for a new link",
                    type="button",
                    size="3",
                    width="100%",
                    variant="soft",
                    on_click=rx.redirect(forgot_href),
                ),
                rx.vstack(
                    text_field(
                        "New password",
                        "reset-password",
                        ResetPasswordState.errors.get("password", ""),
                        hint=PASSWORD_HINT,
                        input_type="password",
                        name="password",
                        auto_complete="new-password",
                        auto_focus=True,
                    ),
                    _submit("Set new password", ResetPasswordState),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetPasswordState.set_password,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
    subtitle = "Choose a new password. Setting it logs you out everywhere else."
    return auth_layout(
        auth_card("Set a new password", subtitle, form, _back_to_login(worker)), home_href=_login_href(worker)
    )


def reset_password_page() -> rx.Component:
    """A company user sets a new password from the emailed link."""
    return _reset_page(worker=False)


def worker_reset_password_page() -> rx.Component:
    """A worker sets a new password from the emailed link."""
    return _reset_page(worker=True)


def _change_form(worker: bool) -> rx.Component:
    return rx.form(
        rx.vstack(
            form_alert(ChangePasswordState.form_error),
            _account_field(worker),
            text_field(
                "Current password",
                "change-current-password",
                ChangePasswordState.errors.get("current_password", ""),
                input_type="password",
                name="current_password",
                auto_complete="current-password",
                auto_focus=True,
            ),
            text_field(
                "New password",
                "change-new-password",
                ChangePasswordState.errors.get("new_password", ""),
                hint=PASSWORD_HINT,
                input_type="password",
                name="new_password",
                auto_complete="new-password",
            ),
            _submit("Change password", ChangePasswordState),
            spacing="4",
            width="100%",
        ),
        on_submit=ChangePasswordState.change,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )


CHANGE_SUBTITLE = "Your other sessions are logged out; this one stays."


def change_password_page() -> rx.Component:
    """A signed-in company user changes their password."""
    card = auth_card(
        "Change your password", CHANGE_SUBTITLE, _change_form(worker=False), rx.link("Cancel", href="/", size="2")
    )
    return app_shell(rx.box(card, max_width="480px", width="100%", padding="32px 0"), active="account")


def worker_change_password_page() -> rx.Component:
    """A signed-in worker changes their password."""
    card = auth_card(
        "Change your password", CHANGE_SUBTITLE, _change_form(worker=True), rx.link("Cancel", href="/worker", size="2")
    )
    return auth_layout(card, home_href="/worker")
