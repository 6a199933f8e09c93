"""Hiring on a contact's profile: the Hire / Re-hire button and dialog, and the Jobs section."""

from __future__ import annotations

import reflex as rx

from ..states.hire import HireState
from ..states.profile import ProfileState
from ..states.profile_items import OfferItem
from ..states.profile_jobs import ProfileJobsState
from .badges import offer_status_badge
from .callouts import load_error
from .confirm import confirm_dialog
from .fields import form_alert
from .offer_form import offer_fields


def hire_button() -> rx.Component:
    """Hire (or Re-hire, for someone hired before); disabled unless the contact is active, with the reason."""
    return rx.cond(
        ProfileJobsState.can_hire,
        rx.button(
            rx.icon("briefcase_business", size=16),
            ProfileJobsState.hire_label,
            on_click=HireState.open_dialog,
        ),
        rx.tooltip(
            # A disabled button gets no pointer events: the wrapper shows the tooltip.
            rx.box(
                rx.button(
                    rx.icon("briefcase_business", size=16),
                    ProfileJobsState.hire_label,
                    disabled=True,
                    aria_describedby="hire-hint",
                ),
                display="inline-flex",
            ),
            content=ProfileJobsState.hire_hint,
        ),
    )


def hired_badge() -> rx.Component:
    """Shown beside the status when the contact was hired before."""
    return rx.cond(
        ProfileJobsState.worked_before,
        rx.badge(
            rx.icon("briefcase_business", size=12),
            "Hired",
            color_scheme="teal",
            variant="surface",
            radius="full",
            size="2",
            high_contrast=True,
            title=ProfileJobsState.hired_title,
        ),
    )


def offer_meta(icon: str, text: rx.Var) -> rx.Component:
    """One fact about a job: an icon and its text."""
    return rx.hstack(
        rx.icon(icon, size=14, color=rx.color("gray", 10), flex_shrink="0", aria_hidden="true"),
        rx.text(text, size="2", color=rx.color("gray", 11)),
        align="center",
        spacing="1",
        white_space="nowrap",
    )


def offer_row(offer: OfferItem) -> rx.Component:
    """One offer: title and status, dates, rate, place, description, when, and Withdraw while open."""
    return rx.el.li(
        rx.flex(
            rx.text(offer.title, size="3", weight="bold", color=rx.color("gray", 12), class_name="offer-title"),
            offer_status_badge(offer.status, offer.status_label, size="1"),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.flex(
            offer_meta("calendar", offer.dates),
            offer_meta("banknote", offer.rate),
            offer_meta(rx.cond(offer.remote, "globe", "map_pin"), offer.place),
            spacing="4",
            row_gap="4px",
            wrap="wrap",
        ),
        rx.cond(
            offer.description != "",
            rx.text(offer.description, size="2", color=rx.color("gray", 12), class_name="offer-description"),
        ),
        rx.flex(
            rx.text(
                rx.el.time(offer.sent, title=offer.sent_exact),
                rx.cond(offer.answered != "", " · " + offer.answered, ""),
                size="1",
                color=rx.color("gray", 11),
            ),
            rx.spacer(),
            rx.cond(
                offer.can_withdraw,
                rx.button(
                    rx.icon("undo_2", size=14),
                    "Withdraw",
                    on_click=ProfileJobsState.ask_withdraw(offer.id),
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    high_contrast=True,
                    aria_label="Withdraw the offer " + offer.title,
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        class_name="offer-row",
        aria_label=offer.title,
    )


def jobs_card() -> rx.Component:
    """The engagement history: every job offered to this contact, newest first."""
    return rx.card(
        rx.flex(
            rx.heading("Jobs", as_="h2", size="3", weight="bold"),
            rx.cond(
                ProfileState.offers.length() > 0,
                rx.badge(ProfileState.offers.length().to_string(), variant="soft", color_scheme="gray", radius="full"),
            ),
            align="center",
            spacing="2",
            margin_bottom="8px",
        ),
        rx.cond(
            ProfileState.offers_error != "",
            load_error("the jobs", ProfileState.offers_error, ProfileState.load_contact),
            rx.cond(
                ProfileState.offers.length() > 0,
                rx.el.ul(rx.foreach(ProfileState.offers, offer_row), class_name="offer-list", aria_label="Job offers"),
                rx.text(
                    rx.cond(
                        ProfileJobsState.can_hire,
                        "No jobs yet. Hire " + ProfileState.contact.name + " to send a job offer.",
                        "No jobs yet. Only active contacts can be hired.",
                    ),
                    size="2",
                    color=rx.color("gray", 11),
                ),
            ),
        ),
        size="2",
        width="100%",
        role="region",
        aria_label="Jobs",
    )


def withdraw_dialog() -> rx.Component:
    """Asks before taking back an offer."""
    return confirm_dialog(
        ProfileJobsState.withdraw_question,
        (
            "The offer disappears from their worker portal and they can no longer accept it. "
            "You can send a new offer later."
        ),
        "Withdraw",
        on_confirm=ProfileJobsState.withdraw_offer,
        loading=ProfileJobsState.withdrawing,
        open=ProfileJobsState.confirm_withdraw_open,
        on_open_change=ProfileJobsState.set_confirm_withdraw_open,
    )


def hire_dialog() -> rx.Component:
    """The job offer form in a dialog (Hire, or Re-hire filled from the last job)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(HireState.dialog_title, size="5"),
            rx.dialog.description(
                HireState.dialog_text,
                size="2",
                color=rx.color("gray", 11),
                margin_bottom="16px",
            ),
            rx.form(
                rx.flex(
                    form_alert(HireState.form_error),
                    rx.cond(
                        HireState.prefill_note != "",
                        rx.callout(
                            HireState.prefill_note, icon="info", color_scheme="gray", variant="surface", size="1"
                        ),
                    ),
                    rx.box(
                        offer_fields(HireState, "hire"),
                        opacity=rx.cond(HireState.prefilling, "0.5", "1"),
                        aria_busy=rx.cond(HireState.prefilling, "true", "false"),
                        width="100%",
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", size="3", type="button"),
                        ),
                        rx.button(
                            rx.icon("send", size=16),
                            rx.cond(HireState.invite_first, "Invite and offer job", "Send job offer"),
                            type="submit",
                            size="3",
                            loading=HireState.saving,
                            disabled=HireState.prefilling,
                        ),
                        justify="end",
                        spacing="3",
                        padding_top="8px",
                    ),
                    direction="column",
                    spacing="4",
                ),
                on_submit=HireState.send,
                no_validate=True,
                reset_on_submit=False,
            ),
            max_width="640px",
        ),
        open=HireState.dialog_open,
        on_open_change=HireState.set_dialog_open,
    )
