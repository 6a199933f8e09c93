"""The typed async client the web app uses to talk to the Talent Pool BFF."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import msgspec

from shared.accounts import LoginCreate, Me, SessionPublic, SignupCreate
from shared.contacts import (
    ContactCreate,
    ContactIds,
    ContactPage,
    ContactPublic,
    ContactUpdate,
    EmailCorrection,
    EmailFailureCount,
    StatusCount,
    TagCount,
)
from shared.invitations import (
    Connection,
    ConnectionList,
    ContactEvent,
    InvitationAccept,
    InvitationPreview,
    InvitationResult,
    InvitationSend,
    InviteCreate,
    WorkerLogin,
    WorkerPublic,
    WorkerSessionPublic,
)
from shared.imports import EmailPreview, ImportMessage, ImportPublic, ImportRowPage, ImportSelection, RowVerdict
from shared.jobs import JobOfferCreate, JobOfferList, JobOfferPublic, WorkerOffer, WorkerOfferList
from shared.links import ApplicationResult, EmailConfirmed, LinkCreate, LinkPreview, LinkPublic, LinkSignup
from shared.passwords import PasswordChange, PasswordResetComplete, PasswordResetRequest, ResetRequested
from shared.problems import Problem

T = TypeVar("T")

DEFAULT_API_URL = "http://127.0.0.1:8000"
REQUEST_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# A CSV upload of up to 200 MB answers once every row is read and judged: allow it far longer.
UPLOAD_TIMEOUT = httpx.Timeout(180.0, connect=5.0)

UNAVAILABLE = Problem(
    title="The service is unavailable",
    status=503,
    code="unavailable",
    detail="We could not reach the Talent Pool service. Please try again in a moment.",
)


@dataclass(frozen=True)
class FileUpload:
    """A file to send to the BFF: its name, bytes and (optional) content type."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Download:
    """A file fetched from the BFF, with the name it should be saved under."""

    filename: str
    content_type: str
    data: bytes


def _segment(value: str | int) -> str:
    """A value made safe to use as one URL path segment."""
    return quote(str(value), safe="")


def _attachment_name(content_disposition: str, fallback: str) -> str:
    """The filename a Content-Disposition header names (RFC 6266, incl. filename*)."""
    if not content_disposition:
        return fallback
    header = Message()
    header["content-disposition"] = content_disposition
    return header.get_filename() or fallback


def _auth_prefix(worker: bool) -> str:
    return "/api/worker/auth" if worker else "/api/auth"


def api_base_url() -> str:
    """The BFF's base URL, from TP_API_URL."""
    return os.environ.get("TP_API_URL", DEFAULT_API_URL).rstrip("/")


