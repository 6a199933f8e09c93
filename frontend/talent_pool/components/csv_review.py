"""Step 2 of the CSV upload dialog: the rows with their verdicts, the selection and the invitation message."""

from __future__ import annotations

import reflex as rx

from ..states.csv_review import CsvReviewState, ReviewRow, VerdictFilter
from ..states.csv_upload import CsvUploadState
from .badges import tag_chip
from .csv_parts import MESSAGE_ID, cancel_button, dialog_footer, verdict_badge
from .fields import form_alert
from .fields import message_field as shared_message_field
from .pager import pager_buttons


def file_summary() -> rx.Component:
    """The uploaded file: name, what was detected, and a way to pick another."""
    return rx.flex(
        rx.center(
            rx.icon("file_spreadsheet", size=20, color=rx.color("accent", 11)),
            width="40px",
            height="40px",
            border_radius="10px",
            background=rx.color("accent", 3),
            flex_shrink="0",
            aria_hidden="true",
        ),
        rx.flex(
            rx.text(
                CsvReviewState.filename, size="3", weight="medium", class_name="truncate", title=CsvReviewState.filename
            ),
            rx.text(CsvReviewState.file_facts, size="2", color=rx.color("gray", 11)),
            direction="column",
            min_width="0",
            flex="1",
        ),
        rx.button(
            rx.icon("refresh_cw", size=14),
            "Upload another file",
            on_click=CsvUploadState.upload_another,
            variant="ghost",
            color_scheme="gray",
            size="2",
            type="button",
        ),
        align="center",
        spacing="3",
        width="100%",
    )


def filter_button(item: VerdictFilter) -> rx.Component:
    """One verdict (or All) with its count; pressed when the table shows it."""
    active = CsvReviewState.verdict == item.value
    return rx.button(
        item.label,
        rx.text(item.count, as_="span", class_name="filter-count"),
        on_click=CsvReviewState.filter_verdict(item.value),
        variant=rx.cond(active, "solid", "surface"),
        color_scheme=rx.cond(active, "indigo", "gray"),
        high_contrast=~active,
        size="1",
        radius="full",
        type="button",
        custom_attrs={"aria-pressed": rx.cond(active, "true", "false")},
    )


def verdict_filters() -> rx.Component:
    """ "All" and every verdict the file has, as filters for the table."""
    return rx.flex(
        rx.foreach(CsvReviewState.filters, filter_button),
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label="Show rows by verdict",
    )


def selection_bar() -> rx.Component:
    """How many rows are selected, Select all / Select none, and where the page is."""
    return rx.flex(
        rx.text(CsvReviewState.selected_text, size="2", weight="medium", aria_live="polite"),
        rx.text(CsvReviewState.importable_text, size="2", color=rx.color("gray", 11)),
        rx.button(
            "Select all",
            on_click=CsvReviewState.select_all,
            variant="soft",
            size="1",
            type="button",
            disabled=CsvReviewState.importable_rows == 0,
        ),
        rx.button(
            "Select none",
            on_click=CsvReviewState.select_none,
            variant="soft",
            color_scheme="gray",
            size="1",
            type="button",
            disabled=CsvReviewState.selected == 0,
        ),
        rx.cond(CsvReviewState.selecting | CsvReviewState.rows_loading, rx.spinner(size="1")),
        rx.spacer(),
        rx.text(CsvReviewState.showing_text, size="2", color=rx.color("gray", 11)),
        align="center",
        spacing="2",
        wrap="wrap",
        width="100%",
    )


def tags_cell(row: ReviewRow) -> rx.Component:
    """The row's tags as chips."""
    return rx.cond(
        row.tags.length() > 0,
        rx.flex(rx.foreach(row.tags, lambda tag: tag_chip(tag)), spacing="1", wrap="wrap"),
        rx.text("—", size="2", color=rx.color("gray", 8)),
    )


def review_row(row: ReviewRow) -> rx.Component:
    """One row of the file: checkbox, line, name, email, tags and verdict."""
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=row.selected,
                on_change=lambda checked: CsvReviewState.toggle_row(row.line, checked),
                disabled=~row.importable,
                aria_label="Select row " + row.line.to_string(),
            ),
        ),
        rx.table.cell(rx.text(row.line, size="2", color=rx.color("gray", 11))),
        rx.table.cell(
            rx.cond(
                row.name != "",
                rx.text(row.name, size="2", weight="medium", class_name="truncate", title=row.name),
                rx.text("—", size="2", color=rx.color("gray", 8)),
            ),
        ),
        rx.table.cell(
            rx.cond(
                row.email != "",
                rx.text(row.email, size="2", color=rx.color("gray", 11), class_name="truncate", title=row.email),
                rx.text("—", size="2", color=rx.color("gray", 8)),
            ),
        ),
        rx.table.cell(tags_cell(row)),
        rx.table.cell(
            rx.flex(
                verdict_badge(row.verdict, row.verdict_label),
                rx.cond(
                    row.note != "",
                    rx.text(row.note, size="1", color=rx.color("gray", 11)),
                ),
                direction="column",
                align="start",
                spacing="1",
            ),
        ),
        align="center",
        background=rx.cond(row.selected, rx.color("accent", 2), "transparent"),
    )


