"""The worker portal's notice for an account that has not confirmed its email yet."""

from __future__ import annotations

import reflex as rx

from ..states.worker import WorkerPortalState


def confirm_email_notice() -> rx.Component:
    """Why the portal is empty until the email is confirmed, and a way to get the link again."""
    return rx.el.section(
        rx.card(
            rx.flex(
                rx.center(
                    rx.icon("mail_warning", size=22, color=rx.color("amber", 11)),
                    width="44px",
                    height="44px",
                    min_width="44px",
                    border_radius="9999px",
                    background=rx.color("amber", 3),
                    aria_hidden="true",
                ),
                rx.vstack(
                    rx.heading("Confirm your email address", as_="h2", size="4", weight="bold"),
                    rx.text(
                        "We sent a confirmation link to ",
                        rx.text.strong(WorkerPortalState.worker_email),
                        ". Open it to see the connection requests and job offers sent to this address: "
                        "until then they stay hidden, so that only the person who owns the address can answer them.",
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                    rx.button(
                        rx.icon("send", size=14),
                        "Resend confirmation email",
                        on_click=WorkerPortalState.resend_confirmation,
                        loading=WorkerPortalState.confirmation_sending,
                        variant="surface",
                        size="2",
                        width="fit-content",
                    ),
                    rx.cond(
                        WorkerPortalState.confirmation_sent != "",
                        rx.text(
                            WorkerPortalState.confirmation_sent, size="2", color=rx.color("green", 11), role="status"
                        ),
                    ),
                    rx.cond(
                        WorkerPortalState.confirmation_error != "",
                        rx.text(
                            WorkerPortalState.confirmation_error, size="2", color=rx.color("amber", 11), role="alert"
                        ),
                    ),
                    spacing="2",
                    align="start",
                ),
                spacing="4",
                align="start",
            ),
            size="3",
            width="100%",
        ),
        aria_label="Confirm your email address",
        width="100%",
    )
