"""Labelled form fields that show the BFF's message for the field beneath them."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def field_label(text: str, html_for: str) -> rx.Component:
    """A visible label bound to its input."""
    return rx.el.label(
        rx.text(text, size="2", weight="medium", color=rx.color("gray", 12)),
        html_for=html_for,
    )


def field_error(error: Var[str], field_id: str) -> rx.Component:
    """The red message under a field (kept in the DOM for aria-describedby)."""
    return rx.text(
        error,
        id=f"{field_id}-error",
        size="2",
        color=rx.color("red", 11),
        display=rx.cond(error != "", "block", "none"),
        role="alert",
    )


def error_attrs(error: Var[str], field_id: str, hint: bool = False) -> dict:
    """aria-invalid and aria-describedby for an input with a possible error."""
    described_by = f"{field_id}-error"
    if hint:
        described_by = f"{field_id}-hint {described_by}"
    return {
        "aria-invalid": rx.cond(error != "", "true", "false"),
        "aria-describedby": described_by,
    }


def form_field(
    label: str,
    field_id: str,
    control: rx.Component,
    error: Var[str],
    hint: str | rx.Component | None = None,
) -> rx.Component:
    """Label, control, optional hint and error message, stacked."""
    parts: list[rx.Component] = [field_label(label, field_id), control]
    if hint is not None:
        parts.append(
            rx.text(hint, id=f"{field_id}-hint", size="1", color=rx.color("gray", 11))
            if isinstance(hint, str)
            else hint
        )
    parts.append(field_error(error, field_id))
    return rx.flex(*parts, direction="column", spacing="1", width="100%")


def text_field(
    label: str,
    field_id: str,
    error: Var[str],
    *,
    hint: str | None = None,
    input_type: str = "text",
    **input_props,
) -> rx.Component:
    """A labelled text input with its field error."""
    control = rx.input(
        id=field_id,
        type=input_type,
        size="3",
        width="100%",
        custom_attrs=error_attrs(error, field_id, hint=hint is not None),
        color_scheme=rx.cond(error != "", "red", "gray"),
        **input_props,
    )
    return form_field(label, field_id, control, error, hint)


def form_alert(message: Var[str]) -> rx.Component:
    """A message for the whole form, e.g. wrong credentials."""
    return rx.cond(
        message != "",
        rx.callout(
            message,
            icon="circle_alert",
            color_scheme="red",
            variant="soft",
            role="alert",
            width="100%",
        ),
    )


def message_field(
    label: str,
    field_id: str,
    hint_text: str,
    *,
    value: Var[str],
    on_change,
    error: Var[str],
    count_text: Var[str],
    too_long: Var[bool],
) -> rx.Component:
    """An invitation message: a text area with a hint and a character counter."""
    counter = rx.text(
        count_text,
        size="1",
        color=rx.cond(too_long, rx.color("red", 11), rx.color("gray", 11)),
        white_space="nowrap",
        aria_live="polite",
    )
    hint = rx.flex(
        rx.text(hint_text, id=f"{field_id}-hint", size="1", color=rx.color("gray", 11)),
        rx.spacer(),
        counter,
        spacing="3",
        width="100%",
    )
    return form_field(
        label,
        field_id,
        rx.text_area(
            id=field_id,
            name="message",
            value=value,
            on_change=on_change,
            rows="6",
            resize="vertical",
            size="3",
            custom_attrs=error_attrs(error, field_id, hint=True),
        ),
        error,
        hint=hint,
    )
