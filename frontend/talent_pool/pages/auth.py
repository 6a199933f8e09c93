"""The public pages: log in (/login) and create a company account (/signup)."""

from __future__ import annotations

import reflex as rx

from shared.limits import PASSWORD_RULE

from ..components.fields import form_alert, text_field
from ..components.layout import auth_layout
from ..components.login_form import login_form
from ..states.auth import AuthFormState


def auth_card(title: str, subtitle: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    """A card with a heading, a form and a link to the other auth page."""
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.heading(title, as_="h1", size="6", weight="bold"),
                rx.text(subtitle, size="2", color=rx.color("gray", 11)),
                spacing="1",
                width="100%",
            ),
            form,
            rx.separator(size="4"),
            footer,
            spacing="5",
            width="100%",
        ),
        size="4",
        width="100%",
        box_shadow="0 10px 30px -12px rgba(30, 41, 99, 0.18)",
    )


def login_page() -> rx.Component:
    """Email and password, then the Talent Pool."""
    form = login_form(
        AuthFormState, id_prefix="login", email_placeholder="you@company.com", forgot_href="/forgot-password"
    )
    footer = rx.vstack(
        rx.text(
            "New to Talent Pool? ",
            rx.link("Create a company account", href="/signup", weight="medium"),
            size="2",
            color=rx.color("gray", 11),
        ),
        rx.text(
            "Invited by a company? ",
            rx.link("Log in to your worker account", href="/worker/login", weight="medium"),
            size="2",
            color=rx.color("gray", 11),
        ),
        align="center",
        spacing="1",
        width="100%",
    )
    return auth_layout(auth_card("Log in", "Welcome back. Log in to your company's Talent Pool.", form, footer))


def signup_page() -> rx.Component:
    """A new company account and its first user."""
    form = rx.form(
        rx.vstack(
            form_alert(AuthFormState.form_error),
            text_field(
                "Company name",
                "signup-company-name",
                AuthFormState.errors.get("company_name", ""),
                name="company_name",
                auto_complete="organization",
                placeholder="Acme Studio",
                auto_focus=True,
            ),
            text_field(
                "Your name",
                "signup-name",
                AuthFormState.errors.get("name", ""),
                name="name",
                auto_complete="name",
                placeholder="Ada Lovelace",
            ),
            text_field(
                "Work email",
                "signup-email",
                AuthFormState.errors.get("email", ""),
                input_type="email",
                name="email",
                auto_complete="email",
                placeholder="you@company.com",
            ),
            text_field(
                "Password",
                "signup-password",
                AuthFormState.errors.get("password", ""),
                hint=PASSWORD_RULE,
                input_type="password",
                name="password",
                auto_complete="new-password",
            ),
            rx.button("Create account", type="submit", size="3", width="100%", loading=AuthFormState.submitting),
            spacing="4",
            width="100%",
        ),
        on_submit=AuthFormState.signup,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
    footer = rx.text(
        "Already have an account? ",
        rx.link("Log in", href="/login", weight="medium"),
        size="2",
        color=rx.color("gray", 11),
        text_align="center",
        width="100%",
    )
    return auth_layout(
        auth_card(
            "Create your company account",
            "Bring the freelancers your company already trusts into one Talent Pool.",
            form,
            footer,
        )
    )
