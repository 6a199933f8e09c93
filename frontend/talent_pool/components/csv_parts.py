"""Pieces the steps of the CSV upload dialog share: the verdict badge, the header, the footer."""

from __future__ import annotations

import reflex as rx

from ..states.csv_import import CsvImportState
from ..states.csv_review import VERDICT_COLORS

FILE_INPUT_ID = "csv-file-input"

MESSAGE_ID = "csv-message"

TEMPLATE_SAMPLE = "Name,Email,Tags\nAda Lovelace,ada@example.com,maths; ux\nGrace Hopper,grace@example.com,cobol"


def verdict_badge(verdict: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """A coloured badge for a row's verdict."""
    cases = [
        (value, rx.badge(label, color_scheme=color, variant="soft", size="1", radius="full", high_contrast=True))
        for value, color in VERDICT_COLORS.items()
    ]
    return rx.match(verdict, *cases, rx.badge(label, color_scheme="gray", variant="soft", size="1", radius="full"))


def dialog_header() -> rx.Component:
    """Title, what the step is about, and a close button."""
    description = rx.match(
        CsvImportState.step,
        ("review", "Check what will happen to each row, choose who to import, and write the invitation message."),
        (
            "progress",
            rx.cond(
                CsvImportState.finished,
                "The import has ended. Here is what it did.",
                "Your contacts are imported in the background. You can close this window meanwhile.",
            ),
        ),
        "Invite many trusted contacts at once from a spreadsheet. Nothing is imported until you review it.",
    )
    return rx.flex(
        rx.flex(
            rx.dialog.title("Upload contacts from a CSV file", size="5", margin="0"),
            rx.spacer(),
            rx.dialog.close(
                rx.icon_button(rx.icon("x", size=16), variant="ghost", color_scheme="gray", aria_label="Close"),
            ),
            align="center",
        ),
        rx.dialog.description(description, size="2", color=rx.color("gray", 11)),
        direction="column",
        spacing="2",
        padding="24px 24px 16px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def dialog_footer(*children: rx.Component) -> rx.Component:
    """The step's actions, always in view at the bottom of the dialog."""
    return rx.flex(
        *children,
        align="center",
        justify="end",
        spacing="3",
        padding="14px 24px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 2),
        wrap="wrap",
    )


def cancel_button(label: str = "Cancel") -> rx.Component:
    """Close the dialog."""
    return rx.dialog.close(rx.button(label, variant="soft", color_scheme="gray", size="3", type="button"))
