"""The Invite form: who to invite, the message they get, and what the team keeps (tags, links, files)."""

from __future__ import annotations

import dataclasses
import mimetypes
from typing import Any, ClassVar

import reflex as rx

from shared.invitations import InviteCreate
from shared.limits import MAX_FILE_MB, MAX_FILES, MESSAGE_MAX

from ..api import ApiError, FileUpload
from ..display import file_size_text
from .contact_form import ContactFormMixin, field_errors, links_from_text
from .offer_form import OfferFormMixin, OfferPreferencesState, offer_field_messages
from .pool import PoolState
from .session import SessionState

INVITE_FIELDS = ("name", "email", "tags", "links", "message", "files")
UPLOAD_ID = "invite-files"
# Extensions the BFF accepts, as react-dropzone's `accept` wants them (MIME type → extensions).
ACCEPTED_FILES: dict[str, list[str]] = {
    "application/pdf": [".pdf"],
    "application/msword": [".doc"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.oasis.opendocument.text": [".odt"],
    "image/png": [".png"],
    "image/jpeg": [".jpg", ".jpeg"],
    "text/plain": [".txt"],
    "text/markdown": [".md"],
}
ACCEPTED_TYPES_TEXT = "PDF, Word, OpenDocument, PNG, JPG, TXT or Markdown"

# The invitation's job offer comes back in field errors named "offer.<field>".
OFFER_PREFIX = "offer"
OFFER_TITLE_ID = "invite-offer-title"
# Step 2 of the dialog: the job offer's first field gets the focus, the dialog scrolls to its top,
# unless the person already went on into the step (a fast typist, or a test): their focus stays.
SHOW_OFFER_STEP = f"""
setTimeout(() => {{
  const title = document.getElementById('{OFFER_TITLE_ID}');
  if (!title) return;
  const step = title.closest('[role="group"]');
  if (step && step.contains(document.activeElement)) return;
  title.closest('[role="dialog"]')?.scrollTo({{top: 0}});
  title.focus();
}}, 60);
"""

# After a failed send: bring the first message (a field's or the form's) into view and focus its field.
SHOW_FIRST_PROBLEM = """
setTimeout(() => {
  const first = document.querySelector(
    '[role="dialog"] [aria-invalid="true"], [role="dialog"] .rt-CalloutRoot[role="alert"]');
  if (!first) return;
  const visible = first.offsetParent !== null;
  (visible ? first : first.closest('.drop-zone') ?? first).scrollIntoView({block: 'center', behavior: 'smooth'});
  if (visible && first.matches('input, textarea')) first.focus({preventScroll: true});
}, 60);
"""


@dataclasses.dataclass
class ChosenFile:
    """A file chosen on the Invite form, already staged at the BFF under `id`."""

    id: int
    name: str
    size: int
    size_text: str


def default_message(company_name: str) -> str:
    """The friendly invitation text the form starts with."""
    company = company_name.strip() or "our company"
    return (
        "Hi,\n\n"
        f"We loved working with you and would like to keep in touch. We are inviting you to "
        f"{company}'s Talent Pool, the group of freelancers we trust and turn to first when "
        "a new project comes up.\n\n"
        f"Best wishes,\nThe {company} team"
    )


def rejected_file_messages(rejected: list[dict[str, Any]]) -> str:
    """One sentence per file the browser refused, in the BFF's words."""
    messages: list[str] = []
    for item in rejected:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "file")
        codes = {str(code) for code in item.get("codes") or []}
        if "file-too-large" in codes:
            messages.append(f"“{name}” is larger than {MAX_FILE_MB} MB.")
        elif "file-invalid-type" in codes:
            messages.append(f"“{name}” is not an accepted type. Use {ACCEPTED_TYPES_TEXT}.")
        elif "too-many-files" in codes:
            messages.append(f"Attach at most {MAX_FILES} files.")
        else:
            messages.append(f"“{name}” cannot be attached.")
    return " ".join(dict.fromkeys(messages))


