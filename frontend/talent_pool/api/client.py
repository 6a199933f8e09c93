"""The BFF client's plumbing: errors as problems, uploads and downloads, one HTTP call."""

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


def segment(value: str | int) -> str:
    """A value made safe to use as one URL path segment."""
    return quote(str(value), safe="")


def attachment_name(content_disposition: str, fallback: str) -> str:
    """The filename a Content-Disposition header names (RFC 6266, incl. filename*)."""
    if not content_disposition:
        return fallback
    header = Message()
    header["content-disposition"] = content_disposition
    return header.get_filename() or fallback


def auth_prefix(worker: bool) -> str:
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


def use_http_client(client: httpx.AsyncClient | None) -> None:
    """Send the BFF calls made on this event loop through `client` (e.g. one wired to the BFF app in-process).

    None goes back to the connection pool for TP_API_URL. The caller keeps the client open and closes it.
    """
    loop_id = id(asyncio.get_running_loop())
    if client is None:
        _http_clients.pop(loop_id, None)
    else:
        _http_clients[loop_id] = client


def _problem_from(response: httpx.Response) -> Problem:
    try:
        return msgspec.json.decode(response.content, type=Problem)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return Problem(
            title=response.reason_phrase or "Request failed",
            status=response.status_code,
            code="unauthorized" if response.status_code == 401 else "http_error",
        )


class ApiClient:
    """One HTTP call to the BFF with Structs from `shared`; raises `ApiError` on any failure."""

    def __init__(self, token: str = "", *, http: httpx.AsyncClient | None = None, visitor_ip: str = "") -> None:
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
                raise ApiError(Problem(title="Please log in", status=401, code="unauthorized"))
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
