"""A company's reminder schedule: read it (the default until set) and change it."""

from __future__ import annotations

from backend.activity.service import record_activity
from backend.auth import Principal
from backend.clock import utcnow
from backend.db import write_transaction
from backend.errors import FieldErrors
from backend.reminders.tables import ReminderSchedule as ScheduleRow
from shared.activity import ActivityKind
from shared.reminders import REMINDER_DAYS_MAX, REMINDERS_MAX, ReminderSchedule, default_schedule, describe_schedule


def schedule_of(row: dict | None) -> ReminderSchedule:
    """A stored schedule row as the wire format (the default when there is none)."""
    if row is None:
        return default_schedule()
    return ReminderSchedule(
        reminders=row["reminders"], first_after_days=row["first_after_days"], second_after_days=row["second_after_days"]
    )


async def get_schedule(principal: Principal) -> ReminderSchedule:
    """The caller's company's reminder schedule."""
    row = await ScheduleRow.select().where(ScheduleRow.company == principal.company_id).first()
    return schedule_of(row)


def _check(data: ReminderSchedule) -> None:
    errors = FieldErrors()
    if data.reminders > REMINDERS_MAX:
        errors.add("reminders", f"At most {REMINDERS_MAX} reminders.", "out_of_range")
    for field in ("first_after_days", "second_after_days"):
        days = getattr(data, field)
        if not 1 <= days <= REMINDER_DAYS_MAX:
            errors.add(field, f"Enter a number of days from 1 to {REMINDER_DAYS_MAX}.", "out_of_range")
    if data.reminders == REMINDERS_MAX and not errors.errors and data.second_after_days <= data.first_after_days:
        errors.add("second_after_days", "The second reminder must come after the first.", "not_after_first")
    errors.raise_if_any()


async def set_schedule(principal: Principal, data: ReminderSchedule) -> ReminderSchedule:
    """Change the caller's company's reminder schedule; it applies to invitations already out, too.

    A change that makes a difference is a line of the activity log, with the schedule it replaced.
    """
    _check(data)
    async with write_transaction():
        old = describe_schedule(await get_schedule(principal))
        new = describe_schedule(data)
        await ScheduleRow.raw(
            "INSERT INTO reminder_schedule (company, reminders, first_after_days, second_after_days, updated_at) "
            "VALUES ({}, {}, {}, {}, {}) ON CONFLICT (company) DO UPDATE SET reminders = excluded.reminders, "
            "first_after_days = excluded.first_after_days, second_after_days = excluded.second_after_days, "
            "updated_at = excluded.updated_at",
            principal.company_id,
            data.reminders,
            data.first_after_days,
            data.second_after_days,
            utcnow(),
        )
        if new != old:
            await record_activity(principal, ActivityKind.REMINDER_SCHEDULE_CHANGED, new, f"Was {old}")
    return await get_schedule(principal)
