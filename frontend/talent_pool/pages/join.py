"""Flow 2's public pages: /join/<token> (sign up or apply through a link) and /confirm-email/<token>."""

from __future__ import annotations

import reflex as rx

from ..components.fields import form_alert
from ..components.layout import auth_layout
from ..components.worker_signup import worker_signup_form
from ..states.join import ConfirmEmailState, JoinState
from ..states.worker_session import WORKER_HOME_ROUTE, WORKER_LOGIN_ROUTE

CARD_SHADOW = "0 10px 30px -12px rgba(30, 41, 99, 0.18)"


def round_icon(name: str) -> rx.Component:
    """A large icon on a soft circle, above a card's heading."""
    return rx.center(
        rx.icon(name, size=28, color=rx.color("accent", 11)),
        width="60px",
        height="60px",
        border_radius="9999px",
        background=rx.color("accent", 3),
        aria_hidden="true",
    )


def card(*children: rx.Component, **props) -> rx.Component:
    """The page's one card."""
    return rx.card(
        rx.vstack(*children, spacing="5", width="100%"),
        size="4",
        width="100%",
        box_shadow=CARD_SHADOW,
        **props,
    )


def join_heading() -> rx.Component:
    """The company, prominent; the link's label small."""
    return rx.vstack(
        rx.heading(JoinState.title, as_="h1", size="6", weight="bold"),
        rx.cond(
            JoinState.label != "",
            rx.text(JoinState.label, size="2", color=rx.color("gray", 11)),
        ),
        rx.text(
            "Sign up to apply. Once you confirm your email, the company can approve you and contact you about work.",
            size="2",
            color=rx.color("gray", 11),
        ),
        spacing="1",
        width="100%",
    )


def signup_form() -> rx.Component:
    """Name, email and password of the new worker account."""
    return worker_signup_form(
        "join",
        JoinState.errors,
        alert=rx.fragment(
            form_alert(JoinState.form_error),
            rx.cond(
                JoinState.account_exists,
                rx.link("Log in to apply with your account", href=JoinState.login_href, size="2", weight="medium"),
            ),
        ),
        after_email=rx.cond(
            JoinState.domains_text != "",
            rx.text(JoinState.domains_text, size="1", color=rx.color("gray", 11), margin_top="-8px"),
        ),
        submit_label="Sign up",
        submitting=JoinState.submitting,
        on_submit=JoinState.sign_up,
    )


def apply_block() -> rx.Component:
    """A signed-in worker applies with one click."""
    return rx.vstack(
        form_alert(JoinState.form_error),
        rx.text(
            "You are logged in as ",
            rx.text.strong(JoinState.worker_name),
            " (" + JoinState.worker_email + ").",
            size="2",
            color=rx.color("gray", 12),
        ),
        rx.button(
            rx.icon("send", size=16),
            "Apply",
            on_click=JoinState.apply,
            loading=JoinState.submitting,
            size="3",
            width="100%",
        ),
        rx.text(
            "Not you? ",
            rx.link("Log out", on_click=JoinState.worker_logout, href="#", weight="medium"),
            size="2",
            color=rx.color("gray", 11),
        ),
        spacing="3",
        width="100%",
    )


def ready_card() -> rx.Component:
    """Sign up, or apply as the signed-in worker."""
    return card(
        join_heading(),
        rx.cond(
            JoinState.signed_in,
            apply_block(),
            rx.fragment(
                signup_form(),
                rx.separator(size="4"),
                rx.text(
                    "Already have a worker account? ",
                    rx.link("Log in", href=JoinState.login_href, weight="medium"),
                    size="2",
                    color=rx.color("gray", 11),
                    text_align="center",
                    width="100%",
                ),
            ),
        ),
    )


def sent_card() -> rx.Component:
    """After signing up: confirm the email."""
    return card(
        rx.vstack(
            round_icon("mail_check"),
            rx.heading("Check your email", as_="h1", size="6", weight="bold"),
            rx.text(JoinState.sent_text, size="3", color=rx.color("gray", 12), text_align="center"),
            rx.text(
                "The link in the email works for a limited time. Didn't get it? Check your spam folder.",
                size="2",
                color=rx.color("gray", 11),
                text_align="center",
            ),
            rx.link("Go to your worker account", href=WORKER_HOME_ROUTE, size="2", weight="medium"),
            align="center",
            spacing="3",
            width="100%",
        ),
        role="status",
    )


