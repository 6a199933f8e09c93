"""The "Upload contacts from a CSV file" dialog: step 1 (the file) and the dialog that holds the three steps."""

from __future__ import annotations

import reflex as rx

from shared.limits import MAX_CSV_BYTES, MAX_CSV_MB, MAX_CSV_ROWS

from ..states.csv_import import CsvImportState
from ..states.csv_upload import ACCEPTED_CSV, UPLOAD_ID, CsvUploadState
from .csv_parts import (
    FILE_INPUT_ID,
    TEMPLATE_SAMPLE,
    cancel_button,
    dialog_footer,
    dialog_header,
)
from .csv_progress import progress_step
from .csv_review import review_step
from .fields import field_error
from .file_drop import file_drop


def columns_help() -> rx.Component:
    """Which columns the file needs, with an example and the template."""
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading("What the file needs", as_="h3", size="3"),
                rx.el.ul(
                    rx.el.li(
                        rx.text.strong("Name"),
                        " and ",
                        rx.text.strong("Email"),
                        " columns; ",
                        rx.text.strong("Tags"),
                        " is optional.",
                    ),
                    rx.el.li("Columns in any order; common names work too (Full name, E-mail, Skills…)."),
                    rx.el.li(
                        "Several tags in one cell: separate them with ",
                        rx.code(";"),
                        ", ",
                        rx.code(","),
                        " or ",
                        rx.code("|"),
                        ".",
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
                    on_click=CsvUploadState.download_template,
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
        field_id=FILE_INPUT_ID,
        label="CSV file",
        multiple=False,
        accept=ACCEPTED_CSV,
        max_size=MAX_CSV_BYTES,
        prompt=rx.cond(CsvUploadState.uploading, "Reading your file…", "Drag your CSV file here"),
        hint=f"Or choose it on your computer: a .csv or .txt file of up to {MAX_CSV_MB} MB and {MAX_CSV_ROWS:,} contacts.",
        button_label="Upload .CSV file",
        error=CsvUploadState.file_error,
        on_drop=CsvUploadState.upload(
            rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=CsvUploadState.upload_progress)
        ),
        on_rejected=CsvUploadState.file_rejected,
        busy=CsvUploadState.uploading,
    )
    return rx.fragment(
        rx.flex(
            columns_help(),
            rx.flex(
                zone,
                field_error(CsvUploadState.file_error, FILE_INPUT_ID),
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
