"""The "Invite a trusted contact" dialog: who, the message they get, and what only the team sees."""

from __future__ import annotations

import reflex as rx

from shared.limits import MAX_FILE_BYTES, MAX_FILE_MB, MAX_FILES

from ..states.invite import (
    ACCEPTED_FILES,
    ACCEPTED_TYPES_TEXT,
    UPLOAD_ID,
    InviteState,
)
from .contact_form import tag_input
from .fields import error_attrs, field_error, form_alert, form_field, text_field
from .fields import message_field as shared_message_field
from .file_drop import chosen_files_list, file_drop
from .layout import icon_tile
from .offer_form import offer_fields

PREFIX = "invite"
FILES_FIELD_ID = "invite-files-field"
FILES_LABEL_ID = "invite-files-label"


def message_field() -> rx.Component:
    """The message the invitation email carries, with a character counter."""
    return shared_message_field(
        "Invite message",
        f"{PREFIX}-message",
        "Sent in the invitation email as plain text.",
        value=InviteState.message,
        on_change=InviteState.set_message,
        error=InviteState.errors.get("message", ""),
        count_text=InviteState.message_count_text,
        too_long=InviteState.message_too_long,
    )


def team_only_heading() -> rx.Component:
    """Separates what the person receives from what only the team keeps."""
    return rx.callout(
        "Only your team sees the tags, links and files below; the person you invite never does.",
        icon="lock",
        color_scheme="gray",
        variant="surface",
        size="1",
    )


def files_field() -> rx.Component:
    """Files: each pick or drop is uploaded at once and listed, with a "Remove" button per file."""
    return rx.flex(
        rx.text("Files", id=FILES_LABEL_ID, size="2", weight="medium", color=rx.color("gray", 12)),
        file_drop(
            UPLOAD_ID,
            field_id=FILES_FIELD_ID,
            labelled_by=FILES_LABEL_ID,
            accept=ACCEPTED_FILES,
            max_size=MAX_FILE_BYTES,
            hint=f"A CV or portfolio: {ACCEPTED_TYPES_TEXT}; up to {MAX_FILES} files, {MAX_FILE_MB} MB each.",
            error=InviteState.errors.get("files", ""),
            on_drop=[InviteState.clear_files_error(), InviteState.add_files(rx.upload_files(upload_id=UPLOAD_ID))],
            on_rejected=InviteState.files_rejected,
            busy=InviteState.staging,
        ),
        chosen_files_list(InviteState.chosen_files, InviteState.remove_file),
        field_error(InviteState.errors.get("files", ""), FILES_FIELD_ID),
        direction="column",
        spacing="1",
        width="100%",
    )


