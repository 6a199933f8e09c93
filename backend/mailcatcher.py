"""A local mail catcher: a real SMTP server that keeps every email as an .eml file, and a web page to read them.

    python -m backend.mailcatcher --smtp-port 1025 --http-port 8025 --store var/mail

People read the caught emails at http://localhost:8025 (links inside are clickable);
tests use the JSON API: GET /api/messages, GET /api/messages/{id}, DELETE /api/messages.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import re
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import msgspec
import uvicorn
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from litestar import Litestar, Response, delete, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

DEFAULT_STORE = Path(__file__).resolve().parent.parent / "var" / "mail"
DATA_SIZE_LIMIT = 25 * 1024 * 1024
_ID = re.compile(r"^[0-9A-Za-z_-]{1,100}$")
# Links in a caught email open in a new, unsandboxed tab, so the linked app works normally.
IFRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"


class MessageSummary(msgspec.Struct, kw_only=True):
    """One caught email in the list."""

    id: str
    to: str
    subject: str
    received_at: datetime
    from_: str = msgspec.field(name="from", default="")


class MessageDetail(msgspec.Struct, kw_only=True):
    """One caught email, decoded."""

    id: str
    to: str
    from_: str = msgspec.field(name="from")
    subject: str
    received_at: datetime
    message_id: str
    date: str
    text: str
    html: str
    links: list[str]
    recipients: list[str]


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        for name, value in attrs:
            href = (value or "").strip()
            if name == "href" and href.lower().startswith(("http://", "https://")) and href not in self.links:
                self.links.append(href)


def extract_links(html: str) -> list[str]:
    """Every distinct http(s) href of the HTML's links, in order."""
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return parser.links


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    if body is None or body.get_content_subtype() != subtype:
        return ""
    try:
        return body.get_content()
    except (LookupError, ValueError):
        payload = body.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


