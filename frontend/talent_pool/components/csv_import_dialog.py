"""The "Upload contacts from a CSV file" dialog and the Talent Pool banner that follows a running import."""

from __future__ import annotations

import reflex as rx

from shared.limits import MAX_CSV_BYTES, MAX_CSV_MB, MAX_CSV_ROWS

from ..states.csv_import import (
    ACCEPTED_CSV,
    UPLOAD_ID,
    VERDICT_COLORS,
    CsvImportState,
    ReviewRow,
    VerdictFilter,
)
from .badges import tag_chip
from .fields import field_error, form_alert
from .pager import pager_buttons
from .fields import message_field as shared_message_field
from .file_drop import file_drop

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


# -- step 1: upload ---------------------------------------------------------------------


def columns_help() -> rx.Component:
    """Which columns the file needs, with an example and the template."""
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading("What the file needs", as_="h3", size="3"),
                rx.el.ul(
                    rx.el.li(
                        rx.text.strong("Name"), " and ", rx.text.strong("Email"), " columns; ",
                        rx.text.strong("Tags"), " is optional.",
                    ),
                    rx.el.li("Columns in any order; common names work too (Full name, E-mail, Skills…)."),
                    rx.el.li(
                        "Several tags in one cell: separate them with ",
                        rx.code(";"), ", ", rx.code(","), " or ", rx.code("|"), ".",
                    ),
                    rx.el.li("Saved from Excel, Numbers or Google Sheets: comma, semicolon or tab separated."),
                    class_name="help-list",
                ),
                direction="column",
                spacing="2",
                flex="1",
                min_width="260px",
            ),
            rx.flex(
                rx.el.pre(TEMPLATE_SAMPLE, class_name="csv-sample", aria_label="Example rows"),
                rx.button(
                    rx.icon("download", size=16),
                    "Download template",
                    on_click=CsvImportState.download_template,
                    variant="soft",
                    size="2",
                    type="button",
                ),
                direction="column",
                spacing="3",
                align="start",
                flex="1",
                min_width="260px",
            ),
            spacing="5",
            wrap="wrap",
        ),
        size="2",
        variant="surface",
        width="100%",
    )


def upload_step() -> rx.Component:
    """Step 1: the columns, the template, and the drop zone."""
    zone = file_drop(
        UPLOAD_ID,
        input_id=FILE_INPUT_ID,
        label="CSV file",
        accept=ACCEPTED_CSV,
        max_size=MAX_CSV_BYTES,
        prompt=rx.cond(CsvImportState.uploading, "Reading your file…", "Drag your CSV file here"),
        hint=f"Or choose it on your computer: a .csv or .txt file of up to {MAX_CSV_MB} MB and {MAX_CSV_ROWS:,} contacts.",
        button_label="Upload .CSV file",
        error=CsvImportState.file_error,
        on_drop=CsvImportState.upload(
            rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=CsvImportState.upload_progress)
        ),
        on_rejected=CsvImportState.file_rejected,
        busy=CsvImportState.uploading,
    )
    return rx.fragment(
        rx.flex(
            columns_help(),
            rx.flex(
                zone,
                field_error(CsvImportState.file_error, FILE_INPUT_ID),
                direction="column",
                spacing="2",
                width="100%",
            ),
            direction="column",
            spacing="5",
            padding="20px 24px 24px",
            class_name="dialog-body",
        ),
        dialog_footer(cancel_button()),
    )


