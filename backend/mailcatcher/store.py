"""The mail catcher's store: caught emails as .eml files in one folder, decoded for reading."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from pathlib import Path

import msgspec

_ID = re.compile(r"^[0-9A-Za-z_-]{1,100}$")


class MessageSummary(msgspec.Struct, kw_only=True):
    """One caught email in the list."""

    id: str
    to: str
    subject: str
    received_at: datetime
    from_: str = msgspec.field(name="from", default="")
    # Caught before this catcher started: by an earlier run of `make run`.
    earlier_run: bool = False


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
    # The envelope sender (MAIL FROM) the catcher received, kept as the Return-Path header.
    envelope_from: str = ""


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
        payload = body.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


class MailStore:
    """Caught emails as .eml files in one folder; the file name is the id and sorts by arrival."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._summaries: dict[str, MessageSummary] = {}
        # Emails that arrived before this moment were caught by an earlier run.
        self.started_at = datetime.now(UTC)

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
            return BytesParser(policy=policy.default).parse(handle)

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
            received_at = self._received_at(message_id)
            cached = MessageSummary(
                id=message_id,
                to=str(message.get("To", "")),
                from_=str(message.get("From", "")),
                subject=str(message.get("Subject", "")),
                received_at=received_at,
                earlier_run=received_at < self.started_at,
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
            envelope_from=str(message.get("Return-Path", "")).strip().strip("<>").strip(),
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
