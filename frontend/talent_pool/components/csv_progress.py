"""Step 3 of the CSV upload dialog and the Talent Pool banner: the import's progress and its result."""

from __future__ import annotations

import reflex as rx

from ..states.csv_progress import CsvProgressState
from .csv_parts import cancel_button, dialog_footer


def result_stat(label: str, value: rx.Var, note: str) -> rx.Component:
    """One number of the result, with what it means."""
    return rx.flex(
        rx.text(value, size="6", weight="bold"),
        rx.text(label, size="2", weight="medium"),
        rx.text(note, size="1", color=rx.color("gray", 11)),
        direction="column",
        spacing="1",
        class_name="result-stat",
        role="group",
        aria_label=label,
    )


def progress_block() -> rx.Component:
    """The progress bar and "Imported X of Y"."""
    return rx.flex(
        rx.flex(
            rx.text(CsvProgressState.progress_text, size="3", weight="medium", aria_live="polite"),
            rx.spacer(),
            rx.text(CsvProgressState.progress_percent.to_string() + "%", size="2", color=rx.color("gray", 11)),
            align="center",
            width="100%",
        ),
        rx.progress(
            value=CsvProgressState.progress_percent,
            max=100,
            size="3",
            aria_label="Import progress",
            color_scheme=rx.cond(CsvProgressState.failed, "red", "indigo"),
        ),
        direction="column",
        spacing="2",
        width="100%",
    )


def result_block() -> rx.Component:
    """What the import did: invited, skipped, not imported."""
    return rx.flex(
        rx.grid(
            result_stat("Invited", CsvProgressState.result_numbers["invited"], "Each was sent an invitation."),
            result_stat(
                "Skipped",
                CsvProgressState.result_numbers["skipped"],
                "Selected, but they joined your Talent Pool after the preview.",
            ),
            result_stat(
                "Rows not imported",
                CsvProgressState.result_numbers["not_imported"],
                "Invalid, duplicate, already in your pool, or not selected.",
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            CsvProgressState.not_imported > 0,
            rx.flex(
                rx.button(
                    rx.icon("download", size=16),
                    "Download rows not imported",
                    on_click=CsvProgressState.download_not_imported,
                    loading=CsvProgressState.downloading,
                    variant="soft",
                    size="2",
                    type="button",
                ),
                rx.text("A CSV of those rows, each with the reason.", size="1", color=rx.color("gray", 11)),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
        ),
        direction="column",
        spacing="4",
        width="100%",
    )


def progress_step() -> rx.Component:
    """Step 4: the progress bar while the import runs, then the result."""
    headline = rx.cond(
        CsvProgressState.finished,
        rx.flex(
            rx.cond(
                CsvProgressState.failed,
                rx.icon("circle_alert", size=28, color=rx.color("red", 10)),
                rx.icon("circle_check", size=28, color=rx.color("green", 10)),
            ),
            rx.heading(CsvProgressState.result_title, as_="h3", size="5"),
            align="center",
            spacing="3",
        ),
        rx.flex(
            rx.spinner(size="3"),
            rx.heading("Importing " + CsvProgressState.filename, as_="h3", size="5", class_name="truncate"),
            align="center",
            spacing="3",
            min_width="0",
        ),
    )
    return rx.fragment(
        rx.flex(
            headline,
            progress_block(),
            rx.cond(
                CsvProgressState.failed,
                rx.callout(
                    CsvProgressState.import_error,
                    icon="circle_alert",
                    color_scheme="red",
                    variant="soft",
                    role="alert",
                    width="100%",
                ),
            ),
            rx.cond(
                CsvProgressState.finished,
                result_block(),
                rx.text(
                    "Contacts, tags and invitations are created in batches. You can close this window: "
                    "the import goes on, and the Talent Pool page shows how far it is.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
            ),
            direction="column",
            spacing="5",
            padding="24px",
            class_name="dialog-body",
        ),
        dialog_footer(
            rx.cond(
                CsvProgressState.finished,
                rx.button("Done", on_click=CsvProgressState.done, size="3", type="button"),
                cancel_button("Close"),
            ),
        ),
    )


def import_banner() -> rx.Component:
    """On the Talent Pool page: "Importing <file>: X of Y" with View progress, while the dialog is closed."""
    return rx.cond(
        CsvProgressState.show_banner,
        rx.flex(
            rx.cond(
                CsvProgressState.running,
                rx.spinner(size="2"),
                rx.cond(
                    CsvProgressState.failed,
                    rx.icon("circle_alert", size=18, color=rx.color("red", 10)),
                    rx.icon("circle_check", size=18, color=rx.color("green", 10)),
                ),
            ),
            rx.text(
                CsvProgressState.banner_text, size="2", weight="medium", class_name="truncate", flex="1", min_width="0"
            ),
            rx.cond(
                CsvProgressState.running,
                rx.box(
                    rx.progress(
                        value=CsvProgressState.progress_percent, max=100, size="1", aria_label="Import progress"
                    ),
                    width="160px",
                    flex_shrink="0",
                ),
            ),
            rx.button(
                rx.cond(CsvProgressState.running, "View progress", "View result"),
                on_click=CsvProgressState.show_progress,
                variant="soft",
                size="1",
                type="button",
            ),
            rx.cond(
                ~CsvProgressState.running,
                rx.icon_button(
                    rx.icon("x", size=14),
                    on_click=CsvProgressState.dismiss_banner,
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    aria_label="Dismiss",
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
            padding="10px 14px",
            border_radius="var(--radius-3)",
            background=rx.cond(CsvProgressState.failed, rx.color("red", 2), rx.color("accent", 2)),
            border=rx.cond(
                CsvProgressState.failed, f"1px solid {rx.color('red', 5)}", f"1px solid {rx.color('accent', 5)}"
            ),
            role="status",
            aria_label="CSV import",
        ),
    )
