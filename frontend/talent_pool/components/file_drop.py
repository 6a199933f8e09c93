"""A drag-and-drop zone with a "choose files" button: each pick or drop goes at once to an upload handler.

Built on `rx.upload.root` as documented: `on_drop` takes the state's upload handler called with
`rx.upload_files(upload_id)`, so the page keeps no files of its own. The zone is named like
its field, wrapped in a `<label>` whose control is the zone's hidden file input (which so gets the
field's name): the "choose files" button opens that input, and a click on the zone does too.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex.vars import Var

from .fields import error_attrs


def rejected_files(rejected: Var) -> Var:
    """react-dropzone's rejections as plain data: [{name, codes}] (File objects do not travel)."""
    return (
        rejected.to(list[dict[str, Any]])
        .map(
            lambda item: {
                "name": item["file"].to(dict)["name"].to(str),
                "codes": item["errors"].to(list[dict[str, Any]]).map(lambda error: error["code"].to(str)),
            }
        )
        .to(list[dict[str, Any]])
    )


def open_file_picker(picker_id: str) -> rx.event.EventSpec:
    """Open the browser's file picker: the control of the zone's label is its file input."""
    return rx.call_script(f"document.getElementById({json.dumps(picker_id)})?.control?.click()")


def _icon(busy: Var[bool] | None) -> rx.Component:
    upload_icon = rx.icon("cloud_upload", size=20, color=rx.color("accent", 11))
    return rx.center(
        rx.cond(busy, rx.spinner(size="3"), upload_icon) if busy is not None else upload_icon,
        width="40px",
        height="40px",
        border_radius="9999px",
        background=rx.color("accent", 3),
        flex_shrink="0",
        aria_hidden="true",
    )


def _drop_prompt(
    field_id: str, prompt: str | Var[str], hint: str, button_label: str, busy: Var[bool] | None
) -> rx.Component:
    """Icon, prompt and hint; a link-like "choose files", or a real button when `button_label` is given."""
    picker_id = f"{field_id}-picker"
    hint_text = rx.text(hint, id=f"{field_id}-hint", size="1", color=rx.color("gray", 11))
    if not button_label:
        return rx.flex(
            _icon(busy),
            rx.vstack(
                rx.text(
                    prompt,
                    rx.el.button(
                        "choose files",
                        type="button",
                        on_click=open_file_picker(picker_id),
                        class_name="link-button",
                    ),
                    size="2",
                    color=rx.color("gray", 12),
                ),
                hint_text,
                spacing="0",
            ),
            align="center",
            spacing="3",
        )
    return rx.flex(
        _icon(busy),
        rx.vstack(
            rx.text(prompt, size="2", weight="medium", color=rx.color("gray", 12)),
            hint_text,
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.button(
            rx.icon("upload", size=16),
            button_label,
            type="button",
            on_click=open_file_picker(picker_id),
            loading=busy if busy is not None else False,
            size="2",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def file_drop(
    upload_id: str,
    *,
    field_id: str,
    accept: dict[str, list[str]],
    max_size: int,
    hint: str,
    error: Var[str],
    on_drop: rx.event.EventSpec | list[rx.event.EventSpec],
    on_rejected: rx.EventHandler,
    label: str = "",
    labelled_by: str = "",
    multiple: bool = True,
    prompt: str | Var[str] = "Drag files here, or ",
    button_label: str = "",
    busy: Var[bool] | None = None,
) -> rx.Component:
    """A dashed drop zone named `label` (or by the element `labelled_by`) that sends each pick or drop to `on_drop`.

    `on_drop` is an upload handler called with `rx.upload_files(upload_id)` (or a list of events ending
    with it); `on_rejected` gets [{name, codes}] for files the browser refused (react-dropzone error
    codes). While `busy` (the handler sets it as it starts) the zone is disabled and `aria-busy`:
    Reflex sends one upload of an id at a time and ignores a pick made while one is on its way. The hint has the id `<field_id>-hint`; the field's error `<field_id>-error`.
    """
    naming = {"aria-labelledby": labelled_by} if labelled_by else {"aria-label": label}
    zone = rx.upload.root(
        _drop_prompt(field_id, prompt, hint, button_label, busy),
        id=upload_id,
        accept=accept,
        max_size=max_size,
        multiple=multiple,
        no_click=True,
        no_keyboard=True,
        disabled=busy if busy is not None else False,
        on_drop=on_drop,
        on_drop_rejected=lambda rejected: on_rejected(rejected_files(rejected)),
        class_name="drop-zone",
        drag_active_style={"border_color": "var(--accent-9)", "background": "var(--accent-2)"},
        custom_attrs={
            **naming,
            **error_attrs(error, field_id, hint=True),
            "aria-busy": rx.cond(busy, "true", "false") if busy is not None else "false",
        },
    )
    return rx.el.label(
        zone,
        id=f"{field_id}-picker",
        class_name=rx.cond(busy, "drop-zone-label busy", "drop-zone-label") if busy is not None else "drop-zone-label",
    )


def chosen_files_list(files: Var[list], on_remove: rx.EventHandler) -> rx.Component:
    """The chosen files (each with `id`, `name` and `size_text`), each with its own "Remove <name>" button."""
    return rx.cond(
        files.length() > 0,
        rx.el.ul(
            rx.foreach(
                files,
                lambda file: rx.el.li(
                    rx.icon("file_text", size=16, color=rx.color("gray", 11), flex_shrink="0", aria_hidden="true"),
                    rx.text(file["name"], size="2", class_name="truncate", flex="1", min_width="0", title=file["name"]),
                    rx.text(file["size_text"], size="1", color=rx.color("gray", 11), white_space="nowrap"),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        on_click=on_remove(file["id"]),
                        type="button",
                        variant="ghost",
                        color_scheme="gray",
                        size="1",
                        aria_label="Remove " + file["name"].to(str),
                    ),
                    class_name="chosen-file",
                ),
            ),
            class_name="chosen-files",
            aria_label="Chosen files",
        ),
    )
