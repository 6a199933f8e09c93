"""The worker's pages: log in (/worker/login) and the portal (/worker)."""

from __future__ import annotations

import reflex as rx

from ..components.callouts import load_error
from ..components.email_confirmation import confirm_email_notice
from ..components.layout import auth_layout, brand
from ..components.login_form import login_form
from ..components.worker_portal import (
    applications_section,
    companies_section,
    offers_section,
    requests_section,
)
from ..states.worker import WorkerLoginState, WorkerPortalState
from .auth import auth_card


def worker_login_page() -> rx.Component:
    """Email and password of the worker account, then the portal."""
    form = login_form(
        WorkerLoginState,
        id_prefix="worker-login",
        email_placeholder="you@example.com",
        forgot_href="/worker/forgot-password",
    )
    footer = rx.text(
        "Hiring for a company? ",
        rx.link("Log in to your company account", href="/login", weight="medium"),
        size="2",
        color=rx.color("gray", 11),
        text_align="center",
        width="100%",
    )
    return auth_layout(
        auth_card(
            "Log in to your worker account",
            "Answer job offers and connection requests from the companies that know you.",
            form,
            footer,
        ),
        home_href="/worker/login",
    )


def worker_header() -> rx.Component:
    """The portal's top bar: the brand, who is signed in, and Log out."""
    return rx.el.header(
        rx.flex(
            rx.hstack(
                rx.link(brand(), href="/worker", underline="none"),
                rx.badge("Worker", variant="soft", color_scheme="gray", radius="full", size="1"),
                align="center",
                spacing="3",
            ),
            rx.spacer(),
            rx.hstack(
                rx.avatar(
                    fallback=WorkerPortalState.worker_initials,
                    size="2",
                    radius="full",
                    variant="soft",
                    color_scheme="indigo",
                ),
                rx.vstack(
                    rx.text(WorkerPortalState.worker_name, size="2", weight="medium", color=rx.color("gray", 12)),
                    rx.text(WorkerPortalState.worker_email, size="1", color=rx.color("gray", 11)),
                    spacing="0",
                    display=rx.breakpoints(initial="none", sm="flex"),
                ),
                rx.link(
                    rx.hstack(
                        rx.icon("key_round", size=16), rx.text("Change password", size="2"), align="center", spacing="2"
                    ),
                    href="/worker/password",
                    color=rx.color("gray", 11),
                    underline="hover",
                    margin_left="8px",
                ),
                rx.button(
                    rx.icon("log_out", size=16),
                    "Log out",
                    on_click=WorkerPortalState.worker_logout,
                    variant="soft",
                    color_scheme="gray",
                    margin_left="8px",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            align="center",
            max_width="960px",
            margin_x="auto",
            padding_x="24px",
            padding_y="10px",
            min_height="64px",
            # On a phone, the account's links move under the brand rather than off the screen.
            wrap="wrap",
            row_gap="8px",
        ),
        background=rx.color("gray", 1),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        position="sticky",
        top="0",
        z_index="10",
    )


def portal_loading() -> rx.Component:
    """Placeholders while the portal loads."""
    return rx.vstack(
        rx.skeleton(rx.box(width="180px", height="22px")),
        rx.skeleton(rx.box(width="100%", height="120px")),
        rx.skeleton(rx.box(width="140px", height="22px")),
        rx.skeleton(rx.box(width="100%", height="72px")),
        spacing="4",
        width="100%",
        aria_busy="true",
    )


def portal_error() -> rx.Component:
    """The portal could not be loaded."""
    return load_error("your companies", WorkerPortalState.error, WorkerPortalState.load_portal)


def worker_portal_page() -> rx.Component:
    """The signed-in worker's requests and companies."""
    return rx.box(
        worker_header(),
        rx.el.main(
            rx.vstack(
                rx.vstack(
                    rx.heading(
                        rx.cond(WorkerPortalState.first_name != "", "Hi, " + WorkerPortalState.first_name, "Welcome"),
                        as_="h1",
                        size="7",
                        weight="bold",
                    ),
                    rx.text(
                        "Job offers, and the companies that trust you or would like to.",
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                    spacing="1",
                ),
                rx.cond(
                    WorkerPortalState.error != "",
                    portal_error(),
                    rx.cond(
                        WorkerPortalState.loaded,
                        rx.cond(
                            WorkerPortalState.worker_email_confirmed,
                            rx.vstack(
                                offers_section(),
                                requests_section(),
                                applications_section(),
                                companies_section(),
                                spacing="7",
                                width="100%",
                            ),
                            rx.vstack(confirm_email_notice(), applications_section(), spacing="7", width="100%"),
                        ),
                        portal_loading(),
                    ),
                ),
                spacing="6",
                width="100%",
                max_width="960px",
                margin_x="auto",
                padding="32px 24px 64px",
            ),
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )
