"""SMTP for the outbox sender: the message's parts and headers, and a kept-open session that sorts failures
into the connection's, this email's for now (4xx) and this email's for good (5xx)."""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import time
from email.header import Header
from email.utils import formataddr
from typing import Protocol

import aiosmtplib
import idna

_ERROR_MAX = 1000


# A kept-open connection idle this long is closed before reuse rather than risk a stale one.
_IDLE_RECONNECT_SECONDS = 50.0


# ASCII header values up to this length fit on one line after "Subject: " (RFC 5322 recommends 78).
_SHORT_HEADER = 68


class ConnectionFailure(Exception):
    """The SMTP server could not be reached or refused the session (not this email's fault)."""


class PermanentFailure(Exception):
    """The server rejected this email for good (5xx): retrying cannot help."""


class TransientFailure(Exception):
    """The server refused this email for now (4xx): retry later."""


def short_error(error: BaseException | str) -> str:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return text.strip()[:_ERROR_MAX] or "unknown error"


def header_value(value: str) -> str:
    """A header value, RFC 2047-encoded when not ASCII and folded to keep lines short."""
    if value.isascii() and len(value) <= _SHORT_HEADER:
        return value
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name="Subject").encode(linesep="\r\n")


def text_part(subtype: str, body: str) -> bytes:
    """One text/* part, UTF-8 in quoted-printable with CRLF line ends."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    ).encode("ascii")
    return head + encoded


def smtp_address(address: str) -> tuple[str, bool]:
    """The address as SMTP carries it, and whether it needs the server's SMTPUTF8 extension.

    An internationalised domain (exämple.com) travels in its ASCII form (xn--exmple-cua.com), which
    every server takes; only a local part with non-ASCII characters needs SMTPUTF8.
    """
    local, _, domain = address.rpartition("@")
    if not domain.isascii():
        domain = idna.encode(domain, uts46=True).decode("ascii")
    return f"{local}@{domain}", not local.isascii()


def to_header(name: str, address: str, utf8: bool) -> str:
    """The To header's value; an address that needs SMTPUTF8 goes in as UTF-8 (which `formataddr` refuses)."""
    if not utf8:
        return formataddr((name, address), charset="utf-8")
    return formataddr((name, "_@_"), charset="utf-8").replace("_@_", address)


class SmtpServer(Protocol):
    """Where and how to reach the SMTP server (the sender's configuration has these)."""

    @property
    def smtp_host(self) -> str: ...
    @property
    def smtp_port(self) -> int: ...
    @property
    def smtp_timeout(self) -> float: ...
    @property
    def smtp_tls(self) -> str: ...
    @property
    def smtp_username(self) -> str: ...
    @property
    def smtp_password(self) -> str: ...


class SmtpConnection:
    """One kept-open SMTP session, reconnected when it breaks."""

    def __init__(self, config: SmtpServer) -> None:
        self.config = config
        self.client: aiosmtplib.SMTP | None = None
        self.last_used = 0.0

    async def _connect(self) -> aiosmtplib.SMTP:
        config = self.config
        client = aiosmtplib.SMTP(
            hostname=config.smtp_host,
            port=config.smtp_port,
            timeout=config.smtp_timeout,
            use_tls=config.smtp_tls == "tls",
            start_tls=True if config.smtp_tls == "starttls" else False,
            username=config.smtp_username or None,
            password=config.smtp_password or None,
        )
        try:
            await client.connect()
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as error:
            with contextlib.suppress(Exception):
                client.close()
            raise ConnectionFailure(short_error(error)) from error
        return client

    async def send(self, sender: str, recipient: str, data: bytes, utf8: bool = False) -> None:
        """Send one message, reconnecting once if a kept-open connection turns out to be broken.

        `utf8` asks for SMTPUTF8 (a recipient whose local part is not ASCII).
        """
        now = time.monotonic()
        if self.client is not None and (not self.client.is_connected or now - self.last_used > _IDLE_RECONNECT_SECONDS):
            await self.close()
        reused = self.client is not None
        if self.client is None:
            self.client = await self._connect()
        try:
            await self._send_once(sender, recipient, data, utf8)
        except ConnectionFailure:
            await self.close()
            if not reused:
                raise
            self.client = await self._connect()
            await self._send_once(sender, recipient, data, utf8)
        self.last_used = time.monotonic()

    async def _send_once(self, sender: str, recipient: str, data: bytes, utf8: bool) -> None:
        assert self.client is not None
        try:
            await self.client.sendmail(sender, [recipient], data, mail_options=["SMTPUTF8"] if utf8 else None)
        except aiosmtplib.SMTPNotSupported as error:
            raise PermanentFailure(
                "the mail server cannot deliver to an address with non-ASCII characters before the @ (no SMTPUTF8)"
            ) from error
        except aiosmtplib.SMTPRecipientsRefused as error:
            refusals = error.recipients
            reason = "; ".join(f"{r.code} {r.message}" for r in refusals) or str(error)
            if refusals and all(r.code >= 500 for r in refusals):
                raise PermanentFailure(f"recipient rejected: {reason}") from error
            raise TransientFailure(f"recipient deferred: {reason}") from error
        except aiosmtplib.SMTPDataError as error:
            if error.code >= 500:
                raise PermanentFailure(f"message rejected: {error.code} {error.message}") from error
            raise TransientFailure(f"message deferred: {error.code} {error.message}") from error
        except aiosmtplib.SMTPResponseException as error:
            # 421 means the server is closing the session; a refused sender is a setup problem, not this email's.
            if error.code == 421:
                raise ConnectionFailure(short_error(error)) from error
            raise TransientFailure(f"{error.code} {error.message}") from error
        except (TimeoutError, aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as error:
            raise ConnectionFailure(short_error(error)) from error
        except aiosmtplib.SMTPException as error:
            raise TransientFailure(short_error(error)) from error

    async def close(self) -> None:
        """QUIT politely if possible, else drop the socket."""
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await asyncio.wait_for(client.quit(), timeout=2)
        except Exception:
            with contextlib.suppress(Exception):
                client.close()
