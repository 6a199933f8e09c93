"""A contact's profile page."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from shared.contacts import ContactPublic

from ..api import ApiError
from ..display import date_and_time, relative_date, source_label, status_label
from .session import HOME_ROUTE, SessionState


@dataclasses.dataclass
class ContactProfile:
    """A contact's profile, formatted for display."""

    id: int = 0
    name: str = ""
    email: str = ""
    status: str = ""
    status_label: str = ""
    source_label: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    links: list[str] = dataclasses.field(default_factory=list)
    notes: str = ""
    created: str = ""
    updated: str = ""
    last_activity: str = ""
    last_activity_exact: str = ""
    created_by: str = ""


def contact_profile(contact: ContactPublic) -> ContactProfile:
    """Format a contact for its profile page."""
    return ContactProfile(
        id=contact.id,
        name=contact.name,
        email=contact.email,
        status=contact.status.value,
        status_label=status_label(contact.status.value),
        source_label=source_label(contact.source.value),
        tags=list(contact.tags),
        links=list(contact.links),
        notes=contact.notes,
        created=date_and_time(contact.created_at),
        updated=date_and_time(contact.updated_at),
        last_activity=relative_date(contact.last_activity_at),
        last_activity_exact=date_and_time(contact.last_activity_at),
        created_by=contact.created_by or "",
    )


def contact_id_from_path(path: str) -> int | None:
    """The id in "/contacts/<id>", if it is a positive number."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.isdigit() and 0 < int(last) < 2**63:
        return int(last)
    return None


class ProfileState(SessionState):
    """The contact shown on /contacts/[id], or why it cannot be shown."""

    contact: ContactProfile = ContactProfile()
    loading: bool = True
    not_found: bool = False
    error: str = ""
    confirm_delete_open: bool = False
    deleting: bool = False

    _contact: ContactPublic | None = None
    _contact_token: str = ""

    @rx.var
    def initials(self) -> str:
        """Up to two initials of the contact, for the avatar."""
        parts = [part for part in self.contact.name.split() if part[:1].isalnum()]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @rx.var
    def has_notes(self) -> bool:
        """Whether there are notes to show."""
        return bool(self.contact.notes.strip())

    def _show(self, contact: ContactPublic) -> None:
        self._contact = contact
        self._contact_token = self.token
        self.contact = contact_profile(contact)

    @rx.event
    async def load_contact(self):
        """On load of a profile: fetch the contact named in the URL."""
        if not self.token:
            yield self._login_redirect()
            return
        self.loading = True
        self.not_found = False
        self.error = ""
        self.confirm_delete_open = False
        contact_id = contact_id_from_path(self.router.url.path)
        if contact_id is None:
            self.not_found = True
            self.loading = False
            return
        if self._contact is None or self._contact.id != contact_id or self._contact_token != self.token:
            self._contact = None
            self.contact = ContactProfile()
        yield
        api = self.api()
        try:
            calls = [api.get_contact(contact_id)]
            if self._needs_me():
                calls.append(api.me())
            results = await asyncio.gather(*calls)
            self._show(results[0])
            if len(results) > 1:
                self._remember_me(results[1])
        except ApiError as err:
            if err.is_unauthorized:
                yield self._session_ended()
            elif err.is_not_found:
                self.not_found = True
            else:
                self.error = err.message()
        self.loading = False

    @rx.event
    def set_confirm_delete_open(self, is_open: bool):
        """Show or hide the delete confirmation."""
        self.confirm_delete_open = is_open

    @rx.event
    async def delete_contact(self):
        """Delete this contact and go back to the Talent Pool."""
        if self._contact is None:
            return
        self.deleting = True
        yield
        try:
            await self.api().delete_contact(self._contact.id)
        except ApiError as err:
            self.deleting = False
            if err.is_unauthorized:
                yield self._session_ended()
                return
            if not err.is_not_found:
                self.confirm_delete_open = False
                yield rx.toast.error(err.message())
                return
        name = self._contact.name
        self.deleting = False
        self.confirm_delete_open = False
        self._contact = None
        yield rx.redirect(HOME_ROUTE)
        yield rx.toast.success("Contact deleted", description=name)