class MailStore:
    """Caught emails as .eml files in one folder; the file name is the id and sorts by arrival."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._summaries: dict[str, MessageSummary] = {}

    def save(self, data: bytes, mail_from: str = "", recipients: Sequence[str] = ()) -> str:
        """Write one email (with its envelope as Return-Path / Delivered-To headers); return its id."""
        now = datetime.now(UTC)
        message_id = f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}"
        trace = f"Return-Path: <{mail_from}>\r\n".encode()
        trace += b"".join(f"Delivered-To: {recipient}\r\n".encode() for recipient in recipients)
        temporary = self.folder / f".{message_id}.tmp"
        temporary.write_bytes(trace + data)
        os.replace(temporary, self.folder / f"{message_id}.eml")
        return message_id

    def _path(self, message_id: str) -> Path:
        if not _ID.match(message_id):
            raise KeyError(message_id)
        path = self.folder / f"{message_id}.eml"
        if not path.is_file():
            raise KeyError(message_id)
        return path

    def ids(self) -> list[str]:
        """Ids of the stored emails, newest first."""
        return sorted((path.stem for path in self.folder.glob("*.eml") if _ID.match(path.stem)), reverse=True)

    def _parse(self, message_id: str) -> EmailMessage:
        with self._path(message_id).open("rb") as handle:
            return BytesParser(policy=policy.default).parse(handle)  # type: ignore[return-value]

    @staticmethod
    def _received_at(message_id: str) -> datetime:
        try:
            return datetime.strptime(message_id.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        except ValueError:
            return datetime.fromtimestamp(0, UTC)

    def summary(self, message_id: str) -> MessageSummary:
        """To, subject and arrival of one email (cached: stored emails never change)."""
        cached = self._summaries.get(message_id)
        if cached is None:
            message = self._parse(message_id)
            cached = MessageSummary(
                id=message_id,
                to=str(message.get("To", "")),
                from_=str(message.get("From", "")),
                subject=str(message.get("Subject", "")),
                received_at=self._received_at(message_id),
            )
            self._summaries[message_id] = cached
        return cached

    def list(self, to: str = "") -> list[MessageSummary]:
        """Every stored email, newest first; optionally only those to an address containing `to`."""
        summaries = []
        for message_id in self.ids():
            with contextlib.suppress(KeyError, OSError):
                summaries.append(self.summary(message_id))
        if to:
            needle = to.lower()
            summaries = [summary for summary in summaries if needle in summary.to.lower()]
        return summaries

    def detail(self, message_id: str) -> MessageDetail:
        """One email with its text and HTML parts and the links of the HTML."""
        message = self._parse(message_id)
        html = _part(message, "html")
        return MessageDetail(
            id=message_id,
            to=str(message.get("To", "")),
            from_=str(message.get("From", "")),
            subject=str(message.get("Subject", "")),
            received_at=self._received_at(message_id),
            message_id=str(message.get("Message-ID", "")),
            date=str(message.get("Date", "")),
            text=_part(message, "plain"),
            html=html,
            links=extract_links(html),
            recipients=[address for _, address in getaddresses(message.get_all("Delivered-To", []))],
        )

    def raw(self, message_id: str) -> bytes:
        """The stored .eml bytes."""
        return self._path(message_id).read_bytes()

    def clear(self) -> int:
        """Delete every stored email; return how many."""
        count = 0
        for path in self.folder.glob("*.eml"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                count += 1
        self._summaries.clear()
        return count


# Recipients at this domain are refused for good, as a real server refuses an unknown mailbox:
# a way to see, locally, what the app does with an email that cannot be delivered.
BOUNCE_DOMAIN = "bounce.example"
BOUNCE_REPLY = "550 5.1.1 No such mailbox here"


class CatchingHandler:
    """aiosmtpd handler: accept every email (except to BOUNCE_DOMAIN) and store it."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options
    ) -> str:
        if address.rpartition("@")[2].lower() == BOUNCE_DOMAIN:
            return BOUNCE_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        await asyncio.to_thread(self.store.save, content, envelope.mail_from or "", list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


# -- the web pages ------------------------------------------------------------------------------

_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{% if refresh %}<meta http-equiv="refresh" content="5">{% endif %}
<title>{{ title }} · Mail catcher</title>
<style>
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f3f4f6;color:#111827}
header{background:#111827;color:#fff;padding:14px 24px;display:flex;align-items:center;gap:16px}
header a{color:#fff;text-decoration:none;font-weight:600}
header .hint{color:#9ca3af;font-size:13px}
main{max-width:1100px;margin:24px auto;padding:0 16px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;overflow:hidden}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:10px 14px;border-bottom:1px solid #f1f5f9;vertical-align:top}
th{background:#f9fafb;color:#6b7280;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
tr:hover td{background:#f9fafb}
td a{color:#1f2937;text-decoration:none;display:block}
td.when{white-space:nowrap;color:#6b7280;width:170px}
.empty{padding:40px;text-align:center;color:#6b7280}
dl{display:grid;grid-template-columns:110px 1fr;gap:6px 12px;margin:0;padding:16px 20px;font-size:14px}
dt{color:#6b7280}dd{margin:0;word-break:break-word}
h1{font-size:20px;margin:0 0 16px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#6b7280;margin:24px 0 8px}
iframe{width:100%;height:80vh;min-height:760px;border:0;background:#fff;display:block}
pre{white-space:pre-wrap;word-break:break-word;margin:0;padding:16px 20px;font-size:13px;line-height:1.5}
ul.links{margin:0;padding:12px 20px 12px 36px;font-size:14px}
ul.links a{color:#4338ca;word-break:break-all}
.actions{display:flex;gap:12px;font-size:14px;margin-bottom:12px}
.actions a{color:#4338ca}
</style></head>
<body>
<header><a href="/">Mail catcher</a><span class="hint">Every email the app sends locally lands here; nothing leaves this machine.</span></header>
<main>
{% if detail %}
<div class="actions"><a href="/">&larr; All emails</a><a href="/messages/{{ detail.id }}/raw">Download .eml</a></div>
<h1>{{ detail.subject or "(no subject)" }}</h1>
<div class="card"><dl>
<dt>From</dt><dd>{{ detail.from_ }}</dd>
<dt>To</dt><dd>{{ detail.to }}</dd>
<dt>Date</dt><dd>{{ detail.date }}</dd>
<dt>Received</dt><dd>{{ detail.received_at.strftime("%Y-%m-%d %H:%M:%S") }} UTC</dd>
<dt>Message-ID</dt><dd>{{ detail.message_id }}</dd>
</dl></div>
{% if detail.html %}
<h2>HTML</h2>
<div class="card"><iframe title="HTML part of the email" src="/messages/{{ detail.id }}/html" sandbox="{{ sandbox }}"></iframe></div>
{% endif %}
{% if detail.links %}
<h2>Links</h2>
<div class="card"><ul class="links">{% for link in detail.links %}<li><a href="{{ link }}" target="_blank" rel="noopener">{{ link }}</a></li>{% endfor %}</ul></div>
{% endif %}
<h2>Plain text</h2>
<div class="card"><pre>{{ detail.text or "(no plain-text part)" }}</pre></div>
{% else %}
<h1>Caught emails ({{ messages|length }})</h1>
<div class="card">
{% if messages %}
<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>
{% for message in messages %}
<tr><td class="when"><a href="/messages/{{ message.id }}">{{ message.received_at.strftime("%Y-%m-%d %H:%M:%S") }}</a></td>
<td><a href="/messages/{{ message.id }}">{{ message.to }}</a></td>
<td><a href="/messages/{{ message.id }}">{{ message.subject or "(no subject)" }}</a></td></tr>
{% endfor %}
</tbody></table>
{% else %}
<p class="empty">No emails yet. They appear here as soon as the app sends one.</p>
{% endif %}
</div>
{% endif %}
</main></body></html>
"""
)


def _html_page(**context: Any) -> Response[str]:
    return Response(_PAGE.render(sandbox=IFRAME_SANDBOX, **context), media_type="text/html")


def create_app(store: MailStore) -> Litestar:
    """The catcher's web app over one store."""

    def load(message_id: str) -> MessageDetail:
        try:
            return store.detail(message_id)
        except (KeyError, OSError):
            raise NotFoundException(f"no caught email {message_id}") from None

    @get("/", include_in_schema=False)
    async def index() -> Response[str]:
        """All caught emails, newest first."""
        return _html_page(title="Caught emails", messages=store.list(), refresh=True)

    @get("/messages/{message_id:str}", include_in_schema=False)
    async def message_page(message_id: FromPath[str]) -> Response[str]:
        """One email: headers, its HTML in a sandboxed frame, its links and its text."""
        detail = load(message_id)
        return _html_page(title=detail.subject, detail=detail)

    @get("/messages/{message_id:str}/html", include_in_schema=False)
    async def message_html(message_id: FromPath[str]) -> Response[str]:
        """The HTML part alone, sandboxed even when opened directly; links open in a new tab."""
        html = load(message_id).html
        if "<base" not in html.lower():
            html = '<base target="_blank">' + html
        return Response(
            html,
            media_type="text/html",
            headers={"Content-Security-Policy": f"sandbox {IFRAME_SANDBOX}"},
        )

    @get("/messages/{message_id:str}/raw", include_in_schema=False)
    async def message_raw(message_id: FromPath[str]) -> Response[bytes]:
        """The stored .eml file."""
        try:
            data = store.raw(message_id)
        except (KeyError, OSError):
            raise NotFoundException(f"no caught email {message_id}") from None
        return Response(
            data,
            media_type="message/rfc822",
            headers={"Content-Disposition": f'attachment; filename="{message_id}.eml"'},
        )

    @get("/api/messages")
    async def api_list(to: FromQuery[str] = "") -> list[MessageSummary]:
        """Caught emails, newest first (`?to=` filters by recipient)."""
        return store.list(to=to)

    @get("/api/messages/{message_id:str}")
    async def api_detail(message_id: FromPath[str]) -> MessageDetail:
        """One caught email with its text, HTML and links."""
        return load(message_id)

    @delete("/api/messages")
    async def api_clear() -> None:
        """Forget every caught email."""
        store.clear()

    return Litestar(route_handlers=[index, message_page, message_html, message_raw, api_list, api_detail, api_clear])


# -- running ------------------------------------------------------------------------------------


@dataclass
class RunningCatcher:
    """A catcher running on the current event loop."""

    store: MailStore
    smtp_port: int
    http_port: int
    host: str

    @property
    def url(self) -> str:
        """Where people read the caught emails."""
        return f"http://{'localhost' if self.host in ('127.0.0.1', '0.0.0.0') else self.host}:{self.http_port}"


@contextlib.asynccontextmanager
async def run_catcher(
    store_dir: Path, *, smtp_port: int, http_port: int, host: str = "127.0.0.1", http_signals: bool = False
) -> AsyncIterator[RunningCatcher]:
    """Run the SMTP server and the web app on this loop until the block exits."""
    # aiosmtpd logs every SMTP command at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    store = MailStore(store_dir)
    handler = CatchingHandler(store)
    loop = asyncio.get_running_loop()
    smtp_server = await loop.create_server(
        lambda: SMTPServer(handler, hostname="mailcatcher", data_size_limit=DATA_SIZE_LIMIT, enable_SMTPUTF8=True),
        host=host,
        port=smtp_port,
    )
    web = _WebServer(uvicorn.Config(create_app(store), host=host, port=http_port, log_level="warning"))
    web.handle_signals = http_signals
    web_task = asyncio.create_task(web.serve(), name="mailcatcher-web")
    try:
        while not web.started:
            if web_task.done():
                web_task.result()
                raise RuntimeError(f"the mail catcher's web server did not start on port {http_port}")
            await asyncio.sleep(0.02)
        yield RunningCatcher(store=store, smtp_port=smtp_port, http_port=http_port, host=host)
    finally:
        web.should_exit = True
        with contextlib.suppress(Exception):
            await web_task
        smtp_server.close()
        await smtp_server.wait_closed()


class _WebServer(uvicorn.Server):
    """uvicorn, optionally without taking over the process's signal handlers (tests, embedding)."""

    handle_signals = True

    @contextlib.contextmanager
    def capture_signals(self):  # type: ignore[override]
        if self.handle_signals:
            with super().capture_signals():
                yield
        else:
            yield


async def _serve(store_dir: Path, smtp_port: int, http_port: int, host: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with run_catcher(store_dir, smtp_port=smtp_port, http_port=http_port, host=host) as catcher:
        print(f"SMTP on {host}:{smtp_port}; emails stored in {catcher.store.folder}", flush=True)
        print(f"Caught emails: {catcher.url}", flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `python -m backend.mailcatcher`."""
    parser = argparse.ArgumentParser(prog="python -m backend.mailcatcher", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("TP_MAIL_HOST", "127.0.0.1"))
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("TP_SMTP_PORT", "1025")))
    parser.add_argument("--http-port", type=int, default=int(os.environ.get("TP_MAIL_WEB_PORT", "8025")))
    parser.add_argument("--store", type=Path, default=Path(os.environ.get("TP_MAIL_STORE", DEFAULT_STORE)))
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.store, args.smtp_port, args.http_port, args.host))
    return 0


if __name__ == "__main__":
    sys.exit(main())