class ApiError(Exception):
    """A failed BFF call, carrying the problem details the BFF (or the client) reported."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.title}")
        self.problem = problem

    @property
    def status(self) -> int:
        """The HTTP status of the problem."""
        return self.problem.status

    @property
    def code(self) -> str:
        """The stable problem code, e.g. "email_taken"."""
        return self.problem.code

    @property
    def is_unauthorized(self) -> bool:
        """Whether the session is missing, expired or revoked."""
        return self.problem.status == 401

    @property
    def is_not_found(self) -> bool:
        """Whether the requested resource does not exist (for this company)."""
        return self.problem.status == 404

    def field_messages(self) -> dict[str, str]:
        """Per-field messages, for showing beside form fields."""
        return self.problem.field_messages()

    def message(self) -> str:
        """One sentence for people: the detail if there is one, else the title."""
        return self.problem.detail or self.problem.title


# One connection pool per event loop: httpx clients must not cross loops.
_http_clients: dict[int, httpx.AsyncClient] = {}


def _http_client() -> httpx.AsyncClient:
    loop_id = id(asyncio.get_running_loop())
    client = _http_clients.get(loop_id)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(
            base_url=api_base_url(),
            timeout=REQUEST_TIMEOUT,
            headers={"Accept": "application/json, application/problem+json"},
        )
        _http_clients[loop_id] = client
    return client


def _problem_from(response: httpx.Response) -> Problem:
    try:
        return msgspec.json.decode(response.content, type=Problem)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return Problem(
            title=response.reason_phrase or "Request failed",
            status=response.status_code,
            code="unauthorized" if response.status_code == 401 else "http_error",
        )


class TalentPoolApi:
    """Calls the BFF's HTTP API with Structs from `shared`; raises `ApiError` on any failure."""

    def __init__(
        self, token: str = "", *, http: httpx.AsyncClient | None = None, visitor_ip: str = ""
    ) -> None:
        self._token = token
        self._http = http
        # The visitor's address, so the BFF's per-visitor limits see people, not the web app.
        self._visitor_ip = visitor_ip

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: msgspec.Struct | None = None,
        params: Sequence[tuple[str, str | int]] | None = None,
        response_type: type[T] | None = None,
        public: bool = False,
        data: dict[str, str] | None = None,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
        raw: bool = False,
        content: bytes | None = None,
        content_type: str = "",
        timeout: httpx.Timeout | None = None,
    ) -> Any:
        headers: dict[str, str] = {}
        if self._visitor_ip:
            headers["X-Forwarded-For"] = self._visitor_ip
        if not public:
            if not self._token:
                raise ApiError(
                    Problem(title="Please log in", status=401, code="unauthorized")
                )
            headers["Authorization"] = f"Bearer {self._token}"
        if content is not None:
            headers["Content-Type"] = content_type or "application/octet-stream"
        if body is not None:
            content = msgspec.json.encode(body)
            headers["Content-Type"] = "application/json"
        http = self._http or _http_client()
        try:
            response = await http.request(
                method,
                path,
                content=content,
                params=params,
                headers=headers,
                data=data,
                files=files,
                timeout=timeout or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            raise ApiError(UNAVAILABLE) from exc
        if response.status_code >= 400:
            raise ApiError(_problem_from(response))
        if raw:
            return response
        if response_type is None:
            return None
        try:
            return msgspec.json.decode(response.content, type=response_type)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise ApiError(
                Problem(
                    title="The service sent an unexpected answer",
                    status=502,
                    code="bad_response",
                    detail=str(exc),
                )
            ) from exc

    # Accounts and sessions

    async def signup(self, data: SignupCreate) -> SessionPublic:
        """Create a company account and its first user; returns a new session."""
        return await self._call(
            "POST", "/api/auth/signup", body=data, response_type=SessionPublic, public=True
        )

    async def login(self, data: LoginCreate) -> SessionPublic:
        """Log a company user in; returns a new session."""
        return await self._call(
            "POST", "/api/auth/login", body=data, response_type=SessionPublic, public=True
        )

    async def logout(self) -> None:
        """Revoke the current session token."""
        await self._call("POST", "/api/auth/logout")

    async def me(self) -> Me:
        """The signed-in user and their company."""
        return await self._call("GET", "/api/auth/me", response_type=Me)

    # Passwords: `worker=True` for worker accounts, else company users

    async def request_password_reset(self, email: str, *, worker: bool = False) -> ResetRequested:
        """Ask for a reset link by email; the answer is the same whether or not the email has an account."""
        path = f"{_auth_prefix(worker)}/password-reset"
        return await self._call("POST", path, body=PasswordResetRequest(email=email), response_type=ResetRequested, public=True)

    async def complete_password_reset(self, data: PasswordResetComplete, *, worker: bool = False) -> Any:
        """Set a new password with the emailed link; returns a new session (a worker session if `worker`)."""
        session_type = WorkerSessionPublic if worker else SessionPublic
        path = f"{_auth_prefix(worker)}/password-reset/complete"
        return await self._call("POST", path, body=data, response_type=session_type, public=True)

    async def change_password(self, data: PasswordChange, *, worker: bool = False) -> None:
        """Change the signed-in person's password; their other sessions end."""
        await self._call("POST", f"{_auth_prefix(worker)}/password", body=data)

    # Contacts

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
        return await self._call(
            "GET", "/api/contacts", params=params, response_type=ContactPage
        )

    async def create_contact(self, data: ContactCreate) -> ContactPublic:
        """Add a trusted contact to the pool."""
        return await self._call(
            "POST", "/api/contacts", body=data, response_type=ContactPublic
        )

    async def get_contact(self, contact_id: int) -> ContactPublic:
        """A contact's full profile."""
        return await self._call(
            "GET", f"/api/contacts/{contact_id}", response_type=ContactPublic
        )

    async def update_contact(self, contact_id: int, data: ContactUpdate) -> ContactPublic:
        """Change some fields of a contact; UNSET fields are left alone."""
        return await self._call(
            "PATCH", f"/api/contacts/{contact_id}", body=data, response_type=ContactPublic
        )

    async def delete_contact(self, contact_id: int) -> None:
        """Remove a contact from the pool."""
        await self._call("DELETE", f"/api/contacts/{contact_id}")

    async def status_counts(self) -> list[StatusCount]:
        """How many contacts the company has in each status."""
        return await self._call(
            "GET", "/api/contacts/status-counts", response_type=list[StatusCount]
        )

    async def email_failure_count(self) -> EmailFailureCount:
        """How many contacts have an email that could not be delivered."""
        return await self._call(
            "GET", "/api/contacts/email-failures", response_type=EmailFailureCount
        )

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
        return await self._call(
            "GET", "/api/tags", params=params, response_type=list[TagCount]
        )

    # Flow 1: personal invitations (company side)

    async def invite(self, data: InviteCreate) -> ContactPublic:
        """Invite a person by email; the contact comes back invited (whether or not the email has a worker account)."""
        return await self._call(
            "POST", "/api/invitations", body=data, response_type=ContactPublic
        )

    async def invite_with_files(
        self, data: InviteCreate, files: Sequence[FileUpload]
    ) -> ContactPublic:
        """Invite a person by email and keep files (e.g. a CV) on the new contact."""
        return await self._call(
            "POST",
            "/api/invitations/form",
            data={"invite": msgspec.json.encode(data).decode()},
            files=[("files", (file.filename, file.data, file.content_type)) for file in files],
            response_type=ContactPublic,
        )

    async def send_invitation(self, contact_id: int, message: str = "") -> None:
        """Invite a contact added by hand (a personal invitation, or a connection request)."""
        await self._call("POST", f"/api/contacts/{contact_id}/invitation", body=InvitationSend(message=message))

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
        return await self._call(
            "GET", f"/api/contacts/{contact_id}/history", response_type=list[ContactEvent]
        )

    async def download_contact_file(self, contact_id: int, file_id: int, fallback_name: str = "file") -> Download:
        """The bytes of a file kept on a contact, with the name to save it under."""
        response: httpx.Response = await self._call(
            "GET", f"/api/contacts/{contact_id}/files/{file_id}", raw=True
        )
        return Download(
            filename=_attachment_name(response.headers.get("content-disposition", ""), fallback_name),
            content_type=response.headers.get("content-type", "application/octet-stream"),
            data=response.content,
        )

    # Hire and re-hire: job offers (company side)

    async def create_offer(self, contact_id: int, data: JobOfferCreate) -> JobOfferPublic:
        """Offer a job to an active contact (Hire / Re-hire); 409 contact_not_active otherwise."""
        return await self._call(
            "POST", f"/api/contacts/{contact_id}/offers", body=data, response_type=JobOfferPublic
        )

    async def list_offers(self, contact_id: int) -> JobOfferList:
        """A contact's job offers, newest first: the engagement history."""
        return await self._call(
            "GET", f"/api/contacts/{contact_id}/offers", response_type=JobOfferList
        )

    async def offer_prefill(self, contact_id: int) -> JobOfferCreate:
        """The Re-hire form filled from the contact's last job (422 no_previous_job when there is none)."""
        return await self._call(
            "GET", f"/api/contacts/{contact_id}/offers/prefill", response_type=JobOfferCreate
        )

    async def withdraw_offer(self, offer_id: int) -> JobOfferPublic:
        """Take back an offer the person has not answered yet (409 offer_answered once they have)."""
        return await self._call(
            "POST", f"/api/offers/{offer_id}/withdraw", response_type=JobOfferPublic
        )

    # Flow 1: the invitee's public page

    async def invitation_preview(self, token: str) -> InvitationPreview:
        """What the public invitation page shows (404 / 410 problems say why a link cannot be used)."""
        return await self._call(
            "GET",
            f"/api/public/invitations/{_segment(token)}",
            response_type=InvitationPreview,
            public=True,
        )

    async def accept_invitation(self, token: str, data: InvitationAccept) -> WorkerSessionPublic:
        """Create the worker account for the invited email; returns a worker session."""
        return await self._call(
            "POST",
            f"/api/public/invitations/{_segment(token)}/accept",
            body=data,
            response_type=WorkerSessionPublic,
            public=True,
        )

    # Worker portal (this client's token is then a worker session token)

    async def worker_login(self, data: WorkerLogin) -> WorkerSessionPublic:
        """Log a worker in; returns a new worker session."""
        return await self._call(
            "POST", "/api/worker/auth/login", body=data, response_type=WorkerSessionPublic, public=True
        )

    async def worker_logout(self) -> None:
        """Revoke the current worker session token."""
        await self._call("POST", "/api/worker/auth/logout")

    async def worker_me(self) -> WorkerPublic:
        """The signed-in worker."""
        return await self._call("GET", "/api/worker/auth/me", response_type=WorkerPublic)

    async def resend_confirmation(self) -> None:
        """Send the signed-in worker's email confirmation again (throttled by the BFF)."""
        await self._call("POST", "/api/worker/confirmation/resend")

    async def worker_connections(self) -> ConnectionList:
        """Companies asking the worker to connect, and companies the worker is connected to."""
        return await self._call("GET", "/api/worker/connections", response_type=ConnectionList)

    async def accept_connection(self, contact_id: int) -> Connection:
        """Accept a company's connection request."""
        return await self._call(
            "POST", f"/api/worker/connections/{contact_id}/accept", response_type=Connection
        )

    async def decline_connection(self, contact_id: int) -> Connection:
        """Decline a company's connection request."""
        return await self._call(
            "POST", f"/api/worker/connections/{contact_id}/decline", response_type=Connection
        )

    async def worker_offers(self) -> WorkerOfferList:
        """The worker's job offers from every company: open ones first."""
        return await self._call("GET", "/api/worker/offers", response_type=WorkerOfferList)

    async def accept_offer(self, offer_id: int) -> WorkerOffer:
        """Take the job (409 offer_withdrawn / offer_answered when it can no longer be answered)."""
        return await self._call(
            "POST", f"/api/worker/offers/{offer_id}/accept", response_type=WorkerOffer
        )

    async def decline_offer(self, offer_id: int) -> WorkerOffer:
        """Turn the job down (409 offer_withdrawn / offer_answered when it can no longer be answered)."""
        return await self._call(
            "POST", f"/api/worker/offers/{offer_id}/decline", response_type=WorkerOffer
        )

    # Flow 2: invitation links (company side)

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

    async def reject_applicants(self, contact_ids: Sequence[int]) -> InvitationResult:
        """Reject applicants."""
        return await self._call(
            "POST",
            "/api/applicants/reject",
            body=ContactIds(ids=list(contact_ids)),
            response_type=InvitationResult,
        )

    # Flow 2: the public link and confirmation pages

    async def link_preview(self, token: str) -> LinkPreview:
        """The company behind a link (404 link_unavailable when it cannot be used)."""
        return await self._call(
            "GET", f"/api/public/links/{_segment(token)}", response_type=LinkPreview, public=True
        )

    async def link_signup(self, token: str, data: LinkSignup) -> ApplicationResult:
        """Create a worker account through a link and apply at once."""
        return await self._call(
            "POST",
            f"/api/public/links/{_segment(token)}/signup",
            body=data,
            response_type=ApplicationResult,
            public=True,
        )

    async def link_apply(self, token: str) -> ApplicationResult:
        """Apply through a link with the signed-in worker account (this client's token)."""
        return await self._call(
            "POST", f"/api/public/links/{_segment(token)}/apply", response_type=ApplicationResult
        )

    async def confirm_email(self, token: str) -> EmailConfirmed:
        """Confirm a worker's email address from the confirmation email's link."""
        return await self._call(
            "POST",
            f"/api/public/confirm-email/{_segment(token)}",
            response_type=EmailConfirmed,
            public=True,
        )

    # Flow 3: bulk upload from CSV

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
        return await self._call(
            "GET", f"/api/imports/{import_id}/rows", params=params, response_type=ImportRowPage
        )

    async def select_import_rows(self, import_id: int, change: ImportSelection) -> ImportPublic:
        """Change which rows of an upload will be imported."""
        return await self._call(
            "POST", f"/api/imports/{import_id}/selection", body=change, response_type=ImportPublic
        )

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
        response: httpx.Response = await self._call(
            "GET", f"/api/imports/{import_id}/not-imported.csv", raw=True
        )
        return Download(
            filename=_attachment_name(response.headers.get("content-disposition", ""), "not-imported.csv"),
            content_type=response.headers.get("content-type", "text/csv"),
            data=response.content,
        )

    async def import_template_csv(self) -> Download:
        """The template CSV to fill in."""
        response: httpx.Response = await self._call("GET", "/api/imports/template.csv", raw=True)
        return Download(
            filename=_attachment_name(response.headers.get("content-disposition", ""), "talent-pool-template.csv"),
            content_type=response.headers.get("content-type", "text/csv"),
            data=response.content,
        )
