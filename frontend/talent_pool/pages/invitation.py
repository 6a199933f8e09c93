"""The public invitation page (/invite/<token>): no login needed to arrive."""

from __future__ import annotations

import reflex as rx

from ..components.fields import form_alert
from ..components.layout import auth_layout
from ..components.worker_signup import fixed_email_field, worker_signup_form
from ..states.invitation import InvitationPageState
from ..states.worker_session import WORKER_HOME_ROUTE, WORKER_LOGIN_ROUTE

CARD_SHADOW = "0 10px 30px -12px rgba(30, 41, 99, 0.18)"


def company_mark() -> rx.Component:
    """The inviting company's initials on a tile."""
    return rx.center(
        rx.text(InvitationPageState.company_initials, size="5", weight="bold", color="white"),
        width="56px",
        height="56px",
        min_width="56px",
        border_radius="16px",
        background=f"linear-gradient(135deg, {rx.color('indigo', 9)}, {rx.color('violet', 9)})",
        box_shadow="0 6px 16px -6px rgba(67, 56, 202, 0.5)",
        aria_hidden="true",
    )


def invitation_message() -> rx.Component:
    """The company's message, as plain text with its line breaks."""
    return rx.cond(
        InvitationPageState.message != "",
        rx.box(
            rx.text(
                "Message from " + InvitationPageState.inviter_name,
                size="1",
                weight="medium",
                color=rx.color("gray", 11),
                margin_bottom="6px",
            ),
            rx.text(InvitationPageState.message, size="2", class_name="message-text", color=rx.color("gray", 12)),
            padding="14px 16px",
            border_radius="var(--radius-3)",
            background=rx.color("gray", 2),
            border_left=f"3px solid {rx.color('accent', 8)}",
            width="100%",
        ),
    )


def account_exists_alert() -> rx.Component:
    """The email already has a worker account: logging in is the way on."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("circle_alert")),
        rx.callout.text(
            InvitationPageState.form_error,
            " ",
            rx.link("Log in", href=WORKER_LOGIN_ROUTE, weight="medium"),
        ),
        color_scheme="red",
        variant="soft",
        role="alert",
        width="100%",
    )


def signup_form() -> rx.Component:
    """Name, email (fixed) and password, then Create account."""
    return worker_signup_form(
        "invite",
        InvitationPageState.errors,
        alert=rx.cond(
            InvitationPageState.account_exists,
            account_exists_alert(),
            form_alert(InvitationPageState.form_error),
        ),
        email=fixed_email_field("invite-email", InvitationPageState.email, "The invitation was sent to this address."),
        name_props={"default_value": InvitationPageState.name, "placeholder": "Ada Lovelace"},
        password_props={"auto_focus": True},
        submit_label="Create account",
        submitting=InvitationPageState.submitting,
        on_submit=InvitationPageState.accept,
    )


def ready_card() -> rx.Component:
    """The invitation: who invites, their message, and the sign-up form."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                company_mark(),
                rx.vstack(
                    rx.heading(InvitationPageState.company_name, as_="h1", size="6", weight="bold"),
                    rx.text(InvitationPageState.invited_line, size="2", color=rx.color("gray", 11)),
                    spacing="1",
                    min_width="0",
                ),
                align="center",
                spacing="4",
                width="100%",
            ),
            invitation_message(),
            rx.separator(size="4"),
            rx.vstack(
                rx.heading("Create your worker account", as_="h2", size="4", weight="bold"),
                rx.text(
                    "One account for every company that invites you: log in any time to see your "
                    "companies and answer new requests.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="1",
                width="100%",
            ),
            signup_form(),
            rx.separator(size="4"),
            rx.vstack(
                rx.text(
                    "Already have a worker account? ",
                    rx.link("Log in", href=WORKER_LOGIN_ROUTE, weight="medium"),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.cond(
                    InvitationPageState.expires != "",
                    rx.text(
                        "This invitation expires on " + InvitationPageState.expires + ".",
                        size="1",
                        color=rx.color("gray", 11),
                    ),
                ),
                align="center",
                spacing="1",
                width="100%",
            ),
            spacing="5",
            width="100%",
        ),
        size="4",
        width="100%",
        box_shadow=CARD_SHADOW,
    )


def gone_card() -> rx.Component:
    """A link that cannot be used: why, and what to do instead."""
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon(
                    rx.match(
                        InvitationPageState.gone_code,
                        ("invitation_used", "circle_check"),
                        ("invitation_expired", "clock"),
                        ("invitation_revoked", "ban"),
                        ("invitation_superseded", "mail"),
                        "link_2_off",
                    ),
                    size=28,
                    color=rx.color("accent", 11),
                ),
                width="60px",
                height="60px",
                border_radius="9999px",
                background=rx.color("accent", 3),
                aria_hidden="true",
            ),
            rx.heading(InvitationPageState.gone_title, as_="h1", size="5", weight="bold", text_align="center"),
            rx.text(InvitationPageState.gone_detail, size="3", color=rx.color("gray", 12), text_align="center"),
            rx.cond(
                InvitationPageState.gone_advice != "",
                rx.text(InvitationPageState.gone_advice, size="2", color=rx.color("gray", 11), text_align="center"),
            ),
            rx.cond(
                InvitationPageState.gone_offers_login,
                rx.button(
                    rx.el.a(rx.icon("log_in", size=16), "Log in", href=WORKER_LOGIN_ROUTE),
                    as_child=True,
                    size="3",
                    margin_top="8px",
                ),
            ),
            rx.cond(
                InvitationPageState.gone_offers_portal,
                rx.button(
                    rx.el.a(rx.icon("layout_dashboard", size=16), "Go to your portal", href=WORKER_HOME_ROUTE),
                    as_child=True,
                    size="3",
                    margin_top="8px",
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
            padding_y="8px",
        ),
        size="4",
        width="100%",
        box_shadow=CARD_SHADOW,
    )


def error_card() -> rx.Component:
    """The service could not be reached."""
    return rx.card(
        rx.vstack(
            rx.heading("We could not open this invitation", as_="h1", size="5", weight="bold"),
            rx.text(InvitationPageState.error, size="2", color=rx.color("gray", 11)),
            rx.button(
                rx.icon("refresh_cw", size=14),
                "Try again",
                on_click=InvitationPageState.load_invitation,
                variant="soft",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        size="4",
        width="100%",
        box_shadow=CARD_SHADOW,
        role="alert",
    )


def loading_card() -> rx.Component:
    """Placeholders while the invitation loads."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.skeleton(rx.box(width="56px", height="56px")),
                rx.vstack(
                    rx.skeleton(rx.box(width="200px", height="24px")),
                    rx.skeleton(rx.box(width="260px", height="14px")),
                    spacing="2",
                ),
                align="center",
                spacing="4",
            ),
            rx.skeleton(rx.box(width="100%", height="96px")),
            rx.skeleton(rx.box(width="100%", height="180px")),
            spacing="5",
            width="100%",
        ),
        size="4",
        width="100%",
        aria_busy="true",
        aria_label="Loading the invitation",
    )


def invitation_page() -> rx.Component:
    """Whichever card fits what the link turned out to be."""
    return auth_layout(
        rx.match(
            InvitationPageState.page,
            ("ready", ready_card()),
            ("gone", gone_card()),
            ("error", error_card()),
            loading_card(),
        ),
        home_href=WORKER_LOGIN_ROUTE,
        max_width="520px",
    )
