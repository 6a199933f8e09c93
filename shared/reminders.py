"""The wire format of the company's reminder schedule."""

from __future__ import annotations

import msgspec

from shared.fields import Count
from shared.limits import REMINDER_DAYS_MAX, REMINDERS_MAX

__all__ = ["REMINDERS_MAX", "REMINDER_DAYS_MAX", "ReminderSchedule", "default_schedule", "describe_schedule"]


class ReminderSchedule(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How unanswered invitations are reminded: how many reminders (0 = off, at most 2) and after how many days."""

    reminders: Count
    first_after_days: Count
    # Used when `reminders` is 2; must be later than the first.
    second_after_days: Count


def default_schedule() -> ReminderSchedule:
    """A company's schedule until it sets one: two reminders, after 3 and 7 days."""
    return ReminderSchedule(reminders=2, first_after_days=3, second_after_days=7)


def describe_schedule(schedule: ReminderSchedule) -> str:
    """A schedule in words, e.g. "2 reminders, after 3 and 7 days" or "Reminders off"."""
    if schedule.reminders <= 0:
        return "Reminders off"
    first = schedule.first_after_days
    if schedule.reminders == 1:
        return f"1 reminder, after {first} day{'s' if first != 1 else ''}"
    return f"{schedule.reminders} reminders, after {first} and {schedule.second_after_days} days"