def applied_card() -> rx.Component:
    """An existing, confirmed worker applied."""
    return card(
        rx.vstack(
            round_icon("circle_check"),
            rx.heading("Application sent", as_="h1", size="6", weight="bold"),
            rx.text(
                JoinState.company_name + " can now review and approve you. We email you when that happens.",
                size="3",
                color=rx.color("gray", 12),
                text_align="center",
            ),
            rx.link("Go to your worker account", href=WORKER_HOME_ROUTE, size="2", weight="medium"),
            align="center",
            spacing="3",
            width="100%",
        ),
        role="status",
    )


def unavailable_card() -> rx.Component:
    """One neutral answer for every link that cannot be used."""
    return card(
        rx.vstack(
            round_icon("link_2_off"),
            rx.heading("This invitation link is not available", as_="h1", size="5", weight="bold", text_align="center"),
            rx.text(JoinState.unavailable_detail, size="2", color=rx.color("gray", 11), text_align="center"),
            rx.link("Log in to your worker account", href=WORKER_LOGIN_ROUTE, size="2", weight="medium"),
            align="center",
            spacing="3",
            width="100%",
        ),
    )


def error_card(message, retry) -> rx.Component:
    """The service could not be reached or refused."""
    return card(
        rx.heading("We could not open this page", as_="h1", size="5", weight="bold"),
        rx.text(message, size="2", color=rx.color("gray", 11)),
        rx.button(rx.icon("refresh_cw", size=14), "Try again", on_click=retry, variant="soft"),
        role="alert",
    )


def loading_card(label: str) -> rx.Component:
    """Placeholders while the page loads."""
    return rx.card(
        rx.vstack(
            rx.skeleton(rx.box(width="260px", height="28px")),
            rx.skeleton(rx.box(width="100%", height="180px")),
            spacing="5",
            width="100%",
        ),
        size="4",
        width="100%",
        aria_busy="true",
        aria_label=label,
    )


def join_page() -> rx.Component:
    """/join/<token>."""
    return auth_layout(
        rx.match(
            JoinState.page,
            ("ready", ready_card()),
            ("sent", sent_card()),
            ("applied", applied_card()),
            ("unavailable", unavailable_card()),
            ("error", error_card(JoinState.error, JoinState.load_link)),
            loading_card("Loading the invitation link"),
        ),
        home_href=WORKER_LOGIN_ROUTE,
        max_width="480px",
    )


def confirm_email_page() -> rx.Component:
    """/confirm-email/<token>: confirms on load."""
    return auth_layout(
        rx.match(
            ConfirmEmailState.page,
            (
                "done",
                card(
                    rx.vstack(
                        round_icon("circle_check"),
                        rx.heading("Email confirmed", as_="h1", size="6", weight="bold"),
                        rx.text(
                            ConfirmEmailState.email + " is confirmed.",
                            size="3",
                            color=rx.color("gray", 12),
                            text_align="center",
                        ),
                        rx.text(
                            ConfirmEmailState.companies_text, size="2", color=rx.color("gray", 11), text_align="center"
                        ),
                        rx.button(
                            rx.el.a("Go to your worker account", href=WORKER_HOME_ROUTE),
                            as_child=True,
                            size="3",
                        ),
                        align="center",
                        spacing="3",
                        width="100%",
                    ),
                    role="status",
                ),
            ),
            (
                "error",
                card(
                    rx.vstack(
                        round_icon("mail_x"),
                        rx.heading("We could not confirm your email", as_="h1", size="5", weight="bold"),
                        rx.text(ConfirmEmailState.error, size="2", color=rx.color("gray", 11), text_align="center"),
                        rx.link("Log in to your worker account", href=WORKER_LOGIN_ROUTE, size="2", weight="medium"),
                        align="center",
                        spacing="3",
                        width="100%",
                    ),
                    role="alert",
                ),
            ),
            loading_card("Confirming your email"),
        ),
        home_href=WORKER_LOGIN_ROUTE,
        max_width="480px",
    )
