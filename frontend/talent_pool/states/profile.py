"""A contact's profile page: the contact with its history, files and job offers, and deleting it.

What can be done from the page has its own substates: `ProfileInvitationState` (invite, resend, revoke,
approve and reject) and `ProfileJobsState` (Hire and the offers).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from shared.contacts import ContactPublic
from shared.invitations import ContactEvent

from ..api import ApiError, TalentPoolApi
from ..session_cookie import token_hash
from .profile_items import (
    ContactProfile,
    FileItem,
    HistoryItem,
    OfferItem,
    contact_profile,
    file_item,
    history_item,
    offer_item,
)
from .session import HOME_ROUTE, SessionState


def contact_id_from_route(value: str) -> int | None:
    """The route's [contact_id], if it is a positive number."""
    if value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


class ProfileState(SessionState):
    """The contact shown on /contacts/[id], or why it cannot be shown."""

    contact: ContactProfile = ContactProfile()
    loading: bool = True
    not_found: bool = False
    error: str = ""
    confirm_delete_open: bool = False
    deleting: bool = False
    history: list[HistoryItem] = []
    files: list[FileItem] = []
    downloading_id: int = 0
    offers: list[OfferItem] = []
    offers_error: str = ""

    _contact: ContactPublic | None = None
    _contact_token_hash: str = ""

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
        self._contact_token_hash = token_hash(self.token)
        self.contact = contact_profile(contact)
        self.files = [file_item(file) for file in contact.files]

    def _show_history(self, events: list[ContactEvent]) -> None:
        self.history = [history_item(event) for event in events]

    async def _fetch_offers(self, api: TalentPoolApi, contact_id: int) -> None:
        """Fetch the Jobs section; a failure shows in the section only (a 401 is raised)."""
        try:
            listing = await api.list_offers(contact_id)
        except ApiError as err:
            if err.is_unauthorized:
                raise
            self.offers_error = err.message()
            return
        self.offers = [offer_item(offer) for offer in listing.items]
        self.offers_error = ""

    def _forget_contact(self) -> None:
        self._contact = None
        self.contact = ContactProfile()
        self.history = []
        self.files = []
        self.offers = []
        self.offers_error = ""

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
        contact_id = contact_id_from_route(self.contact_id)  # the route's [contact_id]
        if contact_id is None:
            self.not_found = True
            self.loading = False
            return
        if (
            self._contact is None
            or self._contact.id != contact_id
            or self._contact_token_hash != token_hash(self.token)
        ):
            self._forget_contact()
        yield
        api = self.api()
        try:
            calls = [api.get_contact(contact_id), api.contact_history(contact_id), self._fetch_offers(api, contact_id)]
            if self._needs_me():
                calls.append(api.me())
            results = await asyncio.gather(*calls)
            self._show(results[0])
            self._show_history(results[1])
            if len(results) > 3:
                self._remember_me(results[3])
        except ApiError as err:
            self.not_found = err.is_not_found
            self.error = "" if err.is_not_found else err.message()
            yield self._failed(err, inline=True)
        self.loading = False

    async def _reload_contact(self) -> None:
        """Fetch the contact, its history and its offers again after a change; raises ApiError."""
        if self._contact is None:
            return
        api = self.api()
        contact, events, _ = await asyncio.gather(
            api.get_contact(self._contact.id),
            api.contact_history(self._contact.id),
            self._fetch_offers(api, self._contact.id),
        )
        self._show(contact)
        self._show_history(events)

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
            if not err.is_not_found:  # already gone: that is what was asked for
                self.confirm_delete_open = False
                yield self._failed(err)
                return
        name = self._contact.name
        self.deleting = False
        self.confirm_delete_open = False
        self._contact = None
        yield rx.redirect(HOME_ROUTE)
        yield rx.toast.success("Contact deleted", description=name)

    @rx.event
    async def download_file(self, file_id: int):
        """Fetch one of the contact's files from the BFF and hand it to the browser."""
        if self._contact is None or self.downloading_id:
            return
        known = next((file for file in self._contact.files if file.id == file_id), None)
        self.downloading_id = file_id
        yield
        try:
            download = await self.api().download_contact_file(
                self._contact.id, file_id, fallback_name=known.filename if known else "file"
            )
        except ApiError as err:
            self.downloading_id = 0
            yield self._failed(err)
            return
        self.downloading_id = 0
        yield rx.download(
            data=download.data,
            filename=download.filename,
            mime_type=download.content_type.split(";")[0].strip() or "application/octet-stream",
        )
