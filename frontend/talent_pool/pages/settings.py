"""/settings: the company's settings: its name, and when unanswered invitations are reminded."""

from __future__ import annotations

import reflex as rx

from shared.limits import NAME_MAX, REMINDER_DAYS_MAX

from ..components.fields import error_attrs, form_field, text_field
from ..components.layout import app_shell
from ..states.company_name import CompanyNameState
from ..states.settings import REMINDER_OPTIONS, SettingsState

REMINDERS_HINT = (
    "People who have not answered an invitation get a reminder with the same link. Reminders stop as soon as "
    "the invitation is accepted, declined, revoked or expires."
)


def _reminders_select() -> rx.Component:
    error = SettingsState.errors.get("reminders", "")
    return form_field(
        "Reminders",
        "settings-reminders",
        rx.select.root(
            rx.select.trigger(
                id="settings-reminders",
                width="100%",
                custom_attrs=error_attrs(error, "settings-reminders", hint=True),
            ),
            rx.select.content(*[rx.select.item(label, value=value) for value, label in REMINDER_OPTIONS]),
            value=SettingsState.reminders,
            on_change=SettingsState.set_reminders,
            size="3",
        ),
        error,
        REMINDERS_HINT,
    )


def _days_field(label: str, field: str, value, on_change, enabled) -> rx.Component:
    return text_field(
        label,
        f"settings-{field.replace('_', '-')}",
        SettingsState.errors.get(field, ""),
        input_type="number",
        name=field,
        value=value,
        on_change=on_change,
        disabled=~enabled,
        min=1,
        max=REMINDER_DAYS_MAX,
        input_mode="numeric",
    )


def reminders_card() -> rx.Component:
    """The reminder schedule form."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Invitation reminders", as_="h2", size="4", weight="bold"),
                _reminders_select(),
                rx.grid(
                    _days_field(
                        "First reminder after (days)",
                        "first_after_days",
                        SettingsState.first_after_days,
                        SettingsState.set_first_after_days,
                        SettingsState.first_used,
                    ),
                    _days_field(
                        "Second reminder after (days)",
                        "second_after_days",
                        SettingsState.second_after_days,
                        SettingsState.set_second_after_days,
                        SettingsState.second_used,
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="4",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(
                        "Save schedule", type="submit", loading=SettingsState.saving, disabled=SettingsState.loading
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=SettingsState.save,
            no_validate=True,
            reset_on_submit=False,
            width="100%",
        ),
        size="3",
        width="100%",
    )


def company_card() -> rx.Component:
    """The company's name: Owners change it, Admins read who can."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Company", as_="h2", size="4", weight="bold"),
                text_field(
                    "Company name",
                    "settings-company-name",
                    CompanyNameState.name_error,
                    hint="Shown to your team and in the emails people get from you.",
                    name="name",
                    value=CompanyNameState.name_draft,
                    on_change=CompanyNameState.set_name_draft,
                    disabled=~CompanyNameState.can_rename,
                    max_length=NAME_MAX,
                ),
                rx.cond(
                    CompanyNameState.can_rename,
                    rx.hstack(
                        rx.button("Save name", type="submit", loading=CompanyNameState.renaming),
                        justify="end",
                        width="100%",
                    ),
                    rx.text("Only owners can rename the company.", size="2", color=rx.color("gray", 11)),
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=CompanyNameState.rename,
            no_validate=True,
            reset_on_submit=False,
            width="100%",
        ),
        size="3",
        width="100%",
    )


def settings_page() -> rx.Component:
    """The company's settings."""
    return app_shell(
        rx.vstack(
            rx.heading("Settings", as_="h1", size="7", weight="bold"),
            rx.cond(
                SettingsState.forbidden,
                rx.callout(
                    "Only owners and admins can change the company's settings.",
                    icon="lock",
                    color_scheme="gray",
                    variant="surface",
                    role="status",
                    width="100%",
                ),
                rx.vstack(company_card(), reminders_card(), spacing="5", width="100%"),
            ),
            spacing="5",
            width="100%",
            max_width="640px",
            padding_y="24px",
        ),
        active="settings",
    )
