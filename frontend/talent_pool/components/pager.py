"""Previous and Next buttons for a paged list."""

from __future__ import annotations

from typing import Any

import reflex as rx


def pager_buttons(*, on_previous: Any, on_next: Any, has_previous: Any, has_next: Any, of: str = "") -> rx.Component:
    """Previous / Next; `of` names what is paged for screen readers ("rows" reads "Next page of rows")."""
    suffix = f" of {of}" if of else ""
    return rx.hstack(
        rx.button(
            rx.icon("chevron_left", size=16),
            "Previous",
            on_click=on_previous,
            disabled=~has_previous,
            variant="surface",
            color_scheme="gray",
            size="1",
            type="button",
            aria_label=f"Previous page{suffix}",
        ),
        rx.button(
            "Next",
            rx.icon("chevron_right", size=16),
            on_click=on_next,
            disabled=~has_next,
            variant="surface",
            color_scheme="gray",
            size="1",
            type="button",
            aria_label=f"Next page{suffix}",
        ),
        spacing="2",
    )
