"""The mail catcher's web side: pages to read caught emails, and the JSON API tests use."""

from __future__ import annotations

import asyncio
import secrets
import smtplib
from collections.abc import Callable
from typing import Any

import jinja2
from litestar import Litestar, Response, delete, get, post
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from backend.mailcatcher.bounce import can_bounce, send_bounce
from backend.mailcatcher.store import MailStore, MessageDetail, MessageSummary

# Links in a caught email open in a new, unsandboxed tab, so the linked app works normally.
# Scripts run only so the frame can tell the page its height: the part's CSP lets through the one
# script the catcher adds (by nonce), none of the email's own; without allow-same-origin the frame
# cannot reach the page.
IFRAME_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
# Added to the HTML part: posts the document's height to the page, which sizes the frame to it.
_REPORT_HEIGHT = (
    '<script nonce="{nonce}">(function(){{function report(){{parent.postMessage('
    "{{catcherFrameHeight:document.documentElement.scrollHeight}},'*')}}"
    "addEventListener('load',report);addEventListener('resize',report);report()}})()</script>"
)

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
iframe{width:100%;height:760px;border:0;background:#fff;display:block}
.earlier td{color:#6b7280}.earlier td a{color:#6b7280}
.badge{display:inline-block;margin-left:8px;padding:1px 8px;border-radius:999px;background:#e5e7eb;color:#374151;font-size:12px;white-space:nowrap}
.note{color:#4b5563;font-size:14px;margin:-8px 0 16px}
pre{white-space:pre-wrap;word-break:break-word;margin:0;padding:16px 20px;font-size:13px;line-height:1.5}
ul.links{margin:0;padding:12px 20px 12px 36px;font-size:14px}
ul.links a{color:#4338ca;word-break:break-all}
.actions{display:flex;gap:12px;font-size:14px;margin-bottom:12px}
.actions a{color:#4338ca}
.actions form{margin:0 0 0 auto}
.actions button{font:inherit;font-size:14px;padding:4px 12px;border:1px solid #b91c1c;border-radius:6px;background:#fff;color:#b91c1c;cursor:pointer}
.actions button:hover{background:#fef2f2}
.notice{padding:10px 14px;border-radius:8px;margin:0 0 16px;font-size:14px;background:#ecfdf5;color:#065f46}
.notice.error{background:#fef2f2;color:#991b1b}
</style></head>
<body>
<header><a href="/">Mail catcher</a><span class="hint">Every email the app sends locally lands here; nothing leaves this machine.</span></header>
<main>
{% if detail %}
<div class="actions"><a href="/">&larr; All emails</a><a href="/messages/{{ detail.id }}/raw">Download .eml</a>
{% if bounce %}<form method="post" action="/messages/{{ detail.id }}/bounce"><button type="submit" title="Send a permanent-failure bounce to {{ detail.envelope_from }}">Send a bounce</button></form>{% endif %}
</div>
{% if notice %}<p class="notice{% if notice_error %} error{% endif %}" role="status">{{ notice }}</p>{% endif %}
<h1>{{ detail.subject or "(no subject)" }}</h1>
{% if earlier_run %}<p class="note">Caught by an earlier run of <code>make run</code>, before this mail catcher started.</p>{% endif %}
<div class="card"><dl>
<dt>From</dt><dd>{{ detail.from_ }}</dd>
<dt>To</dt><dd>{{ detail.to }}</dd>
<dt>Date</dt><dd>{{ detail.date }}</dd>
<dt>Received</dt><dd>{{ detail.received_at.strftime("%Y-%m-%d %H:%M:%S") }} UTC</dd>
<dt>Message-ID</dt><dd>{{ detail.message_id }}</dd>
{% if detail.envelope_from %}<dt>Envelope from</dt><dd>{{ detail.envelope_from }}</dd>{% endif %}
</dl></div>
{% if detail.html %}
<h2>HTML</h2>
<div class="card"><iframe id="html-part" title="HTML part of the email" src="/messages/{{ detail.id }}/html" sandbox="{{ sandbox }}"></iframe></div>
<script>
// The whole email, never a frame that clips it: the frame reports its height and takes it.
addEventListener("message", function (event) {
  var frame = document.getElementById("html-part");
  var height = event.data && event.data.catcherFrameHeight;
  if (frame && event.source === frame.contentWindow && typeof height === "number" && height > 0) {
    frame.style.height = Math.ceil(height) + "px";
  }
});
</script>
{% endif %}
{% if detail.links %}
<h2>Links</h2>
<div class="card"><ul class="links">{% for link in detail.links %}<li><a href="{{ link }}" target="_blank" rel="noopener">{{ link }}</a></li>{% endfor %}</ul></div>
{% endif %}
<h2>Plain text</h2>
<div class="card"><pre>{{ detail.text or "(no plain-text part)" }}</pre></div>
{% else %}
<h1>Caught emails ({{ messages|length }})</h1>
{% set earlier = messages|selectattr("earlier_run")|list|length %}
{% if earlier %}<p class="note">{{ earlier }} of them {{ "was" if earlier == 1 else "were" }} caught by an earlier run of <code>make run</code> (marked “Earlier run”); this mail catcher started at {{ started_at.strftime("%Y-%m-%d %H:%M:%S") }} UTC.</p>{% endif %}
<div class="card">
{% if messages %}
<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>
{% for message in messages %}
<tr{% if message.earlier_run %} class="earlier"{% endif %}><td class="when"><a href="/messages/{{ message.id }}">{{ message.received_at.strftime("%Y-%m-%d %H:%M:%S") }}</a>{% if message.earlier_run %}<span class="badge">Earlier run</span>{% endif %}</td>
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


_BOUNCE_NOTICES = {
    "sent": ("Bounce sent: the app now shows this email as failed.", False),
    "failed": ("The bounce could not be delivered: is the bounce receiver running?", True),
}


def _bounceable(detail: MessageDetail, bounce_smtp: tuple[str, int] | None) -> bool:
    return bounce_smtp is not None and can_bounce(detail.envelope_from)


async def _send_bounce(detail: MessageDetail, bounce_smtp: tuple[str, int]) -> str:
    """Bounce one caught email at the bounce receiver; the outcome's key in `_BOUNCE_NOTICES`."""
    recipient = detail.recipients[0] if detail.recipients else detail.to
    try:
        await asyncio.to_thread(send_bounce, *bounce_smtp, detail.envelope_from, recipient, detail.subject)
    except (smtplib.SMTPException, OSError):
        return "failed"
    return "sent"


def _bounce_route(load: Callable[[str], MessageDetail], bounce_smtp: tuple[str, int] | None) -> HTTPRouteHandler:
    """POST /messages/{id}/bounce: bounce a caught email that has a bounce address."""

    @post("/messages/{message_id:str}/bounce", include_in_schema=False, status_code=303)
    async def message_bounce(message_id: FromPath[str]) -> Redirect:
        """Send a permanent-failure DSN for this email to its envelope sender, at the bounce receiver."""
        detail = load(message_id)
        if bounce_smtp is None or not _bounceable(detail, bounce_smtp):
            raise NotFoundException("this email has no bounce address")
        outcome = await _send_bounce(detail, bounce_smtp)
        return Redirect(f"/messages/{message_id}?bounced={outcome}", status_code=303)

    return message_bounce


def _raw_response(store: MailStore, message_id: str) -> Response[bytes]:
    try:
        data = store.raw(message_id)
    except (KeyError, OSError):
        raise NotFoundException(f"no caught email {message_id}") from None
    return Response(
        data,
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="{message_id}.eml"'},
    )


def create_app(store: MailStore, bounce_smtp: tuple[str, int] | None = None) -> Litestar:
    """The catcher's web app over one store; with `bounce_smtp`, emails with a bounce address can be bounced."""

    def load(message_id: str) -> MessageDetail:
        try:
            return store.detail(message_id)
        except (KeyError, OSError):
            raise NotFoundException(f"no caught email {message_id}") from None

    @get("/", include_in_schema=False)
    async def index() -> Response[str]:
        """All caught emails, newest first."""
        return _html_page(title="Caught emails", messages=store.list(), refresh=True, started_at=store.started_at)

    @get("/messages/{message_id:str}", include_in_schema=False)
    async def message_page(message_id: FromPath[str], bounced: FromQuery[str] = "") -> Response[str]:
        """One email: headers, its HTML in a sandboxed frame, its links and its text."""
        detail = load(message_id)
        earlier_run = detail.received_at < store.started_at
        notice, notice_error = _BOUNCE_NOTICES.get(bounced, ("", False))
        return _html_page(
            title=detail.subject,
            detail=detail,
            earlier_run=earlier_run,
            bounce=_bounceable(detail, bounce_smtp),
            notice=notice,
            notice_error=notice_error,
        )

    @get("/messages/{message_id:str}/html", include_in_schema=False)
    async def message_html(message_id: FromPath[str]) -> Response[str]:
        """The HTML part alone, sandboxed even when opened directly; links open in a new tab."""
        html = load(message_id).html
        if "<base" not in html.lower():
            html = '<base target="_blank">' + html
        nonce = secrets.token_urlsafe(16)
        return Response(
            html + _REPORT_HEIGHT.format(nonce=nonce),
            media_type="text/html",
            headers={"Content-Security-Policy": f"sandbox {IFRAME_SANDBOX}; script-src 'nonce-{nonce}'"},
        )

    @get("/messages/{message_id:str}/raw", include_in_schema=False)
    async def message_raw(message_id: FromPath[str]) -> Response[bytes]:
        """The stored .eml file."""
        return _raw_response(store, message_id)

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

    return Litestar(
        route_handlers=[
            index,
            message_page,
            _bounce_route(load, bounce_smtp),
            message_html,
            message_raw,
            api_list,
            api_detail,
            api_clear,
        ]
    )


# -- running ------------------------------------------------------------------------------------
