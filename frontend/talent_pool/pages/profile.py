"""A contact's profile (/contacts/[contact_id])."""

from __future__ import annotations

import reflex as rx

from ..components.badges import status_badge
from ..components.callouts import load_error
from ..components.confirm import confirm_dialog
from ..components.contact_form import TEAM_ONLY_HINT, contact_dialog
from ..components.email_fix import delivery_line, email_failed_text, email_fix_dialog
from ..components.jobs import (
    hire_button,
    hire_dialog,
    hired_badge,
    jobs_card,
    withdraw_dialog,
)
from ..components.layout import app_shell
from ..components.profile_cards import (
    applicant_card,
    details_card,
    files_card,
    history_card,
    invitation_card,
    links_card,
    notes_card,
    tags_card,
)
from ..states.contact_form import EditContactState
from ..states.profile import ProfileState
from ..states.profile_invitation import ProfileInvitationState
from ..states.profile_jobs import ProfileJobsState


def back_link() -> rx.Component:
    """Back to the table."""
    return rx.link(
        rx.hstack(
            rx.icon("arrow_left", size=16), rx.text("Back to Talent Pool", size="2"), align="center", spacing="2"
        ),
        href="/",
        color_scheme="gray",
        underline="hover",
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
                rx.cond(contact.delivery != "", delivery_line(contact.delivery, contact.delivery_exact, size="2")),
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


def profile_body() -> rx.Component:
    """The loaded profile."""
    return rx.vstack(
        profile_header(),
        rx.cond(
            ~ProfileJobsState.can_hire,
            rx.hstack(
                rx.icon("info", size=14, color=rx.color("gray", 11)),
                rx.text(ProfileJobsState.hire_hint, size="2", color=rx.color("gray", 11)),
                id="hire-hint",
                align="center",
                spacing="2",
                margin_top="-8px",
            ),
        ),
        rx.grid(
            rx.vstack(jobs_card(), tags_card(), links_card(), files_card(), notes_card(), spacing="4", width="100%"),
            rx.vstack(
                rx.cond(ProfileInvitationState.is_applicant, applicant_card()),
                rx.cond(ProfileInvitationState.has_invitation, invitation_card()),
                details_card(),
                history_card(),
                rx.callout(TEAM_ONLY_HINT, icon="lock", color_scheme="gray", variant="surface", size="1", width="100%"),
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
        rx.text("Loading the contact…", class_name="sr-only", role="status"),
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
        ("The contact is removed from your Talent Pool with their tags, links and notes. This cannot be undone."),
        "Delete",
        on_confirm=ProfileState.delete_contact,
        loading=ProfileState.deleting,
        open=ProfileState.confirm_delete_open,
        on_open_change=ProfileState.set_confirm_delete_open,
    )


def revoke_dialog() -> rx.Component:
    """Asks before withdrawing the pending invitation."""
    return confirm_dialog(
        ProfileInvitationState.revoke_question,
        "The link in the email stops working at once. You can resend an invitation later.",
        "Revoke",
        on_confirm=ProfileInvitationState.revoke_invitation,
        loading=ProfileInvitationState.revoking,
        open=ProfileInvitationState.confirm_revoke_open,
        on_open_change=ProfileInvitationState.set_confirm_revoke_open,
    )


def reject_dialog() -> rx.Component:
    """Asks before rejecting the applicant, naming them."""
    return confirm_dialog(
        "Reject " + ProfileState.contact.name + "?",
        ProfileState.contact.name
        + " will not join your Talent Pool. Their application ends and cannot be approved later. "
        "They are not emailed.",
        "Reject",
        on_confirm=ProfileInvitationState.decide(False),
        loading=ProfileInvitationState.deciding == "reject",
        open=ProfileInvitationState.confirm_reject_open,
        on_open_change=ProfileInvitationState.set_confirm_reject_open,
    )


def profile_page() -> rx.Component:
    """One contact's profile, with edit and delete."""
    return app_shell(
        rx.vstack(
            back_link(),
            # Until the contact of this URL has loaded (the flag drops at once when the URL changes),
            # nothing of a contact opened before shows.
            rx.cond(
                ~rx.State.is_hydrated,
                profile_loading(),
                rx.cond(
                    ProfileState.not_found,
                    not_found(),
                    rx.cond(
                        ProfileState.error != "",
                        profile_load_error(),
                        rx.cond(ProfileState.contact.id > 0, profile_body(), profile_loading()),
                    ),
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
        reject_dialog(),
        hire_dialog(),
        withdraw_dialog(),
        email_fix_dialog(),
        active="pool",
    )