def review_table() -> rx.Component:
    """The current page of rows."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    rx.checkbox(
                        checked=CsvReviewState.page_all_selected,
                        on_change=CsvReviewState.toggle_page,
                        disabled=~CsvReviewState.page_has_importable,
                        aria_label="Select every importable row on this page",
                    ),
                    width="44px",
                ),
                rx.table.column_header_cell("Row", width="60px"),
                rx.table.column_header_cell("Name", width="20%"),
                rx.table.column_header_cell("Email", width="26%"),
                rx.table.column_header_cell("Tags"),
                rx.table.column_header_cell("Verdict", width="210px"),
            ),
        ),
        rx.table.body(
            rx.foreach(CsvReviewState.rows, review_row),
            opacity=rx.cond(CsvReviewState.rows_loading, "0.55", "1"),
            transition="opacity 120ms",
        ),
        variant="surface",
        size="1",
        width="100%",
        class_name="review-table",
    )


def review_pager() -> rx.Component:
    """Page x of y with Previous / Next."""
    return rx.flex(
        rx.text(CsvReviewState.page_text, size="2", color=rx.color("gray", 11)),
        pager_buttons(
            on_previous=CsvReviewState.previous_page,
            on_next=CsvReviewState.next_page,
            has_previous=CsvReviewState.has_previous,
            has_next=CsvReviewState.has_next,
            of="rows",
        ),
        align="center",
        justify="end",
        spacing="2",
        width="100%",
    )


def rows_section() -> rx.Component:
    """Summary filters, selection and the table of rows."""
    return rx.flex(
        rx.heading("Rows", as_="h3", size="3"),
        verdict_filters(),
        selection_bar(),
        rx.cond(
            CsvReviewState.rows_error != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle_alert")),
                rx.callout.text(CsvReviewState.rows_error),
                rx.button(
                    "Try again", on_click=CsvReviewState.retry_rows, variant="surface", color_scheme="red", size="1"
                ),
                color_scheme="red",
                role="alert",
            ),
            review_table(),
        ),
        review_pager(),
        direction="column",
        spacing="3",
        width="100%",
        role="region",
        aria_label="Rows",
    )


def message_field() -> rx.Component:
    """The invitation message with a character counter."""
    return shared_message_field(
        "Invitation message",
        MESSAGE_ID,
        "Everyone imported gets it in their invitation, as plain text.",
        value=CsvReviewState.message,
        on_change=CsvReviewState.set_message,
        error=CsvReviewState.errors.get("message", ""),
        count_text=CsvReviewState.message_count_text,
        too_long=CsvReviewState.message_too_long,
    )


def email_preview() -> rx.Component:
    """The invitation as the recipient will see it."""
    return rx.cond(
        CsvReviewState.preview_subject != "",
        rx.card(
            rx.flex(
                rx.flex(
                    rx.heading("Email preview", as_="h4", size="2"),
                    rx.spacer(),
                    rx.segmented_control.root(
                        rx.segmented_control.item("Email", value="html"),
                        rx.segmented_control.item("Plain text", value="text"),
                        value=CsvReviewState.preview_format,
                        on_change=CsvReviewState.set_preview_format,
                        size="1",
                        aria_label="Preview format",
                    ),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        on_click=CsvReviewState.close_preview,
                        variant="ghost",
                        color_scheme="gray",
                        size="1",
                        aria_label="Close the email preview",
                    ),
                    align="center",
                    spacing="3",
                ),
                rx.el.dl(
                    rx.el.dt("To"),
                    rx.el.dd(CsvReviewState.preview_to),
                    rx.el.dt("Subject"),
                    rx.el.dd(CsvReviewState.preview_subject),
                    class_name="email-headers",
                ),
                rx.cond(
                    CsvReviewState.preview_format == "text",
                    rx.el.pre(CsvReviewState.preview_text, class_name="email-text", aria_label="Email as plain text"),
                    rx.el.iframe(
                        src_doc=CsvReviewState.preview_html,
                        sandbox="",
                        title="Email preview",
                        class_name="email-frame",
                    ),
                ),
                direction="column",
                spacing="3",
            ),
            size="2",
            width="100%",
            role="region",
            aria_label="Email preview",
        ),
    )


def message_section() -> rx.Component:
    """Step 3: what the imported people are told."""
    return rx.flex(
        rx.heading("Message", as_="h3", size="3"),
        message_field(),
        rx.flex(
            rx.button(
                rx.icon("eye", size=16),
                "Preview email",
                on_click=CsvReviewState.preview_email,
                loading=CsvReviewState.previewing,
                variant="soft",
                size="2",
                type="button",
            ),
            rx.text(
                "Shows the email the first selected person will get.",
                size="1",
                color=rx.color("gray", 11),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        email_preview(),
        direction="column",
        spacing="3",
        width="100%",
        role="region",
        aria_label="Message",
    )


def review_step() -> rx.Component:
    """Steps 2 and 3 in one scrolling body: the rows on top, the message below, Import selected at the bottom."""
    return rx.fragment(
        rx.flex(
            file_summary(),
            rows_section(),
            rx.separator(size="4"),
            message_section(),
            direction="column",
            spacing="5",
            padding="20px 24px 24px",
            class_name="dialog-body",
        ),
        dialog_footer(
            rx.flex(
                form_alert(CsvReviewState.errors.get("form", "")),
                rx.text(CsvReviewState.import_summary_text, size="2", color=rx.color("gray", 11)),
                direction="column",
                spacing="2",
                flex="1",
                min_width="240px",
            ),
            cancel_button(),
            rx.button(
                rx.icon("upload", size=16),
                "Import selected",
                on_click=CsvReviewState.start_import,
                loading=CsvReviewState.starting,
                disabled=(CsvReviewState.selected == 0) | CsvReviewState.message_too_long,
                size="3",
                type="button",
            ),
        ),
    )
