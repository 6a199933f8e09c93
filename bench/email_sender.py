"""Outbox sender benchmark: one sender process drains 5,000 emails to a local SMTP server (target >= 300 emails/s).

    python -m bench.email_sender [--emails 5000]

A fresh SQLite file gets the emails (rendered invitations); an aiosmtpd sink runs in
its own process, so the sender process is measured alone; the sender is the real
`python -m backend send --drain` with its default settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 300.0
ENQUEUE_CHUNK = 500


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the SMTP sink (runs in its own process) ----------------------------------------------------


def run_sink(port: int) -> None:
    """Accept every email; on SIGTERM print how many arrived and how many distinct Message-IDs."""
    from aiosmtpd.smtp import SMTP as SMTPServer

    message_ids: list[bytes] = []
    header = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            found = header.search(envelope.original_content)
            message_ids.append(found.group(1) if found else b"")
            return "250 OK"

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        server = await loop.create_server(lambda: SMTPServer(Sink()), "127.0.0.1", port)
        print("ready", flush=True)
        await stop.wait()
        server.close()
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        counts = {"received": len(message_ids), "distinct": len(set(message_ids)), "cpu": cpu.ru_utime + cpu.ru_stime}
        print(json.dumps(counts), flush=True)

    asyncio.run(serve())


# -- the benchmark ------------------------------------------------------------------------------


def _env(database_url: str, smtp_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TP_SMTP_HOST": "127.0.0.1",
        "TP_SMTP_PORT": str(smtp_port),
        "TP_SMTP_TLS": "none",
        "TP_PUBLIC_WEB_URL": "http://localhost:3000",
        "PYTHONUNBUFFERED": "1",
    }


async def _fill_outbox(count: int) -> float:
    """Migrate and enqueue `count` rendered invitations; return the seconds it took to enqueue."""
    from backend.db import write_transaction
    from backend.email.outbox import enqueue_email
    from backend.email.render import render_email
    from backend.migrations import migrate

    await migrate()
    started = time.perf_counter()
    for first in range(0, count, ENQUEUE_CHUNK):
        async with write_transaction():
            for n in range(first, min(count, first + ENQUEUE_CHUNK)):
                email = render_email(
                    "invitation",
                    company_name="Acme Ltd",
                    inviter_name="Olivia Owner",
                    recipient_name=f"Person {n}",
                    message=f"Hi Person {n},\nwe would love to work with you again.",
                    link=f"/invite/token-{n:06d}",
                )
                await enqueue_email(email, to_email=f"person{n}@example.com", to_name=f"Person {n}")
    return time.perf_counter() - started


async def _statuses() -> dict[str, int]:
    from backend.email.tables import OutboxEmail

    rows = await OutboxEmail.raw("SELECT status, COUNT(*) AS n FROM outbox_email GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print emails per second."""
    parser = argparse.ArgumentParser(prog="python -m bench.email_sender", description=__doc__.split("\n")[0])
    parser.add_argument("--emails", type=int, default=5000)
    parser.add_argument("--smtp-sink", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smtp_sink:
        run_sink(args.smtp_sink)
        return 0

    folder = Path(tempfile.mkdtemp(prefix="talent-pool-bench-email-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    smtp_port = _free_port()
    env = _env(database_url, smtp_port)
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "TP_PUBLIC_WEB_URL")})

    enqueue_seconds = asyncio.run(_fill_outbox(args.emails))
    print(f"Enqueued {args.emails} emails in {enqueue_seconds:.2f}s ({database_url})")

    sink = subprocess.Popen(
        [sys.executable, "-m", "bench.email_sender", "--smtp-sink", str(smtp_port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout is not None
        if sink.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        sender = subprocess.run(
            [sys.executable, "-m", "backend", "send", "--drain"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        sender_cpu = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
    finally:
        sink.send_signal(signal.SIGTERM)
        sink_output, _ = sink.communicate(timeout=30)
    if sender.returncode != 0:
        print(sender.stdout, sender.stderr, sep="\n")
        raise SystemExit(f"the sender exited with {sender.returncode}")

    found = re.search(r"sent (\d+) email\(s\) in ([0-9.]+)s", sender.stdout)
    if not found:
        raise SystemExit(f"unexpected sender output: {sender.stdout!r}")
    sent, drain_seconds = int(found.group(1)), float(found.group(2))
    sink_counts = json.loads(sink_output.strip().splitlines()[-1])
    statuses = asyncio.run(_statuses())
    rate = sent / drain_seconds
    print(f"SMTP server received {sink_counts['received']} emails, {sink_counts['distinct']} distinct Message-IDs")
    print(f"Outbox statuses: {statuses}")
    print(
        f"Sender drained {sent} emails in {drain_seconds:.2f}s: {rate:.0f} emails/s (target >= {TARGET_PER_SECOND:.0f})"
    )
    print(f"Including process start-up: {sent / wall:.0f} emails/s ({wall:.2f}s wall)")
    print(
        f"CPU: sender process {sender_cpu:.1f}s, SMTP server process {sink_counts['cpu']:.1f}s ({os.cpu_count()} CPUs)"
    )
    ok = (
        sent == args.emails
        and sink_counts["received"] == args.emails
        and sink_counts["distinct"] == args.emails
        and statuses == {"sent": args.emails}
        and rate >= TARGET_PER_SECOND
    )
    print("PASS" if ok else "FAIL")
    if ok:
        shutil.rmtree(folder, ignore_errors=True)  # kept to look into when a figure failed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
