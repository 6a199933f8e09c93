"""A file picker with a drag-and-drop zone: it keeps the chosen files until the form is sent, or sends one at once.

Reflex's upload keeps chosen files per upload id in the page (not in the server state), and an
`rx.upload_files(upload_id)` event sends them with the form. Its stock drop handler replaces the
chosen files on every drop; here every pick or drop adds to them, each can be removed, and the
hidden file input gets an id and a name so a label (and tests) can find it. Given `on_drop`, the
zone instead sends each pick or drop straight to that upload handler (e.g. the CSV upload).
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
import reflex_components_core.core.upload as reflex_upload
from reflex.event import EventHandler
from reflex_base.event import EventChain
from reflex_base.vars.base import Var, VarData
from reflex_base.vars.function import FunctionStringVar

from .fields import error_attrs


def _files_context() -> VarData:
    return reflex_upload.get_upload_files_context_var_data()


def _adding_drop(upload_id: str, on_change: EventHandler | None) -> Var:
    """A drop handler that adds the new files to those already chosen (same name and size: once)."""
    key = json.dumps(upload_id)
    notify = ""
    var_data = _files_context()
    if on_change is not None:
        event = Var.create(on_change)
        notify = f" addEvents([{event!s}], [files], ({{}}));"
        var_data = VarData.merge(var_data, event._get_all_var_data())
    js = (
        "((files) => {"
        f" setFilesById((byId) => {{ const chosen = byId[{key}] ?? [];"
        " const fresh = files.filter((file) => !chosen.some((old) => old.name === file.name && old.size === file.size));"
        f" return {{ ...byId, [{key}]: [...chosen, ...fresh] }}; }});"
        f"{notify} }})"
    )
    return Var(_js_expr=js, _var_type=EventChain, _var_data=var_data)


def chosen_files(upload_id: str) -> Var:
    """The chosen files as [{name, size}], size already formatted ("812 bytes", "240 KB", "1.4 MB")."""
    key = json.dumps(upload_id)
    js = (
        f"((filesById[{key}] ?? []).map((file) => ({{ name: file.name, size: file.size < 1024"
        " ? file.size + (file.size === 1 ? ' byte' : ' bytes')"
        " : file.size < 1048576 ? Math.round(file.size / 1024) + ' KB'"
        " : (file.size / 1048576).toFixed(1) + ' MB' })))"
    )
    return Var(_js_expr=js, _var_type=list[dict[str, str]], _var_data=_files_context()).guess_type()


def remove_chosen_file(upload_id: str, index: Var) -> Var:
    """An on_click that removes the file at `index` from the chosen files."""
    key = json.dumps(upload_id)
    js = (
        f"(() => setFilesById((byId) => ({{ ...byId, [{key}]: (byId[{key}] ?? [])"
        f".filter((_, position) => position !== {index!s}) }})))"
    )
    return FunctionStringVar.create(js, _var_data=VarData.merge(_files_context(), index._get_all_var_data()))


def _rejections(rejected: Var) -> Var:
    """react-dropzone's rejections as plain data: [{name, codes}] (File objects do not travel)."""
    return Var(
        _js_expr=f"({rejected!s}.map((item) => ({{ name: item.file?.name ?? '', codes: item.errors.map((error) => error.code) }})))",
        _var_type=list[dict[str, Any]],
        _var_data=rejected._get_all_var_data(),
    )


def open_file_picker(input_id: str) -> rx.event.EventSpec:
    """Open the browser's file picker of the hidden file input."""
    return rx.call_script(f"document.getElementById({json.dumps(input_id)})?.click()")


def _drop_prompt(
    input_id: str, prompt: str | Var[str], hint: str, button_label: str, busy: Var[bool] | None
) -> rx.Component:
    """Icon, prompt and hint; a link-like "choose files", or a real button when `button_label` is given."""
    icon = rx.center(
        rx.cond(busy, rx.spinner(size="3"), rx.icon("cloud_upload", size=20, color=rx.color("accent", 11)))
        if busy is not None
        else rx.icon("cloud_upload", size=20, color=rx.color("accent", 11)),
        width="40px",
        height="40px",
        border_radius="9999px",
        background=rx.color("accent", 3),
        flex_shrink="0",
        aria_hidden="true",
    )
    hint_text = rx.text(hint, id=f"{input_id}-hint", size="1", color=rx.color("gray", 11))
    if not button_label:
        return rx.flex(
            icon,
            rx.vstack(
                rx.text(
                    prompt,
                    rx.el.button(
                        "choose files",
                        type="button",
                        on_click=open_file_picker(input_id),
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
        icon,
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
            on_click=open_file_picker(input_id),
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
    input_id: str,
    label: str,
    accept: dict[str, list[str]],
    max_size: int,
    hint: str,
    error: Var[str],
    on_change: EventHandler | None = None,
    on_rejected: EventHandler | None = None,
    on_drop: rx.event.EventSpec | None = None,
    prompt: str | Var[str] = "Drag files here, or ",
    button_label: str = "",
    busy: Var[bool] | None = None,
) -> rx.Component:
    """A dashed drop zone with a "choose files" button, then the chosen files with remove buttons.

    `on_rejected` gets [{name, codes}] for files the browser refused (react-dropzone error codes).
    With `on_drop` (an upload handler called with `rx.upload_files(upload_id)`), one file at a time
    goes straight to it and no list of chosen files is kept; `busy` disables the zone meanwhile.
    """
    rejected_handler = (lambda rejected: on_rejected(_rejections(rejected))) if on_rejected else None
    immediate = on_drop is not None
    zone_props: dict[str, Any] = {"on_drop": on_drop, "multiple": False} if immediate else {"multiple": True}
    if busy is not None:
        zone_props["disabled"] = busy
    original = reflex_upload.upload_file
    reflex_upload.upload_file = lambda id_=upload_id: _adding_drop(upload_id, on_change)
    try:
        zone = rx.upload.root(
            _drop_prompt(input_id, prompt, hint, button_label, busy),
            id=upload_id,
            accept=accept,
            max_size=max_size,
            no_click=True,
            no_keyboard=True,
            on_drop_rejected=rejected_handler,
            class_name="drop-zone",
            drag_active_style={"border_color": "var(--accent-9)", "background": "var(--accent-2)"},
            **zone_props,
        )
    finally:
        reflex_upload.upload_file = original
    # Name the hidden <input type="file"> so the label belongs to it.
    file_input = zone.children[0].children[0]
    file_input.custom_attrs = {
        "id": input_id,
        "aria-label": label,
        **error_attrs(error, input_id, hint=True),
    }
    if immediate:
        return zone
    files = chosen_files(upload_id)
    chosen = rx.cond(
        files.length() > 0,
        rx.el.ul(
            rx.foreach(
                files,
                lambda file, index: rx.el.li(
                    rx.icon("file_text", size=16, color=rx.color("gray", 11), flex_shrink="0", aria_hidden="true"),
                    rx.text(file["name"], size="2", class_name="truncate", flex="1", min_width="0", title=file["name"]),
                    rx.text(file["size"], size="1", color=rx.color("gray", 11), white_space="nowrap"),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        on_click=remove_chosen_file(upload_id, index),
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
    return rx.flex(zone, chosen, direction="column", spacing="2", width="100%")
