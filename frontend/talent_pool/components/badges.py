"""Status badges and tag chips."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from ..display import OFFER_STATUS_COLORS, STATUS_COLORS


def status_badge(status: Var[str], label: Var[str], size: str = "2") -> rx.Component:
    """A coloured badge for a contact status."""
    cases = [
        (value, rx.badge(label, color_scheme=color, variant="soft", size=size, radius="full", high_contrast=True))
        for value, color in STATUS_COLORS.items()
    ]
    return rx.match(
        status,
        *cases,
        rx.badge(label, color_scheme="gray", variant="soft", size=size, radius="full", high_contrast=True),
    )


def offer_status_badge(status: Var[str], label: Var[str], size: str = "2") -> rx.Component:
    """A coloured badge for a job offer's status ("Offered", "Hired", …)."""
    cases = [
        (value, rx.badge(label, color_scheme=color, variant="soft", size=size, radius="full", high_contrast=True))
        for value, color in OFFER_STATUS_COLORS.items()
    ]
    return rx.match(
        status,
        *cases,
        rx.badge(label, color_scheme="gray", variant="soft", size=size, radius="full", high_contrast=True),
    )


def tag_chip(name: Var[str] | str, size: str = "1") -> rx.Component:
    """A tag, shown as a quiet chip."""
    return rx.badge(name, variant="surface", color_scheme="gray", size=size, radius="full")


def removable_chip(label: Var[str] | str, on_remove, remove_label: Var[str] | str) -> rx.Component:
    """A chip with an × button that removes it."""
    return rx.badge(
        rx.text(label, as_="span"),
        rx.el.button(
            rx.icon("x", size=12),
            on_click=on_remove,
            type="button",
            aria_label=remove_label,
            class_name="chip-remove",
        ),
        variant="soft",
        color_scheme="indigo",
        size="2",
        radius="full",
        gap="4px",
        padding_right="4px",
    )
