"""What a company user asks the BFF: account, contacts, invitations, jobs, links and CSV imports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from shared.accounts import LoginCreate, Me, SessionPublic, SignupCreate
from shared.activity import ActivityPage, ActivityPerson
from shared.contacts import (
    ContactCreate,
    ContactIds,
    ContactPage,
    ContactPublic,
    ContactUpdate,
    EmailCorrection,
    EmailFailureCount,
    PoolStamp,
    StatusCount,
    TagCount,
)
from shared.imports import (
    EmailPreview,
    ImportMessage,
    ImportPublic,
    ImportRowPage,
    ImportSelection,
    RowVerdict,
)
from shared.invitations import (
    ContactEvent,
    InvitationResult,
    InvitationSend,
    InviteCreate,
    WorkerSessionPublic,
)
from shared.jobs import JobOfferCreate, JobOfferList, JobOfferPublic
from shared.links import ApplicantCounts, LinkCreate, LinkPublic
from shared.passwords import (
    PasswordChange,
    PasswordResetComplete,
    PasswordResetRequest,
    ResetRequested,
)
from shared.reminders import ReminderSchedule
from shared.uploads import UploadPublic

from .client import (
    UPLOAD_TIMEOUT,
    ApiClient,
    Download,
    FileUpload,
    attachment_name,
    auth_prefix,
)


class CompanyApi(ApiClient):
    """Calls made for a logged-in company user (and the password pages)."""

    async def signup(self, data: SignupCreate) -> SessionPublic:
        """Create a company account and its first user; returns a new session."""
        return await self._call("POST", "/api/auth/signup", body=data, response_type=SessionPublic, public=True)

    async def login(self, data: LoginCreate) -> SessionPublic:
        """Log a company user in; returns a new session."""
        return await self._call("POST", "/api/auth/login", body=data, response_type=SessionPublic, public=True)

    async def logout(self) -> None:
        """Revoke the current session token."""
        await self._call("POST", "/api/auth/logout")

    async def me(self) -> Me:
        """The signed-in user and their company."""
        return await self._call("GET", "/api/auth/me", response_type=Me)

    async def request_password_reset(self, email: str, *, worker: bool = False) -> ResetRequested:
        """Ask for a reset link by email; the answer is the same whether or not the email has an account."""
        path = f"{auth_prefix(worker)}/password-reset"
        return await self._call(
            "POST", path, body=PasswordResetRequest(email=email), response_type=ResetRequested, public=True
        )

    async def complete_password_reset(self, data: PasswordResetComplete, *, worker: bool = False) -> Any:
        """Set a new password with the emailed link; returns a new session (a worker session if `worker`)."""
        session_type = WorkerSessionPublic if worker else SessionPublic
        path = f"{auth_prefix(worker)}/password-reset/complete"
        return await self._call("POST", path, body=data, response_type=session_type, public=True)

    async def change_password(self, data: PasswordChange, *, worker: bool = False) -> None:
        """Change the signed-in person's password; their other sessions end."""
        await self._call("POST", f"{auth_prefix(worker)}/password", body=data)

    async def list_contacts(
        self,
        *,
        q: str = "",
        statuses: Sequence[str] = (),
        tags: Sequence[str] = (),
        sort: str = "",
        page: int = 1,
        page_size: int = 25,
        worked_before: bool = False,
        email_failed: bool = False,
    ) -> ContactPage:
        """One page of the company's contacts, filtered and sorted by the BFF.

        `worked_before` keeps only contacts hired before (an accepted job offer);
        `email_failed` only contacts with an email that could not be delivered.
        """
        params: list[tuple[str, str | int]] = []
        if q:
            params.append(("q", q))
        params.extend(("status", status) for status in statuses)
        params.extend(("tag", tag) for tag in tags)
        if worked_before:
            params.append(("worked_before", "true"))
        if email_failed:
            params.append(("email_failed", "true"))
        if sort:
            params.append(("sort", sort))
        params.extend((("page", page), ("page_size", page_size)))
        return await self._call("GET", "/api/contacts", params=params, response_type=ContactPage)

    async def create_contact(self, data: ContactCreate) -> ContactPublic:
        """Add a trusted contact to the pool."""
        return await self._call("POST", "/api/contacts", body=data, response_type=ContactPublic)

    async def get_contact(self, contact_id: int) -> ContactPublic:
        """A contact's full profile."""
        return await self._call("GET", f"/api/contacts/{contact_id}", response_type=ContactPublic)

    async def update_contact(self, contact_id: int, data: ContactUpdate) -> ContactPublic:
        """Change some fields of a contact; UNSET fields are left alone."""
        return await self._call("PATCH", f"/api/contacts/{contact_id}", body=data, response_type=ContactPublic)

    async def delete_contact(self, contact_id: int) -> None:
        """Remove a contact from the pool."""
        await self._call("DELETE", f"/api/contacts/{contact_id}")

    async def status_counts(self) -> list[StatusCount]:
        """How many contacts the company has in each status."""
        return await self._call("GET", "/api/contacts/status-counts", response_type=list[StatusCount])

    async def email_failure_count(self) -> EmailFailureCount:
        """How many contacts have an email that could not be delivered."""
        return await self._call("GET", "/api/contacts/email-failures", response_type=EmailFailureCount)

    async def pool_stamp(self) -> PoolStamp:
        """A stamp of the Talent Pool that changes whenever its rows or counts may have changed."""
        return await self._call("GET", "/api/contacts/changes", response_type=PoolStamp)

    async def reminder_schedule(self) -> ReminderSchedule:
        """When the company's unanswered invitations are reminded."""
        return await self._call("GET", "/api/settings/reminders", response_type=ReminderSchedule)

    async def set_reminder_schedule(self, data: ReminderSchedule) -> ReminderSchedule:
        """Change when the company's unanswered invitations are reminded."""
        return await self._call("PUT", "/api/settings/reminders", body=data, response_type=ReminderSchedule)

    async def correct_email(self, contact_id: int, email: str) -> ContactPublic:
        """Correct the address of an undelivered invitation and send it again."""
        return await self._call(
            "POST",
            f"/api/contacts/{contact_id}/correct-email",
            body=EmailCorrection(email=email),
            response_type=ContactPublic,
        )

    async def tags(self, q: str = "", limit: int = 20) -> list[TagCount]:
        """The company's tags matching `q`, most used first."""
        params: list[tuple[str, str | int]] = [("limit", limit)]
        if q:
            params.insert(0, ("q", q))
        return await self._call("GET", "/api/tags", params=params, response_type=list[TagCount])

    async def invite(self, data: InviteCreate) -> ContactPublic:
        """Invite a person by email; the contact comes back invited (whether or not the email has a worker account)."""
        return await self._call("POST", "/api/invitations", body=data, response_type=ContactPublic)

    async def stage_upload(self, file: FileUpload) -> UploadPublic:
        """Send one file ahead of the invitation; `InviteCreate.upload_ids` attaches it (within 24 hours)."""
        return await self._call(
            "POST",
            "/api/uploads",
            params=[("filename", file.filename)],
            content=file.data,
            content_type=file.content_type,
            response_type=UploadPublic,
            timeout=UPLOAD_TIMEOUT,
        )

    async def remove_upload(self, upload_id: int) -> None:
        """Remove a staged file that is no longer wanted."""
        await self._call("DELETE", f"/api/uploads/{upload_id}")

    async def send_invitation(self, contact_id: int, message: str = "", offer: JobOfferCreate | None = None) -> None:
        """Invite a contact added by hand (a personal invitation, or a connection request), optionally with an offer."""
        await self._call(
            "POST", f"/api/contacts/{contact_id}/invitation", body=InvitationSend(message=message, offer=offer)
        )

    async def resend_invitation(self, contact_id: int) -> None:
        """Send a fresh invitation link to one contact; the previous link stops working."""
        await self._call("POST", f"/api/contacts/{contact_id}/invitation/resend")

    async def revoke_invitation(self, contact_id: int) -> None:
        """Withdraw one contact's pending invitation."""
        await self._call("POST", f"/api/contacts/{contact_id}/invitation/revoke")

    async def resend_invitations(self, contact_ids: Sequence[int]) -> InvitationResult:
        """Resend to several contacts; the result says which were skipped and why."""
        return await self._call(
            "POST",
            "/api/invitations/resend",
            body=ContactIds(ids=list(contact_ids)),
            response_type=InvitationResult,
        )

    async def revoke_invitations(self, contact_ids: Sequence[int]) -> InvitationResult:
        """Revoke several contacts' invitations; the result says which were skipped and why."""
        return await self._call(
            "POST",
            "/api/invitations/revoke",
            body=ContactIds(ids=list(contact_ids)),
            response_type=InvitationResult,
        )

    async def contact_history(self, contact_id: int) -> list[ContactEvent]:
        """What happened to a contact, newest first."""
        return await self._call("GET", f"/api/contacts/{contact_id}/history", response_type=list[ContactEvent])

    async def download_contact_file(self, contact_id: int, file_id: int, fallback_name: str = "file") -> Download:
        """The bytes of a file kept on a contact, with the name to save it under."""
        response: httpx.Response = await self._call("GET", f"/api/contacts/{contact_id}/files/{file_id}", raw=True)
        return Download(
            filename=attachment_name(response.headers.get("content-disposition", ""), fallback_name),
            content_type=response.headers.get("content-type", "application/octet-stream"),
            data=response.content,
        )

    async def create_offer(self, contact_id: int, data: JobOfferCreate) -> JobOfferPublic:
        """Offer a job to an active contact (Hire / Re-hire); 409 contact_not_active otherwise."""
        return await self._call("POST", f"/api/contacts/{contact_id}/offers", body=data, response_type=JobOfferPublic)

    async def list_offers(self, contact_id: int) -> JobOfferList:
        """A contact's job offers, newest first: the engagement history."""
        return await self._call("GET", f"/api/contacts/{contact_id}/offers", response_type=JobOfferList)

    async def offer_prefill(self, contact_id: int) -> JobOfferCreate:
        """The Re-hire form filled from the contact's last job (422 no_previous_job when there is none)."""
        return await self._call("GET", f"/api/contacts/{contact_id}/offers/prefill", response_type=JobOfferCreate)

    async def withdraw_offer(self, offer_id: int) -> JobOfferPublic:
        """Take back an offer the person has not answered yet (409 offer_answered once they have)."""
        return await self._call("POST", f"/api/offers/{offer_id}/withdraw", response_type=JobOfferPublic)

    async def list_links(self) -> list[LinkPublic]:
        """Every invitation link of the company, with its URL and counts."""
        return await self._call("GET", "/api/links", response_type=list[LinkPublic])

    async def create_link(self, data: LinkCreate) -> LinkPublic:
        """Create an invitation link."""
        return await self._call("POST", "/api/links", body=data, response_type=LinkPublic)

    async def revoke_link(self, link_id: int) -> LinkPublic:
        """Stop an invitation link."""
        return await self._call("POST", f"/api/links/{link_id}/revoke", response_type=LinkPublic)

    async def rotate_link(self, link_id: int) -> LinkPublic:
        """Give a link a new URL; the old one stops working at once."""
        return await self._call("POST", f"/api/links/{link_id}/rotate", response_type=LinkPublic)

    async def approve_applicants(self, contact_ids: Sequence[int]) -> InvitationResult:
        """Approve applicants; those that cannot be approved yet are skipped with the reason."""
        return await self._call(
            "POST",
            "/api/applicants/approve",
            body=ContactIds(ids=list(contact_ids)),
            response_type=InvitationResult,
        )

    async def applicant_counts(self) -> ApplicantCounts:
        """How many applicants wait for approval, and how many for their email confirmation."""
        return await self._call("GET", "/api/applicants/counts", response_type=ApplicantCounts)

    async def reject_applicants(self, contact_ids: Sequence[int]) -> InvitationResult:
        """Reject applicants."""
        return await self._call(
            "POST",
            "/api/applicants/reject",
            body=ContactIds(ids=list(contact_ids)),
            response_type=InvitationResult,
        )

    async def upload_csv(self, filename: str, data: bytes) -> ImportPublic:
        """Upload a contacts CSV (at most 200 MB); the BFF answers with the preview's summary."""
        return await self._call(
            "POST",
            "/api/imports",
            params=[("filename", filename)],
            content=data,
            content_type="text/csv",
            response_type=ImportPublic,
            timeout=UPLOAD_TIMEOUT,
        )

    async def recent_imports(self) -> list[ImportPublic]:
        """The company's latest uploads, newest first."""
        return await self._call("GET", "/api/imports", response_type=list[ImportPublic])

    async def get_import(self, import_id: int) -> ImportPublic:
        """One upload with its counts and the import's progress."""
        return await self._call("GET", f"/api/imports/{import_id}", response_type=ImportPublic)

    async def import_rows(
        self, import_id: int, *, verdict: RowVerdict | str | None = None, page: int = 1, page_size: int = 50
    ) -> ImportRowPage:
        """A page of an upload's rows with their verdicts, optionally one verdict only."""
        params: list[tuple[str, str | int]] = [("page", page), ("page_size", page_size)]
        if verdict:
            params.append(("verdict", RowVerdict(verdict).value))
        return await self._call("GET", f"/api/imports/{import_id}/rows", params=params, response_type=ImportRowPage)

    async def select_import_rows(self, import_id: int, change: ImportSelection) -> ImportPublic:
        """Change which rows of an upload will be imported."""
        return await self._call("POST", f"/api/imports/{import_id}/selection", body=change, response_type=ImportPublic)

    async def import_email_preview(self, import_id: int, message: str) -> EmailPreview:
        """The invitation email with this message, as a recipient will see it."""
        return await self._call(
            "POST",
            f"/api/imports/{import_id}/email-preview",
            body=ImportMessage(message=message),
            response_type=EmailPreview,
        )

    async def start_import(self, import_id: int, message: str) -> ImportPublic:
        """Import the selected rows in the background with this invitation message."""
        return await self._call(
            "POST",
            f"/api/imports/{import_id}/start",
            body=ImportMessage(message=message),
            response_type=ImportPublic,
        )

    async def not_imported_csv(self, import_id: int) -> Download:
        """A CSV of the rows that did not become contacts, with the reason for each."""
        response: httpx.Response = await self._call("GET", f"/api/imports/{import_id}/not-imported.csv", raw=True)
        return Download(
            filename=attachment_name(response.headers.get("content-disposition", ""), "not-imported.csv"),
            content_type=response.headers.get("content-type", "text/csv"),
            data=response.content,
        )

    async def import_template_csv(self) -> Download:
        """The template CSV to fill in."""
        response: httpx.Response = await self._call("GET", "/api/imports/template.csv", raw=True)
        return Download(
            filename=attachment_name(response.headers.get("content-disposition", ""), "talent-pool-template.csv"),
            content_type=response.headers.get("content-type", "text/csv"),
            data=response.content,
        )

    async def list_activity(
        self, *, actor: int | None = None, kind: str = "", date_from: str = "", date_to: str = "", page: int = 1
    ) -> ActivityPage:
        """A page of the company's activity log, newest first, filtered by person, kind and dates (YYYY-MM-DD)."""
        return await self._call(
            "GET",
            "/api/activity",
            params=[*_activity_params(actor, kind, date_from, date_to), ("page", page)],
            response_type=ActivityPage,
        )

    async def activity_people(self) -> list[ActivityPerson]:
        """The teammates the activity log can be filtered by."""
        return await self._call("GET", "/api/activity/people", response_type=list[ActivityPerson])

    async def activity_csv(
        self, *, actor: int | None = None, kind: str = "", date_from: str = "", date_to: str = ""
    ) -> Download:
        """The filtered activity log as a CSV file."""
        params = _activity_params(actor, kind, date_from, date_to)
        response: httpx.Response = await self._call("GET", "/api/activity.csv", params=params, raw=True)
        return Download(
            filename=attachment_name(response.headers.get("content-disposition", ""), "activity.csv"),
            content_type=response.headers.get("content-type", "text/csv"),
            data=response.content,
        )


def _activity_params(actor: int | None, kind: str, date_from: str, date_to: str) -> list[tuple[str, str | int]]:
    params: list[tuple[str, str | int]] = []
    if actor:
        params.append(("actor", actor))
    for name, value in (("kind", kind), ("date_from", date_from), ("date_to", date_to)):
        if value:
            params.append((name, value))
    return params