class InviteState(OfferFormMixin, ContactFormMixin, SessionState):
    """The "Invite a trusted contact" dialog on the Talent Pool page, with its optional job offer step."""

    TAG_INPUT_ID: ClassVar[str] = "invite-tags"

    message: str = ""
    # "Invite and offer job": the dialog's second step, the job offer sent with the invitation.
    offer_step: bool = False
    # The files chosen so far, each already staged at the BFF.
    chosen_files: list[ChosenFile] = []
    staging: bool = False

    @rx.var
    def message_count_text(self) -> str:
        """E.g. "312 / 5,000"."""
        return f"{len(self.message):,} / {MESSAGE_MAX:,}"

    @rx.var
    def message_too_long(self) -> bool:
        """Whether the message is over the limit."""
        return len(self.message) > MESSAGE_MAX

    @rx.var
    def invitee_text(self) -> str:
        """Who the job offer goes to, on its step: "Nora Example · nora@example.com"."""
        return " · ".join(part for part in (self.name.strip(), self.email.strip()) if part)

    def _show_problem(self, err: ApiError, with_offer: bool = False) -> None:
        errors = field_errors(err)
        if "upload_ids" in errors:  # the staged files are the Files field
            errors["files"] = " ".join(filter(None, (errors.get("files"), errors.pop("upload_ids"))))
        self.errors = {field: message for field, message in errors.items() if field in INVITE_FIELDS}
        placed = len(self.errors)
        if with_offer:
            self.offer_errors = offer_field_messages(err.problem, OFFER_PREFIX)
            if self.offer_errors:
                placed += 1  # every "offer.*" error is grouped under "offer" by field_errors
        if placed == 0 or placed < len(errors):
            self.form_error = err.message()
        if self.errors:
            self.offer_step = False  # the invitation's own fields are on the first step

    @rx.event
    async def open_dialog(self):
        """Open an empty form with the default message, no files chosen, and no job offer."""
        preferences = await self.get_state(OfferPreferencesState)
        await self._drop_chosen_files()
        self.staging = False
        self._fill()
        self._fill_offer(currency=preferences.last_currency)
        self.offer_step = False
        self.message = default_message(self.company_name)
        self.dialog_open = True

    async def _drop_chosen_files(self) -> None:
        """Files chosen in a dialog that was closed unsent are removed at the BFF (else they expire in a day)."""
        chosen, self.chosen_files = self.chosen_files, []
        if not chosen or not self.token:
            return
        api = self.api()
        for file in chosen:
            try:
                await api.remove_upload(file.id)
            except ApiError:
                pass  # already gone or the session ended: the sweep removes it

    @rx.event
    def show_offer_step(self):
        """ "Invite and offer job" on the first step: go on to the job offer (name and email first)."""
        missing: dict[str, str] = {}
        if not self.name.strip():
            missing["name"] = "Name is required."
        if not self.email.strip():
            missing["email"] = "Email is required."
        if missing:
            self.errors = {**self.errors, **missing}
            return rx.call_script(SHOW_FIRST_PROBLEM)
        self.form_error = ""
        self.offer_step = True
        return rx.call_script(SHOW_OFFER_STEP)

    @rx.event
    def back_to_invitation(self):
        """Back to the invitation's fields; the job offer typed so far is kept."""
        self.offer_step = False
        self.form_error = ""

    @rx.event
    def set_message(self, value: str):
        """Keep the typed message."""
        self.message = value
        self._clear_error("message")

    @rx.event
    def files_rejected(self, rejected: list[dict[str, Any]]):
        """The browser refused some dropped files (type or size): say which, beside Files."""
        message = rejected_file_messages(rejected)
        if message:
            self.errors = {**self.errors, "files": message}

    @rx.event
    def clear_files_error(self):
        """A new pick or drop clears the previous files message (it comes before the files and any refusal)."""
        self._clear_error("files")

    @rx.event
    async def add_files(self, files: list[rx.UploadFile]):
        """Each pick or drop adds to the chosen files (same name and size: once), staged at the BFF at once."""
        self.staging = True
        yield
        try:
            for upload in files:
                problem = await self._stage(upload)
                if problem:
                    self.errors = {**self.errors, "files": problem}
                    break
        except ApiError as err:
            if err.is_unauthorized:
                yield self._session_ended()
                return
            self.errors = {**self.errors, "files": field_errors(err).get("file") or err.message()}
        finally:
            self.staging = False

    async def _stage(self, upload: rx.UploadFile) -> str:
        """Stage one file unless it is chosen already; a message when it cannot be added."""
        name = upload.name or upload.filename or "file"
        data = await upload.read()
        if any(file.name == name and file.size == len(data) for file in self.chosen_files):
            return ""
        if len(self.chosen_files) >= MAX_FILES:
            return f"Attach at most {MAX_FILES} files."
        content_type = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        staged = await self.api().stage_upload(FileUpload(filename=name, data=data, content_type=content_type))
        chosen = ChosenFile(id=staged.id, name=name, size=len(data), size_text=file_size_text(staged.size))
        self.chosen_files = [*self.chosen_files, chosen]
        return ""

    @rx.event
    async def remove_file(self, upload_id: int):
        """ "Remove <name>": the file leaves the list and the BFF."""
        self.chosen_files = [file for file in self.chosen_files if file.id != upload_id]
        self._clear_error("files")
        try:
            await self.api().remove_upload(upload_id)
        except ApiError as err:
            if err.is_unauthorized:
                return self._session_ended()
        return None

    @rx.event
    async def send(self, form_data: dict | None = None):
        """Send the invitation (with the chosen files); show field errors or close, toast and refresh."""
        self.errors = {}
        self.form_error = ""
        with_offer = self.offer_step
        offer = None
        if with_offer:
            self.offer_errors = {}
            offer = self._offer_from_form()
            if offer is None:
                yield rx.call_script(SHOW_FIRST_PROBLEM)
                return
        self.saving = True
        yield
        data = InviteCreate(
            name=self.name.strip(),
            email=self.email.strip(),
            tags=self._tags_with_draft(),
            links=links_from_text(self.links_text),
            message=self.message,
            offer=offer,
            upload_ids=[file.id for file in self.chosen_files],
        )
        try:
            contact = await self.api().invite(data)
        except ApiError as err:
            self.saving = False
            self._show_problem(err, with_offer=with_offer)
            yield self._failed(err, inline=True) or rx.call_script(SHOW_FIRST_PROBLEM)
            return
        if offer is not None:
            preferences = await self.get_state(OfferPreferencesState)
            preferences.last_currency = offer.currency
        self.saving = False
        self.dialog_open = False
        self.offer_step = False
        self._fill()
        self._fill_offer(currency=offer.currency if offer else "")
        self.message = ""
        self.chosen_files = []
        job = f" They see the job offer “{offer.title}” once they accept." if offer else ""
        if offer is not None:
            yield rx.toast.success(f"Invitation and job offer sent to {contact.email}", description=job.strip())
        else:
            yield rx.toast.success(f"Invitation sent to {contact.email}")
        yield PoolState.reload
