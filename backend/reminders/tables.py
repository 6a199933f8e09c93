"""Each company's reminder schedule (how many reminders each invitation has had is `Invitation.reminders_sent`)."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class ReminderSchedule(Table):
    """A company's reminder schedule; a company without a row has the default one."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, unique=True)
    # How many reminders an unanswered invitation gets (0 = off), and after how many days each goes.
    reminders = Integer(default=2)
    first_after_days = Integer(default=3)
    second_after_days = Integer(default=7)
    updated_at = Timestamptz(default=TimestamptzNow())