def invite_fields() -> rx.Component:
    """Name, email, message, then the team-only tags, links and files."""
    return rx.flex(
        rx.grid(
            text_field(
                "Name",
                f"{PREFIX}-name",
                InviteState.errors.get("name", ""),
                name="name",
                value=InviteState.name,
                on_change=InviteState.set_name,
                auto_complete="off",
                placeholder="Ada Lovelace",
            ),
            text_field(
                "Email",
                f"{PREFIX}-email",
                InviteState.errors.get("email", ""),
                input_type="email",
                name="email",
                value=InviteState.email,
                on_change=InviteState.set_email,
                auto_complete="off",
                placeholder="ada@example.com",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        message_field(),
        rx.separator(size="4"),
        team_only_heading(),
        form_field(
            "Skills / tags",
            InviteState.TAG_INPUT_ID,
            tag_input(InviteState),
            InviteState.errors.get("tags", ""),
            hint="Press Enter or type a comma to add a tag.",
        ),
        form_field(
            "Links",
            f"{PREFIX}-links",
            rx.text_area(
                id=f"{PREFIX}-links",
                name="links",
                value=InviteState.links_text,
                on_change=InviteState.set_links_text,
                placeholder="https://github.com/ada\nhttps://ada.dev",
                rows="2",
                resize="vertical",
                size="3",
                custom_attrs=error_attrs(InviteState.errors.get("links", ""), f"{PREFIX}-links", hint=True),
            ),
            InviteState.errors.get("links", ""),
            hint="One link per line.",
        ),
        files_field(),
        direction="column",
        spacing="4",
        width="100%",
    )


def offer_step() -> rx.Component:
    """The second step of "Invite and offer job": the job the person sees once they accept."""
    return rx.flex(
        rx.flex(
            icon_tile("briefcase_business"),
            rx.vstack(
                rx.heading("Job offer", as_="h3", size="4", weight="bold"),
                rx.text(
                    "For ",
                    rx.text(InviteState.invitee_text, as_="span", weight="medium", color=rx.color("gray", 12)),
                    ". They see the offer once they accept the invitation, and can accept or decline it.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="1",
                min_width="0",
            ),
            spacing="3",
            align="start",
        ),
        offer_fields(InviteState, "invite-offer"),
        direction="column",
        spacing="4",
        width="100%",
        role="group",
        aria_label="Job offer",
    )


def invite_footer() -> rx.Component:
    """Cancel, Invite and Invite and offer job."""
    return rx.flex(
        rx.dialog.close(
            rx.button("Cancel", variant="soft", color_scheme="gray", size="3", type="button"),
        ),
        rx.button(
            rx.icon("briefcase_business", size=16),
            "Invite and offer job",
            type="button",
            on_click=InviteState.show_offer_step,
            size="3",
            variant="soft",
            disabled=InviteState.saving,
        ),
        rx.button(
            rx.icon("send", size=16),
            "Invite",
            type="submit",
            size="3",
            loading=InviteState.saving,
            disabled=InviteState.staging,
        ),
        justify="end",
        spacing="3",
        wrap="wrap",
        class_name="dialog-footer",
    )


def offer_footer() -> rx.Component:
    """Back to the invitation, or send it with the job offer."""
    return rx.flex(
        rx.button(
            rx.icon("arrow_left", size=16),
            "Back",
            type="button",
            on_click=InviteState.back_to_invitation,
            size="3",
            variant="soft",
            color_scheme="gray",
            disabled=InviteState.saving,
        ),
        rx.spacer(),
        rx.dialog.close(
            rx.button("Cancel", variant="soft", color_scheme="gray", size="3", type="button"),
        ),
        rx.button(
            rx.icon("send", size=16),
            "Invite and offer job",
            type="submit",
            size="3",
            loading=InviteState.saving,
            disabled=InviteState.staging,
        ),
        spacing="3",
        width="100%",
        class_name="dialog-footer",
    )


def invite_dialog() -> rx.Component:
    """The Invite form in a dialog; Invite sends the email (with the chosen files).

    "Invite and offer job" turns the dialog to a second step with the job offer; the first step
    stays mounted (hidden), so its fields and chosen files are kept and sent with the offer.
    """
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Invite a trusted contact", size="5"),
            rx.dialog.description(
                rx.cond(
                    InviteState.offer_step,
                    "Step 2 of 2: the job you offer. The invitation goes out with it when you send.",
                    "They get an email with a personal link to join your Talent Pool. "
                    "If they already have a worker account, they get a connection request instead.",
                ),
                size="2",
                color=rx.color("gray", 11),
                margin_bottom="16px",
            ),
            rx.form(
                rx.flex(
                    form_alert(InviteState.form_error),
                    rx.box(invite_fields(), display=rx.cond(InviteState.offer_step, "none", "block"), width="100%"),
                    rx.cond(InviteState.offer_step, offer_step()),
                    rx.cond(InviteState.offer_step, offer_footer(), invite_footer()),
                    direction="column",
                    spacing="4",
                ),
                on_submit=InviteState.send,
                no_validate=True,
                reset_on_submit=False,
            ),
            max_width="640px",
            # The dialog scrolls inside the window, so its sticky footer keeps the actions in sight.
            max_height="calc(100dvh - 32px)",
        ),
        open=InviteState.dialog_open,
        on_open_change=InviteState.set_dialog_open,
    )
