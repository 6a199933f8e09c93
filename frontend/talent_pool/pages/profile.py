"""A contact's profile (/contacts/[contact_id])."""

from __future__ import annotations

import reflex as rx

from ..components.badges import status_badge, tag_chip
from ..components.callouts import load_error
from ..components.confirm import confirm_dialog
from ..components.contact_form import TEAM_ONLY_HINT, contact_dialog
from ..components.email_fix import correct_address_button, email_failed_text, email_fix_dialog
from ..components.jobs import hire_button, hire_dialog, hired_badge, jobs_card, withdraw_dialog
from ..components.layout import app_shell, icon_tile
from ..states.contact_form import EditContactState
from ..states.profile import FileItem, HistoryItem, ProfileState


def back_link() -> rx.Component:
    """Back to the table."""
    return rx.link(
        rx.hstack(rx.icon("arrow_left", size=16), rx.text("Back to Talent Pool", size="2"), align="center", spacing="2"),
        href="/",
        color_scheme="gray",
        underline="hover",
    )


def detail(label: str, value: rx.Component) -> rx.Component:
    """A label and its value in the details list."""
    return rx.data_list.item(
        rx.data_list.label(label, min_width="120px"),
        rx.data_list.value(value),
        align="center",
    )


def profile_header() -> rx.Component:
    """Name, email, status and the actions."""
    contact = ProfileState.contact
    return rx.flex(
        rx.hstack(
            rx.avatar(
                fallback=ProfileState.initials,
                size="6",
                radius="full",
                variant="soft",
                color_scheme="indigo",
            ),
            rx.vstack(
                rx.hstack(
                    rx.heading(contact.name, as_="h1", size="7", weight="bold"),
                    status_badge(contact.status, contact.status_label),
                    hired_badge(),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.link(
                    rx.hstack(rx.icon("mail", size=14), rx.text(contact.email, size="2"), align="center", spacing="2"),
                    href="mailto:" + contact.email,
                    color_scheme="gray",
                ),
                rx.cond(contact.email_error != "", email_failed_text(contact.email_error, size="2")),
                spacing="2",
            ),
            align="center",
            spacing="4",
        ),
        rx.spacer(),
        rx.hstack(
            hire_button(),
            rx.button(
                rx.icon("pencil", size=16),
                "Edit",
                on_click=EditContactState.open_dialog,
                variant="surface",
            ),
            rx.button(
                rx.icon("trash_2", size=16),
                "Delete contact",
                on_click=ProfileState.set_confirm_delete_open(True),
                variant="soft",
                color_scheme="red",
                high_contrast=True,
            ),
            spacing="2",
        ),
        align="center",
        spacing="4",
        wrap="wrap",
        width="100%",
    )


def section_title(text: str) -> rx.Component:
    """A small heading inside a card."""
    return rx.heading(text, as_="h2", size="3", weight="bold", margin_bottom="12px")


def tags_card() -> rx.Component:
    """The contact's tags."""
    contact = ProfileState.contact
    return rx.card(
        section_title("Tags"),
        rx.cond(
            contact.tags.length() > 0,
            rx.flex(rx.foreach(contact.tags, lambda tag: tag_chip(tag, size="2")), wrap="wrap", spacing="2"),
            rx.text("No tags yet.", size="2", color=rx.color("gray", 11)),
        ),
        size="2",
        width="100%",
    )


def link_item(url: rx.Var) -> rx.Component:
    """A link that opens in a new tab without giving it access to this page."""
    return rx.link(
        rx.hstack(
            rx.icon("external_link", size=14, flex_shrink="0"),
            rx.text(url, size="2", class_name="truncate"),
            align="center",
            spacing="2",
            min_width="0",
        ),
        href=url,
        is_external=True,
        rel="noopener noreferrer",
    )


def links_card() -> rx.Component:
    """The contact's links."""
    contact = ProfileState.contact
    return rx.card(
        section_title("Links"),
        rx.cond(
            contact.links.length() > 0,
            rx.vstack(rx.foreach(contact.links, link_item), spacing="2", width="100%"),
            rx.text("No links yet.", size="2", color=rx.color("gray", 11)),
        ),
        size="2",
        width="100%",
    )


def notes_card() -> rx.Component:
    """Private notes, shown as plain text."""
    return rx.card(
        section_title("Private notes"),
        rx.cond(
            ProfileState.has_notes,
            rx.text(ProfileState.contact.notes, size="2", white_space="pre-wrap", class_name="notes"),
            rx.text("No notes yet.", size="2", color=rx.color("gray", 11)),
        ),
        size="2",
        width="100%",
    )


def invitation_card() -> rx.Component:
    """Where the invitation stands, with Invite (added by hand), Resend and Revoke."""
    return rx.card(
        rx.flex(
            icon_tile(
                rx.match(
                    ProfileState.contact.status,
                    ("expired", "clock"),
                    ("revoked", "ban"),
                    ("not_invited", "user_plus"),
                    "mail",
                )
            ),
            rx.vstack(
                rx.hstack(
                    rx.heading(ProfileState.invitation_title, as_="h2", size="3", weight="bold"),
                    status_badge(ProfileState.contact.status, ProfileState.contact.status_label, size="1"),
                    align="center",
                    spacing="2",
                ),
                rx.text(ProfileState.invitation_text, size="2", color=rx.color("gray", 11)),
                rx.cond(
                    ProfileState.contact.email_error != "",
                    correct_address_button(
                        ProfileState.contact.id,
                        ProfileState.contact.name,
                        ProfileState.contact.email,
                        ProfileState.contact.email_error,
                        "profile",
                        size="2",
                    ),
                ),
                rx.hstack(
                    rx.cond(
                        ProfileState.can_invite,
                        rx.button(
                            rx.icon("send", size=14),
                            "Invite",
                            on_click=ProfileState.invite_contact,
                            loading=ProfileState.resending,
                            size="2",
                            aria_label="Invite " + ProfileState.contact.name,
                        ),
                    ),
                    rx.cond(
                        ProfileState.can_resend,
                        rx.button(
                            rx.icon("send", size=14),
                            "Resend",
                            on_click=ProfileState.resend_invitation,
                            loading=ProfileState.resending,
                            size="2",
                            variant="soft",
                        ),
                    ),
                    rx.cond(
                        ProfileState.can_revoke,
                        rx.button(
                            rx.icon("ban", size=14),
                            "Revoke",
                            on_click=ProfileState.set_confirm_revoke_open(True),
                            size="2",
                            variant="soft",
                            color_scheme="gray",
                            high_contrast=True,
                        ),
                    ),
                    spacing="2",
                    padding_top="4px",
                ),
                spacing="2",
                min_width="0",
            ),
            spacing="3",
            align="start",
        ),
        size="2",
        width="100%",
        role="region",
        aria_label=ProfileState.invitation_title,
    )


def history_row(item: HistoryItem) -> rx.Component:
    """One event on the timeline: a dot, what happened, who, and when."""
    return rx.el.li(
        rx.box(class_name="timeline-dot", aria_hidden="true"),
        rx.vstack(
            rx.text(item.summary, size="2", weight="medium", color=rx.color("gray", 12)),
            rx.text(
                rx.cond(item.actor != "", item.actor + " · ", ""),
                rx.el.time(item.when, title=item.when_exact),
                rx.text(" · " + item.when_exact, as_="span", class_name="timeline-exact"),
                size="1",
                color=rx.color("gray", 11),
            ),
            spacing="0",
            min_width="0",
        ),
        class_name="timeline-item",
    )


def history_card() -> rx.Component:
    """What happened to this contact, newest first."""
    return rx.card(
        section_title("History"),
        rx.cond(
            ProfileState.history.length() > 0,
            rx.el.ol(rx.foreach(ProfileState.history, history_row), class_name="timeline", aria_label="History"),
            rx.text("Nothing has happened yet.", size="2", color=rx.color("gray", 11)),
        ),
        size="2",
        width="100%",
    )


def file_row(file: FileItem) -> rx.Component:
    """A file with its size, upload date and a download button."""
    return rx.el.li(
        rx.center(
            rx.match(
                file.kind,
                ("image", rx.icon("file_image", size=18)),
                ("text", rx.icon("file_text", size=18)),
                rx.icon("file", size=18),
            ),
            width="36px",
            height="36px",
            min_width="36px",
            border_radius="8px",
            background=rx.color("gray", 3),
            color=rx.color("gray", 11),
            aria_hidden="true",
        ),
        rx.vstack(
            rx.text(file.filename, size="2", weight="medium", class_name="truncate", width="100%", title=file.filename),
            rx.text(file.size + " · added " + file.uploaded, size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.icon_button(
            rx.icon("download", size=16),
            on_click=ProfileState.download_file(file.id),
            loading=ProfileState.downloading_id == file.id,
            variant="soft",
            color_scheme="gray",
            size="2",
            aria_label="Download " + file.filename,
            title="Download",
        ),
        class_name="file-row",
    )


def files_card() -> rx.Component:
    """Files the team keeps on this contact (e.g. a CV)."""
    return rx.card(
        section_title("Files"),
        rx.cond(
            ProfileState.files.length() > 0,
            rx.el.ul(rx.foreach(ProfileState.files, file_row), class_name="file-list", aria_label="Files"),
            rx.text("No files yet.", size="2", color=rx.color("gray", 11)),
        ),
        size="2",
        width="100%",
    )


def details_card() -> rx.Component:
    """Source and dates."""
    contact = ProfileState.contact
    return rx.card(
        section_title("Details"),
        rx.data_list.root(
            detail("Source", rx.text(contact.source_label)),
            detail(
                "Last activity",
                rx.text(contact.last_activity, title=contact.last_activity_exact),
            ),
            detail("Added", rx.text(contact.created)),
            detail("Updated", rx.text(contact.updated)),
            rx.cond(contact.created_by != "", detail("Added by", rx.text(contact.created_by))),
            rx.cond(
                contact.last_engagement != "",
                detail(
                    "Last engagement",
                    rx.text(
                        contact.last_engagement,
                        rx.cond(contact.last_engaged != "", " · " + contact.last_engaged, ""),
                    ),
                ),
            ),
            size="2",
            orientation="horizontal",
        ),
        size="2",
        width="100%",
    )


def applicant_card() -> rx.Component:
    """An applicant from an invitation link: whether the email is confirmed, Approve and Reject."""
    return rx.card(
        rx.flex(
            icon_tile("user_check"),
            rx.vstack(
                rx.hstack(
                    rx.heading("Applicant", as_="h2", size="3", weight="bold"),
                    status_badge(ProfileState.contact.status, ProfileState.contact.status_label, size="1"),
                    align="center",
                    spacing="2",
                ),
                rx.cond(
                    ProfileState.contact.email_confirmed,
                    rx.badge(rx.icon("circle_check", size=12), "Email confirmed", color_scheme="green", variant="soft"),
                    rx.badge(rx.icon("clock", size=12), "Email not confirmed", color_scheme="gray", variant="soft"),
                ),
                rx.text(
                    rx.cond(
                        ProfileState.contact.email_confirmed,
                        "Signed up through an invitation link. Approve to add them to your Talent Pool.",
                        "Signed up through an invitation link. You can approve them once they confirm their email.",
                    ),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("check", size=14),
                        "Approve",
                        on_click=ProfileState.decide(True),
                        loading=ProfileState.deciding == "approve",
                        size="2",
                    ),
                    rx.button(
                        rx.icon("x", size=14),
                        "Reject",
                        on_click=ProfileState.decide(False),
                        loading=ProfileState.deciding == "reject",
                        size="2",
                        variant="soft",
                        color_scheme="gray",
                        high_contrast=True,
                    ),
                    spacing="2",
                    padding_top="4px",
                ),
                spacing="2",
                min_width="0",
            ),
            spacing="3",
            align="start",
        ),
        size="2",
        width="100%",
        role="region",
        aria_label="Applicant",
    )


def profile_body() -> rx.Component:
    """The loaded profile."""
    return rx.vstack(
        profile_header(),
        rx.cond(
            ~ProfileState.can_hire,
            rx.hstack(
                rx.icon("info", size=14, color=rx.color("gray", 11)),
                rx.text(ProfileState.hire_hint, size="2", color=rx.color("gray", 11)),
                id="hire-hint",
                align="center",
                spacing="2",
                margin_top="-8px",
            ),
        ),
        rx.grid(
            rx.vstack(jobs_card(), tags_card(), links_card(), files_card(), notes_card(), spacing="4", width="100%"),
            rx.vstack(
                rx.cond(ProfileState.is_applicant, applicant_card()),
                rx.cond(ProfileState.has_invitation, invitation_card()),
                details_card(),
                history_card(),
                rx.callout(
                    TEAM_ONLY_HINT, icon="lock", color_scheme="gray", variant="surface", size="1", width="100%"
                ),
                spacing="4",
                width="100%",
            ),
            grid_template_columns=rx.breakpoints(initial="minmax(0, 1fr)", md="minmax(0, 3fr) minmax(0, 2fr)"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        spacing="5",
        width="100%",
    )


def profile_loading() -> rx.Component:
    """Placeholders while the profile loads."""
    return rx.vstack(
        rx.hstack(
            rx.skeleton(rx.box(width="64px", height="64px"), border_radius="9999px"),
            rx.vstack(
                rx.skeleton(rx.box(width="240px", height="28px")),
                rx.skeleton(rx.box(width="180px", height="16px")),
                spacing="2",
            ),
            align="center",
            spacing="4",
        ),
        rx.skeleton(rx.box(width="100%", height="180px")),
        spacing="5",
        width="100%",
        aria_busy="true",
    )


def not_found() -> rx.Component:
    """The contact does not exist (or belongs to another company)."""
    return rx.card(
        rx.center(
            rx.vstack(
                rx.center(
                    rx.icon("user_round_x", size=30, color=rx.color("gray", 11)),
                    width="64px",
                    height="64px",
                    border_radius="9999px",
                    background=rx.color("gray", 3),
                ),
                rx.heading("Contact not found", as_="h1", size="5"),
                rx.text(
                    "This contact may have been deleted, or the link is wrong.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.button("Go to Talent Pool", on_click=rx.redirect("/"), variant="soft"),
                align="center",
                spacing="3",
            ),
            padding_y="64px",
        ),
        size="3",
        width="100%",
    )


def profile_load_error() -> rx.Component:
    """The profile could not be loaded."""
    return load_error("this contact", ProfileState.error, ProfileState.load_contact)


def delete_dialog() -> rx.Component:
    """Asks before deleting the contact."""
    return confirm_dialog(
        "Delete " + ProfileState.contact.name + "?",
        (
            "The contact is removed from your Talent Pool with their tags, links and notes. "
            "This cannot be undone."
        ),
        "Delete",
        on_confirm=ProfileState.delete_contact,
        loading=ProfileState.deleting,
        open=ProfileState.confirm_delete_open,
        on_open_change=ProfileState.set_confirm_delete_open,
    )


def revoke_dialog() -> rx.Component:
    """Asks before withdrawing the pending invitation."""
    return confirm_dialog(
        ProfileState.revoke_question,
        "The link in the email stops working at once. You can resend an invitation later.",
        "Revoke",
        on_confirm=ProfileState.revoke_invitation,
        loading=ProfileState.revoking,
        open=ProfileState.confirm_revoke_open,
        on_open_change=ProfileState.set_confirm_revoke_open,
    )


def profile_page() -> rx.Component:
    """One contact's profile, with edit and delete."""
    return app_shell(
        rx.vstack(
            back_link(),
            rx.cond(
                ProfileState.not_found,
                not_found(),
                rx.cond(
                    ProfileState.error != "",
                    profile_load_error(),
                    rx.cond(ProfileState.contact.id > 0, profile_body(), profile_loading()),
                ),
            ),
            spacing="5",
            width="100%",
        ),
        contact_dialog(
            EditContactState,
            title="Edit contact",
            description="Change this contact's details. Only your team sees links, tags and notes.",
            submit_label="Save",
            prefix="edit-contact",
        ),
        delete_dialog(),
        revoke_dialog(),
        hire_dialog(),
        withdraw_dialog(),
        email_fix_dialog(),
        active="pool",
    )
