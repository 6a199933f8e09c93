"""The contact form used by the "Add contact" and "Edit" dialogs."""

from __future__ import annotations

import reflex as rx

from ..states.contact_form import ContactFormMixin
from .badges import removable_chip
from .chip_input import chip_input
from .fields import error_attrs, form_alert, form_field, text_field

TEAM_ONLY_HINT = "Only your team sees tags, links, files and notes."


def tag_input(state: type[ContactFormMixin]) -> rx.Component:
    """Tags as removable chips plus a box where Enter or a comma adds one."""
    return rx.flex(
        rx.foreach(
            state.tags,
            lambda tag: removable_chip(tag, state.remove_tag(tag), "Remove tag " + tag),
        ),
        chip_input(
            id=state.TAG_INPUT_ID,
            name="tag_draft",
            on_draft=state.set_tag_draft,
            on_commit=state.commit_tags,
            on_remove_last=state.remove_last_tag,
            placeholder=rx.cond(state.tags.length() > 0, "Add another…", "e.g. python, design"),
            auto_complete="off",
            class_name="chip-input",
            custom_attrs=error_attrs(state.errors.get("tags", ""), state.TAG_INPUT_ID, hint=True),
        ),
        class_name="chip-box",
        wrap="wrap",
        spacing="2",
        align="center",
        width="100%",
    )


def contact_fields(state: type[ContactFormMixin], prefix: str) -> rx.Component:
    """Every field of a contact, each with its own BFF error."""
    return rx.flex(
        rx.grid(
            text_field(
                "Name",
                f"{prefix}-name",
                state.errors.get("name", ""),
                name="name",
                value=state.name,
                on_change=state.set_name,
                auto_complete="off",
                placeholder="Ada Lovelace",
            ),
            text_field(
                "Email",
                f"{prefix}-email",
                state.errors.get("email", ""),
                input_type="email",
                name="email",
                value=state.email,
                on_change=state.set_email,
                auto_complete="off",
                placeholder="ada@example.com",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        form_field(
            "Tags",
            state.TAG_INPUT_ID,
            tag_input(state),
            state.errors.get("tags", ""),
            hint="Press Enter or type a comma to add a tag.",
        ),
        form_field(
            "Links",
            f"{prefix}-links",
            rx.text_area(
                id=f"{prefix}-links",
                name="links",
                value=state.links_text,
                on_change=state.set_links_text,
                placeholder="https://github.com/ada\nhttps://ada.dev",
                rows="3",
                resize="vertical",
                size="3",
                custom_attrs=error_attrs(state.errors.get("links", ""), f"{prefix}-links", hint=True),
            ),
            state.errors.get("links", ""),
            hint="One link per line.",
        ),
        form_field(
            "Private notes",
            f"{prefix}-notes",
            rx.text_area(
                id=f"{prefix}-notes",
                name="notes",
                value=state.notes,
                on_change=state.set_notes,
                placeholder="How you know them, what they are great at…",
                rows="4",
                resize="vertical",
                size="3",
                custom_attrs=error_attrs(state.errors.get("notes", ""), f"{prefix}-notes"),
            ),
            state.errors.get("notes", ""),
        ),
        rx.callout(
            TEAM_ONLY_HINT,
            icon="lock",
            color_scheme="gray",
            variant="surface",
            size="1",
        ),
        direction="column",
        spacing="4",
        width="100%",
    )


def contact_dialog(
    state: type[ContactFormMixin],
    *,
    title: str,
    description: str,
    submit_label: str,
    prefix: str,
) -> rx.Component:
    """A dialog with the contact form, Cancel and a submit button; the state opens it."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title, size="5"),
            rx.dialog.description(description, size="2", color=rx.color("gray", 11), margin_bottom="16px"),
            rx.form(
                rx.flex(
                    form_alert(state.form_error),
                    contact_fields(state, prefix),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", size="3", type="button"),
                        ),
                        rx.button(submit_label, type="submit", size="3", loading=state.saving),
                        justify="end",
                        spacing="3",
                        padding_top="8px",
                    ),
                    direction="column",
                    spacing="4",
                ),
                on_submit=state.save,
                no_validate=True,
                reset_on_submit=False,
            ),
            max_width="600px",
        ),
        open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )
