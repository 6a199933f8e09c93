"""The session cookies and the tickets that open them: pure helpers, no state and no I/O.

The BFF's session token never reaches page JavaScript. After a log-in the Reflex state keeps the
token server-side and gives the page a short-lived ticket; the page posts the ticket to the Reflex
app's own `/_session/open`, which answers with an HttpOnly cookie. A ticket is sealed with a key
every Reflex process shares (from TP_SECRET_KEY), so forged ones are refused before any state is
touched, and its hash is kept in the state, which makes it single-use.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

OPEN_PATH = "/_session/open"
CLOSE_PATH = "/_session/close"
TICKET_TTL_SECONDS = 60
# A ticket is "<expiry>.<random>.<seal>"; all three parts are short.
TICKET_MAX_LENGTH = 160
CLIENT_TOKEN_MAX_LENGTH = 100
TOKEN_MAX_LENGTH = 200

_URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")
_CLIENT_TOKEN = re.compile(r"^[A-Za-z0-9-]+$")
# The key the process uses when TP_SECRET_KEY is unset (development: one process).
_PROCESS_KEY = secrets.token_bytes(32)


@dataclasses.dataclass(frozen=True)
class CookieKind:
    """One kind of session (company user or worker) and the cookie that carries it."""

    name: str
    cookie_name: str


COMPANY = CookieKind("company", "tp_session")
WORKER = CookieKind("worker", "tp_worker_session")
KINDS: dict[str, CookieKind] = {kind.name: kind for kind in (COMPANY, WORKER)}


def plausible_token(token: str) -> bool:
    """Whether a value has the shape of a BFF session token (checked before it is used anywhere)."""
    return 0 < len(token) <= TOKEN_MAX_LENGTH and bool(_URL_SAFE.match(token))


def cookie_value(cookie_header: str, name: str) -> str:
    """The value of cookie `name` in a Cookie request header, or "" if absent or not token-shaped."""
    for part in cookie_header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key.strip() == name:
            value = value.strip().strip('"')
            return value if plausible_token(value) else ""
    return ""


def secure_cookies() -> bool:
    """Whether cookies get the Secure flag: in production (TP_ENV=production) they do."""
    return os.environ.get("TP_ENV", "development").strip().lower() == "production"


def session_cookie_header(kind: CookieKind, token: str, expires_at: datetime, *, now: datetime, secure: bool) -> str:
    """A Set-Cookie value carrying the session token until the BFF session expires."""
    if not plausible_token(token):
        raise ValueError("not a session token")
    expires_at = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    max_age = max(0, int((expires_at - now).total_seconds()))
    expires = format_datetime(expires_at.astimezone(UTC), usegmt=True)
    parts = [f"{kind.cookie_name}={token}", "Path=/", f"Max-Age={max_age}", f"Expires={expires}"]
    parts += ["HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def expired_cookie_header(kind: CookieKind, *, secure: bool) -> str:
    """A Set-Cookie value that removes the session cookie from the browser."""
    parts = [f'{kind.cookie_name}=""', "Path=/", "Max-Age=0", "Expires=Thu, 01 Jan 1970 00:00:00 GMT"]
    parts += ["HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def ticket_key() -> bytes:
    """The key tickets are sealed with: derived from TP_SECRET_KEY, shared by every Reflex process."""
    secret = os.environ.get("TP_SECRET_KEY", "")
    if not secret:
        return _PROCESS_KEY
    return hmac.new(secret.encode(), b"talent-pool session ticket", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _seal(key: bytes, kind: CookieKind, client_token: str, expires: int, nonce: str) -> str:
    message = f"{kind.name}|{client_token}|{expires}|{nonce}".encode()
    return _b64(hmac.new(key, message, hashlib.sha256).digest())


def token_hash(token: str) -> str:
    """What a state keeps to recognise a session token it need not hold itself ("" for no token)."""
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def hash_ticket(ticket: str) -> str:
    """The form of a ticket kept in the state (the state never holds the ticket itself)."""
    return hashlib.sha256(ticket.encode()).hexdigest()


def new_ticket(kind: CookieKind, client_token: str, *, now: float, key: bytes) -> tuple[str, str, float]:
    """A fresh ticket for this browser tab and kind of session: (ticket, its hash, expiry as a timestamp)."""
    expires = int(now) + TICKET_TTL_SECONDS
    nonce = _b64(secrets.token_bytes(24))
    ticket = f"{expires}.{nonce}.{_seal(key, kind, client_token, expires, nonce)}"
    return ticket, hash_ticket(ticket), float(expires)


def ticket_is_sealed(ticket: str, kind: CookieKind, client_token: str, *, now: float, key: bytes) -> bool:
    """Whether a ticket was issued by us, for this tab and kind, and has not run out (use is checked apart)."""
    if not ticket or len(ticket) > TICKET_MAX_LENGTH or not valid_client_token(client_token):
        return False
    expires_text, _, rest = ticket.partition(".")
    nonce, _, seal = rest.partition(".")
    if not (expires_text.isascii() and expires_text.isdigit() and len(expires_text) <= 12):
        return False
    if not (nonce and seal and _URL_SAFE.match(nonce) and _URL_SAFE.match(seal)):
        return False
    expires = int(expires_text)
    if expires < now:
        return False
    return hmac.compare_digest(seal, _seal(key, kind, client_token, expires, nonce))


def ticket_matches(ticket: str, stored_hash: str, stored_expires: float, *, now: float) -> bool:
    """Whether a ticket is the one the state is waiting for, and still in time."""
    if not stored_hash or stored_expires < now:
        return False
    return hmac.compare_digest(hash_ticket(ticket), stored_hash)


def valid_client_token(client_token: str) -> bool:
    """Whether a value has the shape of a Reflex client token (a UUID)."""
    return 0 < len(client_token) <= CLIENT_TOKEN_MAX_LENGTH and bool(_CLIENT_TOKEN.match(client_token))


def same_origin(headers: Mapping[str, str], extra_origins: tuple[str, ...] = ()) -> bool:
    """Whether a request comes from a page of this app: its Origin is this host (or a known frontend)."""
    origin = headers.get("origin", "").strip()
    if not origin or origin == "null":
        return False
    if urlsplit(origin).netloc == headers.get("host", "").strip():
        return True
    return origin.rstrip("/") in {extra.rstrip("/") for extra in extra_origins if extra}


def _fetch_script(backend_url: str, path: str, params: dict[str, str]) -> str:
    """JavaScript that posts a form to the Reflex backend and resolves to whether it succeeded.

    The page and the Reflex backend share an origin in prod mode, so the path is used as it is;
    in dev mode the backend has its own port.
    """
    backend = json.dumps(backend_url.rstrip("/"))
    return (
        f"(() => {{ const backend = {backend}; let port = ''; "
        "try { port = new URL(backend).port; } catch (e) {} "
        f"const url = port === window.location.port ? {json.dumps(path)} : backend + {json.dumps(path)}; "
        "return fetch(url, {method: 'POST', credentials: 'include', "
        "headers: {'Content-Type': 'application/x-www-form-urlencoded'}, "
        f"body: new URLSearchParams({json.dumps(params)})}})"
        ".then((response) => response.ok, () => false); })()"
    )


def open_script(kind: CookieKind, client_token: str, ticket: str, backend_url: str) -> str:
    """JavaScript that exchanges a ticket for the session cookie."""
    return _fetch_script(backend_url, OPEN_PATH, {"kind": kind.name, "client": client_token, "ticket": ticket})


def close_script(kind: CookieKind, backend_url: str) -> str:
    """JavaScript that asks the Reflex backend to remove the session cookie."""
    return _fetch_script(backend_url, CLOSE_PATH, {"kind": kind.name})
