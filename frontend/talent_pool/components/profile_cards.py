"""The cards of a contact's profile page: details, tags, links, notes, invitation, history, files, application."""

from __future__ import annotations

import reflex as rx

from ..components.badges import status_badge, tag_chip
from ..components.email_fix import correct_address_button
from ..components.layout import icon_tile
from ..states.profile import ProfileState
from ..states.profile_invitation import ProfileInvitationState
from ..states.profile_items import FileItem, HistoryItem


def detail(label: str, value: rx.Component) -> rx.Component:
    """A label and its value in the details list."""
    return rx.data_list.item(
        rx.data_list.label(label, min_width="120px"),
        rx.data_list.value(value),
        align="center",
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


def invitation_buttons() -> rx.Component:
    """Invite (added by hand), Resend and Revoke, as the status allows."""
    return rx.hstack(
        rx.cond(
            ProfileInvitationState.can_invite,
            rx.button(
                rx.icon("send", size=14),
                "Invite",
                on_click=ProfileInvitationState.invite_contact,
                loading=ProfileInvitationState.resending,
                size="2",
                aria_label="Invite " + ProfileState.contact.name,
            ),
        ),
        rx.cond(
            ProfileInvitationState.can_resend,
            rx.button(
                rx.icon("send", size=14),
                "Resend",
                on_click=ProfileInvitationState.resend_invitation,
                loading=ProfileInvitationState.resending,
                size="2",
                variant="soft",
            ),
        ),
        rx.cond(
            ProfileInvitationState.can_revoke,
            rx.button(
                rx.icon("ban", size=14),
                "Revoke",
                on_click=ProfileInvitationState.set_confirm_revoke_open(True),
                size="2",
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
            ),
        ),
        spacing="2",
        padding_top="4px",
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
                    rx.heading(ProfileInvitationState.invitation_title, as_="h2", size="3", weight="bold"),
                    status_badge(ProfileState.contact.status, ProfileState.contact.status_label, size="1"),
                    align="center",
                    spacing="2",
                ),
                rx.text(ProfileInvitationState.invitation_text, size="2", color=rx.color("gray", 11)),
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
                invitation_buttons(),
                spacing="2",
                min_width="0",
            ),
            spacing="3",
            align="start",
        ),
        size="2",
        width="100%",
        role="region",
        aria_label=ProfileInvitationState.invitation_title,
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
                    rx.badge(
                        rx.icon("clock", size=12), "Waiting for email confirmation", color_scheme="gray", variant="soft"
                    ),
                ),
                rx.text(
                    rx.cond(
                        ProfileState.contact.email_confirmed,
                        "Signed up through an invitation link. Approve to add them to your Talent Pool.",
                        "Signed up through an invitation link. You can approve them once they confirm their email.",
                    ),
                    size="2",
                    color=rx.color("gray", 11),
                    id="applicant-approval-note",
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("check", size=14),
                        "Approve",
                        on_click=ProfileInvitationState.decide(True),
                        loading=ProfileInvitationState.deciding == "approve",
                        disabled=~ProfileState.contact.email_confirmed,
                        size="2",
                        custom_attrs={"aria-describedby": "applicant-approval-note"},
                    ),
                    rx.button(
                        rx.icon("x", size=14),
                        "Reject",
                        on_click=ProfileInvitationState.set_confirm_reject_open(True),
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
