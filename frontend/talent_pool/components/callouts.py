"""Callouts shared by the pages: what could not be loaded, and a way to try again."""

from __future__ import annotations

from typing import Any

import reflex as rx


def load_error(what: str, error: Any, on_retry: Any) -> rx.Component:
    """A red alert: "We could not load <what>." with the BFF's reason, and a Try again button."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("circle_alert")),
        rx.callout.text(
            rx.text(f"We could not load {what}. ", weight="medium", as_="span"),
            error,
        ),
        rx.button(
            rx.icon("refresh_cw", size=14),
            "Try again",
            on_click=on_retry,
            color_scheme="red",
            variant="surface",
            size="1",
            width="fit-content",
        ),
        color_scheme="red",
        role="alert",
        width="100%",
    )
