"""The Settings page: when the company's unanswered invitations are reminded."""

from __future__ import annotations

import reflex as rx

from shared.limits import REMINDER_DAYS_MAX
from shared.reminders import ReminderSchedule, default_schedule

from ..api import ApiError
from .session import SessionState

# (value, label) of the number of reminders.
REMINDER_OPTIONS = [("0", "Off"), ("1", "1 reminder"), ("2", "2 reminders")]
DAYS_MESSAGE = f"Enter a whole number of days from 1 to {REMINDER_DAYS_MAX}."


def _days(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _sent(days: int | None, used: bool, default: int) -> int:
    """A day field as sent: as typed while it is in use (the BFF says beside it when it is out of range);
    a field not in use keeps a valid number as typed, else the default."""
    if days is not None and (used or 1 <= days <= REMINDER_DAYS_MAX):
        return days
    return default


class SettingsState(SessionState):
    """The reminder schedule as the form holds it (text, as typed), and its field errors."""

    reminders: str = "2"
    first_after_days: str = "3"
    second_after_days: str = "7"
    errors: dict[str, str] = {}
    loading: bool = True
    saving: bool = False
    # A Member opened the page: only Owners and Admins change the company's settings.
    forbidden: bool = False

    @rx.var
    def first_used(self) -> bool:
        """Whether any reminder is sent (the day fields apply)."""
        return self.reminders != "0"

    @rx.var
    def second_used(self) -> bool:
        """Whether a second reminder is sent."""
        return self.reminders == "2"

    def _show(self, schedule: ReminderSchedule) -> None:
        self.reminders = str(schedule.reminders)
        self.first_after_days = str(schedule.first_after_days)
        self.second_after_days = str(schedule.second_after_days)

    @rx.event
    async def load(self):
        """On load of /settings: the company's schedule."""
        self.errors = {}
        self.loading, self.forbidden = True, False
        yield
        try:
            self._show(await self.api().reminder_schedule())
        except ApiError as err:
            self.loading = False
            if err.code == "role_required":
                self.forbidden = True
                return
            yield self._failed(err)
            return
        self.loading = False

    @rx.event
    def set_reminders(self, value: str):
        """How many reminders: "0" (off), "1" or "2"."""
        self.reminders = value
        self.errors = {}

    @rx.event
    def set_first_after_days(self, value: str):
        """After how many days the first reminder goes."""
        self.first_after_days = value
        self.errors = {key: message for key, message in self.errors.items() if key != "first_after_days"}

    @rx.event
    def set_second_after_days(self, value: str):
        """After how many days the second reminder goes."""
        self.second_after_days = value
        self.errors = {key: message for key, message in self.errors.items() if key != "second_after_days"}

    @rx.event
    async def save(self, _form: dict | None = None):
        """Check the days, then store the schedule; the BFF's field errors show beside the fields."""
        first, second = _days(self.first_after_days), _days(self.second_after_days)
        errors = {}
        if self.reminders != "0" and first is None:
            errors["first_after_days"] = DAYS_MESSAGE
        if self.reminders == "2" and second is None:
            errors["second_after_days"] = DAYS_MESSAGE
        self.errors = errors
        if errors:
            return
        self.saving = True
        yield
        default = default_schedule()
        schedule = ReminderSchedule(
            reminders=int(self.reminders),
            first_after_days=_sent(first, self.reminders != "0", default.first_after_days),
            second_after_days=_sent(second, self.reminders == "2", default.second_after_days),
        )
        try:
            self._show(await self.api().set_reminder_schedule(schedule))
        except ApiError as err:
            self.saving = False
            ended = self._failed(err, inline=True)
            if ended is not None:
                yield ended
                return
            self.errors = err.field_messages() or {"reminders": err.message()}
            return
        self.saving = False
        yield rx.toast.success("Reminder schedule saved.")
