"""The Settings page's company name: Owners rename the company; Admins see who can."""

from __future__ import annotations

import reflex as rx

from ..api import ApiError
from .session import SessionState


class CompanyNameState(SessionState):
    """The company name as typed, and its field error."""

    name_draft: str = ""
    name_error: str = ""
    renaming: bool = False

    @rx.var
    def can_rename(self) -> bool:
        """Only Owners rename the company (the BFF enforces it)."""
        return self.user_role == "owner"

    @rx.event
    async def load(self):
        """On load of /settings (after the session check): the company's current name (a teammate may have
        changed it) and the caller's current role."""
        self.name_error = ""
        if not self.token:
            return
        try:
            self._remember_me(await self.api().me())
        except ApiError as err:
            yield self._failed(err, inline=True)
        self.name_draft = self.company_name

    @rx.event
    def set_name_draft(self, value: str):
        """What is typed in the name field."""
        self.name_draft, self.name_error = value, ""

    @rx.event
    async def rename(self, _form: dict | None = None):
        """Store the new name; the navigation shows it at once."""
        if not self.name_draft.strip():
            self.name_error = "Enter your company's name."
            return
        self.renaming = True
        yield
        try:
            company = await self.api().rename_company(self.name_draft)
        except ApiError as err:
            self.renaming = False
            if (ended := self._failed(err, inline=True)) is not None:
                yield ended
                return
            self.name_error = err.field_messages().get("name") or err.message()
            return
        self.renaming = False
        self.company_name = self.name_draft = company.name
        yield rx.toast.success(f"Your company is now called {company.name}.")
