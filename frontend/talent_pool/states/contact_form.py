"""The add and edit contact forms: their fields, tag chips and BFF field errors."""

from __future__ import annotations

import re
from typing import ClassVar

import reflex as rx

from shared.contacts import ContactCreate, ContactPublic, ContactUpdate

from ..api import ApiError
from .pool import PoolState
from .profile import ProfileState
from .session import SessionState, field_errors

FORM_FIELDS = ("name", "email", "tags", "links", "notes")
TAG_SEPARATORS = re.compile(r"[,;]")


def links_from_text(text: str) -> list[str]:
    """One link per line; blank lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ContactFormMixin(rx.State, mixin=True):
    """Fields and field errors of a contact form; the add and edit dialogs each use one."""

    TAG_INPUT_ID: ClassVar[str] = "contact-tags"

    dialog_open: bool = False
    name: str = ""
    email: str = ""
    tags: list[str] = []
    tag_draft: str = ""
    links_text: str = ""
    notes: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False

    def _fill(self, contact: ContactPublic | None = None) -> None:
        self.name = contact.name if contact else ""
        self.email = contact.email if contact else ""
        self.tags = list(contact.tags) if contact else []
        self.tag_draft = ""
        self.links_text = "\n".join(contact.links) if contact else ""
        self.notes = contact.notes if contact else ""
        self.errors = {}
        self.form_error = ""
        self.saving = False

    def _show_problem(self, err: ApiError) -> None:
        errors = field_errors(err)
        self.errors = {field: message for field, message in errors.items() if field in FORM_FIELDS}
        if not self.errors:
            self.form_error = err.message()
        elif len(self.errors) < len(errors):
            self.form_error = err.message()

    def _add_tags(self, *names: str) -> None:
        known = {tag.casefold() for tag in self.tags}
        added = list(self.tags)
        for name in names:
            name = " ".join(name.split())
            if name and name.casefold() not in known:
                known.add(name.casefold())
                added.append(name)
        self.tags = added

    def _tags_with_draft(self) -> list[str]:
        """The chips plus whatever is still typed in the tag box."""
        self._add_tags(*TAG_SEPARATORS.split(self.tag_draft))
        self.tag_draft = ""
        return list(self.tags)

    @rx.event
    def set_dialog_open(self, is_open: bool):
        """Open or close the dialog (Escape and the overlay close it too)."""
        self.dialog_open = is_open
        if not is_open:
            self.saving = False

    def _clear_error(self, field: str) -> None:
        """A field that is being corrected stops showing its old message."""
        if field in self.errors:
            self.errors = {key: value for key, value in self.errors.items() if key != field}

    @rx.event
    def set_name(self, value: str):
        """Keep the typed name."""
        self.name = value
        self._clear_error("name")

    @rx.event
    def set_email(self, value: str):
        """Keep the typed email."""
        self.email = value
        self._clear_error("email")

    @rx.event
    def set_links_text(self, value: str):
        """Keep the typed links."""
        self.links_text = value
        self._clear_error("links")

    @rx.event
    def set_notes(self, value: str):
        """Keep the typed notes."""
        self.notes = value
        self._clear_error("notes")

    @rx.event
    def set_tag_draft(self, value: str):
        """Keep what is typed in the tag box (sent with the form if it is not a chip yet)."""
        self.tag_draft = value

    @rx.event
    def commit_tags(self, text: str):
        """Enter, a comma or a paste in the tag box: the text becomes chips (split on commas and semicolons)."""
        self._add_tags(*TAG_SEPARATORS.split(text))

    @rx.event
    def remove_last_tag(self):
        """Backspace in an empty tag box removes the last chip."""
        self.tags = self.tags[:-1]

    @rx.event
    def remove_tag(self, name: str):
        """Remove a tag chip."""
        self.tags = [tag for tag in self.tags if tag != name]


class AddContactState(ContactFormMixin, SessionState):
    """The "Add contact" dialog on the Talent Pool page."""

    TAG_INPUT_ID: ClassVar[str] = "add-contact-tags"

    @rx.event
    def open_dialog(self):
        """Open an empty form."""
        self._fill()
        self.dialog_open = True

    @rx.event
    async def save(self, form_data: dict | None = None):
        """Add the contact; show field errors or close, toast and refresh the table."""
        self.errors = {}
        self.form_error = ""
        self.saving = True
        yield
        data = ContactCreate(
            name=self.name.strip(),
            email=self.email.strip(),
            tags=self._tags_with_draft(),
            links=links_from_text(self.links_text),
            notes=self.notes,
        )
        try:
            contact = await self.api().create_contact(data)
        except ApiError as err:
            self.saving = False
            self._show_problem(err)
            yield self._failed(err, inline=True)
            return
        self.saving = False
        self.dialog_open = False
        self._fill()
        yield rx.toast.success("Contact added", description=contact.name)
        yield PoolState.reload


class EditContactState(ContactFormMixin, SessionState):
    """The "Edit" dialog on a contact's profile."""

    TAG_INPUT_ID: ClassVar[str] = "edit-contact-tags"

    contact_id: int = 0
    _original: ContactPublic | None = None

    @rx.event
    async def open_dialog(self):
        """Open the form filled with the contact as the profile shows it."""
        profile = await self.get_state(ProfileState)
        contact = profile._contact
        if contact is None:
            return
        self._original = contact
        self.contact_id = contact.id
        self._fill(contact)
        self.dialog_open = True

    def _changes(self) -> ContactUpdate:
        """Only what was changed, so the BFF leaves everything else alone."""
        original = self._original
        update = ContactUpdate()
        name, email = self.name.strip(), self.email.strip()
        tags, links = self._tags_with_draft(), links_from_text(self.links_text)
        if original is None or name != original.name:
            update.name = name
        if original is None or email != original.email:
            update.email = email
        if original is None or tags != original.tags:
            update.tags = tags
        if original is None or links != original.links:
            update.links = links
        if original is None or self.notes != original.notes:
            update.notes = self.notes
        return update

    @rx.event
    async def save(self, form_data: dict | None = None):
        """Save the changes; show field errors or close, toast and show the new profile."""
        self.errors = {}
        self.form_error = ""
        self.saving = True
        yield
        try:
            contact = await self.api().update_contact(self.contact_id, self._changes())
        except ApiError as err:
            self.saving = False
            self._show_problem(err)
            yield self._failed(err, inline=True)
            return
        self.saving = False
        self.dialog_open = False
        self._original = contact
        profile = await self.get_state(ProfileState)
        profile._show(contact)
        yield rx.toast.success("Changes saved")
