"""The mail catcher running: its SMTP server and web app on one event loop, and `main` for `python -m`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from aiosmtpd.smtp import SMTP as SMTPServer

from backend.mailcatcher.smtp import DATA_SIZE_LIMIT, CatchingHandler
from backend.mailcatcher.store import MailStore
from backend.mailcatcher.web import create_app

DEFAULT_STORE = Path(__file__).resolve().parents[2] / "var" / "mail"


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
    store_dir: Path,
    *,
    smtp_port: int,
    http_port: int,
    host: str = "127.0.0.1",
    http_signals: bool = False,
    bounce_smtp: tuple[str, int] | None = None,
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
    web = _WebServer(uvicorn.Config(create_app(store, bounce_smtp), host=host, port=http_port, log_level="warning"))
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
    def capture_signals(self):
        if self.handle_signals:
            with super().capture_signals():
                yield
        else:
            yield


async def _serve(
    store_dir: Path, smtp_port: int, http_port: int, host: str, bounce_smtp: tuple[str, int] | None = None
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with run_catcher(
        store_dir, smtp_port=smtp_port, http_port=http_port, host=host, bounce_smtp=bounce_smtp
    ) as catcher:
        print(f"SMTP on {host}:{smtp_port}; emails stored in {catcher.store.folder}", flush=True)
        print(f"Caught emails: {catcher.url}", flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `python -m backend.mailcatcher`."""
    parser = argparse.ArgumentParser(
        prog="python -m backend.mailcatcher",
        description="A local mail catcher: a real SMTP server and a web page to read what it caught.",
    )
    parser.add_argument("--host", default=os.environ.get("TP_MAIL_HOST", "127.0.0.1"))
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("TP_SMTP_PORT", "1025")))
    parser.add_argument("--http-port", type=int, default=int(os.environ.get("TP_MAIL_WEB_PORT", "8025")))
    parser.add_argument("--store", type=Path, default=Path(os.environ.get("TP_MAIL_STORE", DEFAULT_STORE)))
    parser.add_argument(
        "--bounce-smtp",
        default="",
        metavar="HOST:PORT",
        help='the bounce receiver (python -m backend bounces): each email with a bounce address gets "Send a bounce"',
    )
    args = parser.parse_args(argv)
    bounce_smtp = None
    if args.bounce_smtp:
        bounce_host, _, bounce_port = args.bounce_smtp.rpartition(":")
        bounce_smtp = (bounce_host or "127.0.0.1", int(bounce_port))
    asyncio.run(_serve(args.store, args.smtp_port, args.http_port, args.host, bounce_smtp))
    return 0
