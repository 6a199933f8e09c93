"""The public page /team/join/<token>: an invited colleague chooses a name and password."""

from __future__ import annotations

import reflex as rx

from ..components.fields import form_alert, text_field
from ..components.layout import auth_layout
from ..states.team_join import TeamJoinState
from .auth import auth_card
from .passwords import PASSWORD_HINT


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_alert(TeamJoinState.form_error),
            text_field(
                "Email",
                "team-join-email",
                "",
                input_type="email",
                value=TeamJoinState.invited_email,
                read_only=True,
                auto_complete="username",
            ),
            text_field(
                "Your name",
                "team-join-name",
                TeamJoinState.errors.get("name", ""),
                name="name",
                default_value=TeamJoinState.invited_name,
                auto_complete="name",
                auto_focus=True,
            ),
            text_field(
                "Password",
                "team-join-password",
                TeamJoinState.errors.get("password", ""),
                hint=PASSWORD_HINT,
                input_type="password",
                name="password",
                auto_complete="new-password",
            ),
            rx.button("Join the team", type="submit", size="3", width="100%", loading=TeamJoinState.submitting),
            spacing="4",
            width="100%",
        ),
        on_submit=TeamJoinState.join,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )


def _unavailable() -> rx.Component:
    return rx.vstack(
        rx.callout(
            TeamJoinState.unavailable_detail, icon="circle_alert", color_scheme="amber", role="alert", width="100%"
        ),
        rx.text(
            "Ask the colleague who invited you to send the invitation again.", size="2", color=rx.color("gray", 11)
        ),
        spacing="3",
        width="100%",
    )


def team_join_page() -> rx.Component:
    """Join a company's team from the emailed link."""
    footer = rx.text(
        "Already on the team? ",
        rx.link("Log in", href="/login", weight="medium"),
        size="2",
        text_align="center",
        width="100%",
    )
    return auth_layout(
        rx.match(
            TeamJoinState.page,
            ("ready", auth_card(TeamJoinState.title, TeamJoinState.invited_text, _form(), footer)),
            ("unavailable", auth_card("This invitation no longer works", "", _unavailable(), footer)),
            ("error", auth_card("Something went wrong", "", form_alert(TeamJoinState.form_error), footer)),
            rx.spinner(size="3"),
        )
    )
