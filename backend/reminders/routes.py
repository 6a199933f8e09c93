"""HTTP routes of the company's reminder schedule (the Settings page)."""

from litestar import Controller, get, put
from litestar.params import JSONBody

from backend.auth import REQUIRE_ADMIN
from backend.http import CurrentPrincipal
from backend.reminders import service
from shared.reminders import ReminderSchedule


class ReminderSettingsController(Controller):
    """When unanswered invitations are reminded."""

    path = "/api/settings"
    tags = ["settings"]
    dependencies = REQUIRE_ADMIN

    @get("/reminders")
    async def get_reminders(self, principal: CurrentPrincipal) -> ReminderSchedule:
        """The company's reminder schedule (two reminders, after 3 and 7 days, until it sets one)."""
        return await service.get_schedule(principal)

    @put("/reminders")
    async def set_reminders(self, principal: CurrentPrincipal, data: JSONBody[ReminderSchedule]) -> ReminderSchedule:
        """Change the company's reminder schedule (0 reminders turns them off)."""
        return await service.set_schedule(principal, data)
