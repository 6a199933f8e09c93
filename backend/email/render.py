"""Render transactional emails (subject, plain text and HTML) from the Jinja2 templates."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from backend.settings import get_settings

TEMPLATES_DIR = Path(__file__).parent / "templates"
_SUBJECT_MAX = 300
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RenderedEmail:
    """One email's content, ready for the outbox."""

    subject: str
    text: str
    html: str
    kind: str = ""


@dataclass(frozen=True)
class EmailKind:
    """What a kind of email needs from its caller, and what its button says."""

    required: tuple[str, ...]
    link_label: str


EMAIL_KINDS: dict[str, EmailKind] = {
    "invitation": EmailKind(required=("company_name", "inviter_name", "link"), link_label="Accept invitation"),
    "connection_request": EmailKind(required=("company_name", "link"), link_label="Log in to review"),
    "link_confirmation": EmailKind(required=("company_name", "link"), link_label="Confirm email"),
    "applicant_approved": EmailKind(required=("company_name", "link"), link_label="Log in"),
    "job_offer": EmailKind(required=("company_name", "job_title", "link"), link_label="View the offer"),
    "password_reset": EmailKind(required=("company_name", "link"), link_label="Set a new password"),
    "team_invitation": EmailKind(
        required=("company_name", "inviter_name", "role_name", "link"), link_label="Join the team"
    ),
    "invitation_reminder": EmailKind(required=("company_name", "inviter_name", "link"), link_label="Accept invitation"),
    "connection_reminder": EmailKind(required=("company_name", "link"), link_label="Log in to review"),
}
# Context every template may use; missing optional values render as empty.
_OPTIONAL = ("recipient_name", "inviter_name", "message", "expires_on", "job_title")


def nl2br(text: str) -> Markup:
    """Escape plain text for HTML, keeping its line breaks."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


def _environment(html: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        # Text templates lay out their own line breaks; HTML ones may be indented freely.
        trim_blocks=html,
        lstrip_blocks=html,
    )
    environment.filters["nl2br"] = nl2br
    return environment


@functools.cache
def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """(HTML environment with autoescape, text environment without)."""
    return _environment(True), _environment(False)


def absolute_url(link: str) -> str:
    """`link` as an absolute URL: absolute http(s) URLs stay, paths are joined to the public web URL."""
    link = link.strip()
    if link.startswith(("http://", "https://")):
        return link
    if link.startswith("/"):
        return f"{get_settings().public_web_url}{link}"
    raise ValueError(f"email links must be absolute URLs or paths starting with '/', got {link!r}")


def render_email(kind: str, **context: Any) -> RenderedEmail:
    """Render the `kind` email; `link` may be a path (joined to TP_PUBLIC_WEB_URL) or an absolute URL."""
    spec = EMAIL_KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown email kind {kind!r}; known: {', '.join(sorted(EMAIL_KINDS))}")
    missing = [name for name in spec.required if not context.get(name)]
    if missing:
        raise ValueError(f"{kind} email needs {', '.join(missing)}")
    values: dict[str, Any] = {name: "" for name in _OPTIONAL}
    values.update(context)
    values["link"] = absolute_url(str(context["link"]))
    values.setdefault("link_label", spec.link_label)
    values["home_url"] = get_settings().public_web_url
    html_env, text_env = _environments()
    subject = _WHITESPACE.sub(" ", text_env.get_template(f"{kind}.subject.txt").render(values)).strip()
    values["subject"] = subject[:_SUBJECT_MAX]
    text = text_env.get_template(f"{kind}.txt").render(values)
    html = html_env.get_template(f"{kind}.html").render(values)
    return RenderedEmail(subject=values["subject"], text=text.strip() + "\n", html=html, kind=kind)


# Slot markers: private-use characters, which no template text contains and every database stores.
_NAME_SLOT = "\ue000recipient-name\ue000"
_LINK_SLOT = "/\ue000personal-link\ue000"


def render_template(kind: str, **context: Any) -> RenderedEmail:
    """The `kind` email with slots where each recipient's name and link go (see `personalise`)."""
    return render_email(kind, recipient_name=_NAME_SLOT, link=_LINK_SLOT, **context)


def personalise(template: RenderedEmail, name: str, link: str) -> RenderedEmail:
    """Fill a template's slots with one recipient's name and link (a path or an absolute URL)."""
    url = absolute_url(link)
    link_slot = absolute_url(_LINK_SLOT)
    return RenderedEmail(
        subject=template.subject.replace(_NAME_SLOT, name),
        text=template.text.replace(_NAME_SLOT, name).replace(link_slot, url),
        html=template.html.replace(_NAME_SLOT, str(escape(name))).replace(str(escape(link_slot)), str(escape(url))),
        kind=template.kind,
    )
