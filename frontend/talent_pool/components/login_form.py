"""The log-in form, one for company users and workers: email, password, "Forgot password?"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from .fields import form_alert, text_field


def forgot_password_link(href: str) -> rx.Component:
    """ "Forgot password?" under a log-in form's password field."""
    return rx.flex(
        rx.link("Forgot password?", href=href, size="2", weight="medium"),
        justify="end",
        width="100%",
        margin_top="-8px",
    )


def login_form(state: Any, *, id_prefix: str, email_placeholder: str, forgot_href: str) -> rx.Component:
    """Email and password with their messages; `state` has `login`, the field errors and `submitting`."""
    return rx.form(
        rx.vstack(
            form_alert(state.form_error),
            text_field(
                "Email",
                f"{id_prefix}-email",
                state.errors.get("email", ""),
                input_type="email",
                name="email",
                auto_complete="username",
                placeholder=email_placeholder,
                auto_focus=True,
            ),
            text_field(
                "Password",
                f"{id_prefix}-password",
                state.errors.get("password", ""),
                input_type="password",
                name="password",
                auto_complete="current-password",
            ),
            forgot_password_link(forgot_href),
            rx.button("Log in", type="submit", size="3", width="100%", loading=state.submitting),
            spacing="4",
            width="100%",
        ),
        on_submit=state.login,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