# -- step 2: review ------------------------------------------------------------------------


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
            rx.text(CsvImportState.filename, size="3", weight="medium", class_name="truncate", title=CsvImportState.filename),
            rx.text(CsvImportState.file_facts, size="2", color=rx.color("gray", 11)),
            direction="column",
            min_width="0",
            flex="1",
        ),
        rx.button(
            rx.icon("refresh_cw", size=14),
            "Upload another file",
            on_click=CsvImportState.upload_another,
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
    active = CsvImportState.verdict == item.value
    return rx.button(
        item.label,
        rx.text(item.count, as_="span", class_name="filter-count"),
        on_click=CsvImportState.filter_verdict(item.value),
        variant=rx.cond(active, "solid", "surface"),
        color_scheme=rx.cond(active, "indigo", "gray"),
        high_contrast=~active,
        size="1",
        radius="full",
        type="button",
        custom_attrs={"aria-pressed": rx.cond(active, "true", "false")},
    )


def verdict_filters() -> rx.Component:
    """"All" and every verdict the file has, as filters for the table."""
    return rx.flex(
        rx.foreach(CsvImportState.filters, filter_button),
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label="Show rows by verdict",
    )


def selection_bar() -> rx.Component:
    """How many rows are selected, Select all / Select none, and where the page is."""
    return rx.flex(
        rx.text(CsvImportState.selected_text, size="2", weight="medium", aria_live="polite"),
        rx.text(CsvImportState.importable_text, size="2", color=rx.color("gray", 11)),
        rx.button(
            "Select all",
            on_click=CsvImportState.select_all,
            variant="soft",
            size="1",
            type="button",
            disabled=CsvImportState.importable_rows == 0,
        ),
        rx.button(
            "Select none",
            on_click=CsvImportState.select_none,
            variant="soft",
            color_scheme="gray",
            size="1",
            type="button",
            disabled=CsvImportState.selected == 0,
        ),
        rx.cond(CsvImportState.selecting | CsvImportState.rows_loading, rx.spinner(size="1")),
        rx.spacer(),
        rx.text(CsvImportState.showing_text, size="2", color=rx.color("gray", 11)),
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
                on_change=lambda checked: CsvImportState.toggle_row(row.line, checked),
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
                        checked=CsvImportState.page_all_selected,
                        on_change=CsvImportState.toggle_page,
                        disabled=~CsvImportState.page_has_importable,
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
            rx.foreach(CsvImportState.rows, review_row),
            opacity=rx.cond(CsvImportState.rows_loading, "0.55", "1"),
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
        rx.text(CsvImportState.page_text, size="2", color=rx.color("gray", 11)),
        pager_buttons(
            on_previous=CsvImportState.previous_page,
            on_next=CsvImportState.next_page,
            has_previous=CsvImportState.has_previous,
            has_next=CsvImportState.has_next,
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
            CsvImportState.rows_error != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle_alert")),
                rx.callout.text(CsvImportState.rows_error),
                rx.button("Try again", on_click=CsvImportState.retry_rows, variant="surface", color_scheme="red", size="1"),
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
        value=CsvImportState.message,
        on_change=CsvImportState.set_message,
        error=CsvImportState.message_error,
        count_text=CsvImportState.message_count_text,
        too_long=CsvImportState.message_too_long,
    )


def email_preview() -> rx.Component:
    """The invitation as the recipient will see it."""
    return rx.cond(
        CsvImportState.preview_subject != "",
        rx.card(
            rx.flex(
                rx.flex(
                    rx.heading("Email preview", as_="h4", size="2"),
                    rx.spacer(),
                    rx.segmented_control.root(
                        rx.segmented_control.item("Email", value="html"),
                        rx.segmented_control.item("Plain text", value="text"),
                        value=CsvImportState.preview_format,
                        on_change=CsvImportState.set_preview_format,
                        size="1",
                        aria_label="Preview format",
                    ),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        on_click=CsvImportState.close_preview,
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
                    rx.el.dd(CsvImportState.preview_to),
                    rx.el.dt("Subject"),
                    rx.el.dd(CsvImportState.preview_subject),
                    class_name="email-headers",
                ),
                rx.cond(
                    CsvImportState.preview_format == "text",
                    rx.el.pre(CsvImportState.preview_text, class_name="email-text", aria_label="Email as plain text"),
                    rx.el.iframe(
                        src_doc=CsvImportState.preview_html,
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
                on_click=CsvImportState.preview_email,
                loading=CsvImportState.previewing,
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
                form_alert(CsvImportState.form_error),
                rx.text(CsvImportState.import_summary_text, size="2", color=rx.color("gray", 11)),
                direction="column",
                spacing="2",
                flex="1",
                min_width="240px",
            ),
            cancel_button(),
            rx.button(
                rx.icon("upload", size=16),
                "Import selected",
                on_click=CsvImportState.start_import,
                loading=CsvImportState.starting,
                disabled=(CsvImportState.selected == 0) | CsvImportState.message_too_long,
                size="3",
                type="button",
            ),
        ),
    )


# -- step 4: progress and result ------------------------------------------------------------------


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
            rx.text(CsvImportState.progress_text, size="3", weight="medium", aria_live="polite"),
            rx.spacer(),
            rx.text(CsvImportState.progress_percent.to_string() + "%", size="2", color=rx.color("gray", 11)),
            align="center",
            width="100%",
        ),
        rx.progress(
            value=CsvImportState.progress_percent,
            max=100,
            size="3",
            aria_label="Import progress",
            color_scheme=rx.cond(CsvImportState.failed, "red", "indigo"),
        ),
        direction="column",
        spacing="2",
        width="100%",
    )


def result_block() -> rx.Component:
    """What the import did: invited, skipped, not imported."""
    return rx.flex(
        rx.grid(
            result_stat("Invited", CsvImportState.result_numbers["invited"], "Each was sent an invitation."),
            result_stat(
                "Skipped",
                CsvImportState.result_numbers["skipped"],
                "Selected, but they joined your Talent Pool after the preview.",
            ),
            result_stat(
                "Rows not imported",
                CsvImportState.result_numbers["not_imported"],
                "Invalid, duplicate, already in your pool, or not selected.",
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            CsvImportState.not_imported > 0,
            rx.flex(
                rx.button(
                    rx.icon("download", size=16),
                    "Download rows not imported",
                    on_click=CsvImportState.download_not_imported,
                    loading=CsvImportState.downloading,
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
        CsvImportState.finished,
        rx.flex(
            rx.cond(
                CsvImportState.failed,
                rx.icon("circle_alert", size=28, color=rx.color("red", 10)),
                rx.icon("circle_check", size=28, color=rx.color("green", 10)),
            ),
            rx.heading(CsvImportState.result_title, as_="h3", size="5"),
            align="center",
            spacing="3",
        ),
        rx.flex(
            rx.spinner(size="3"),
            rx.heading("Importing " + CsvImportState.filename, as_="h3", size="5", class_name="truncate"),
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
                CsvImportState.failed,
                rx.callout(
                    CsvImportState.import_error,
                    icon="circle_alert",
                    color_scheme="red",
                    variant="soft",
                    role="alert",
                    width="100%",
                ),
            ),
            rx.cond(
                CsvImportState.finished,
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
                CsvImportState.finished,
                rx.button("Done", on_click=CsvImportState.done, size="3", type="button"),
                cancel_button("Close"),
            ),
        ),
    )


def csv_import_dialog() -> rx.Component:
    """Upload CSV: upload, review with the message, then progress and the result."""
    return rx.dialog.root(
        rx.dialog.content(
            dialog_header(),
            rx.match(
                CsvImportState.step,
                ("review", review_step()),
                ("progress", progress_step()),
                upload_step(),
            ),
            max_width=rx.cond(CsvImportState.step == "review", "960px", "720px"),
            padding="0",
            class_name="csv-dialog",
        ),
        open=CsvImportState.dialog_open,
        on_open_change=CsvImportState.set_dialog_open,
    )


def import_banner() -> rx.Component:
    """On the Talent Pool page: "Importing <file>: X of Y" with View progress, while the dialog is closed."""
    return rx.cond(
        CsvImportState.show_banner,
        rx.flex(
            rx.cond(
                CsvImportState.running,
                rx.spinner(size="2"),
                rx.cond(
                    CsvImportState.failed,
                    rx.icon("circle_alert", size=18, color=rx.color("red", 10)),
                    rx.icon("circle_check", size=18, color=rx.color("green", 10)),
                ),
            ),
            rx.text(CsvImportState.banner_text, size="2", weight="medium", class_name="truncate", flex="1", min_width="0"),
            rx.cond(
                CsvImportState.running,
                rx.box(
                    rx.progress(value=CsvImportState.progress_percent, max=100, size="1", aria_label="Import progress"),
                    width="160px",
                    flex_shrink="0",
                ),
            ),
            rx.button(
                rx.cond(CsvImportState.running, "View progress", "View result"),
                on_click=CsvImportState.show_progress,
                variant="soft",
                size="1",
                type="button",
            ),
            rx.cond(
                ~CsvImportState.running,
                rx.icon_button(
                    rx.icon("x", size=14),
                    on_click=CsvImportState.dismiss_banner,
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
            background=rx.cond(CsvImportState.failed, rx.color("red", 2), rx.color("accent", 2)),
            border=rx.cond(
                CsvImportState.failed, f"1px solid {rx.color('red', 5)}", f"1px solid {rx.color('accent', 5)}"
            ),
            role="status",
            aria_label="CSV import",
        ),
    )
