"""The Talent Pool list endpoint at scale: 1,000,000 contacts on PostgreSQL, 300,000 on SQLite.

`python -m bench contacts_list [postgres] [sqlite]` (both by default). Each run builds the data set
(one company's contacts plus another company's tenth as many; COPY then ANALYZE on PostgreSQL),
starts the BFF as its own process as `make run` does (`python -m backend serve`), and prints p50/p95
per query type over HTTP against the 50 ms target, with the floor measured in the same run: an
authenticated round trip through the same BFF (`GET /api/auth/me`, one small query), and the ratio.

BENCH_LIST_SCALE (default 1) scales the contact counts, e.g. 0.05 for a quick run.
BENCH_LIST_BROWSER=1 also times the page in Chromium (full stack with the Reflex app; target 1.5 s).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

REQUESTS = 200
TARGET_P95_MS = 50.0
TARGET_PAGE_SECONDS = 1.5
SCALE = float(os.environ.get("BENCH_LIST_SCALE", "1"))
CONTACTS = {"postgres": int(1_000_000 * SCALE), "sqlite": int(300_000 * SCALE)}
TAGS = 2_000


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def scenarios(tags: list[str], common: list[str], contacts: int, rng: random.Random) -> dict[str, tuple[str, Callable]]:
    """Each scenario: the path it asks and a function giving its next request's query parameters."""
    top_tags = tags[:50]  # the most used tags (Zipf-like ranks, see bench.dataset)
    # ".12345" is in the email of contact 12345 and of 123450–123459: a handful.
    low = max(10, contacts // 100)
    return {
        "first page": ("/api/contacts", lambda: {"page": 1, "page_size": 25}),
        "tag filter": ("/api/contacts", lambda: {"tag": rng.choice(top_tags), "page_size": 25}),
        "status + sort by name": (
            "/api/contacts",
            lambda: {
                "status": rng.choice(["invited", "active", "applied", "rejected"]),
                "sort": "name",
                "page_size": 25,
            },
        ),
        "status + sort by last engagement": (
            "/api/contacts",
            lambda: {
                "status": rng.choice(["invited", "active", "applied", "rejected"]),
                "sort": "-last_activity_at",
                "page_size": 25,
            },
        ),
        "3-letter search, ~10% match": ("/api/contacts", lambda: {"q": rng.choice(common), "page_size": 25}),
        "search matching a handful": (
            "/api/contacts",
            lambda: {"q": f".{rng.randint(low, contacts // 10 - 1)}", "page_size": 25},
        ),
        "status counts": ("/api/contacts/status-counts", dict),
        # What an open Talent Pool page asks every few seconds (live refresh).
        "change stamp": ("/api/contacts/changes", dict),
        "tag suggestions": ("/api/tags", lambda: {"q": rng.choice(["", "ka", "dev", "py"]), "limit": 20}),
    }


def _timed(client: httpx.Client, path: str, params: dict) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def measure(api_url: str, token: str, plan: dict[str, tuple[str, Callable]]) -> dict[str, tuple[float, float, dict]]:
    """Run the floor and every scenario; return {name: (p50 ms, p95 ms, a sample answer)}."""
    results = {}
    with httpx.Client(base_url=api_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for name, (path, params) in {"floor: GET /api/auth/me": ("/api/auth/me", dict), **plan}.items():
            for _ in range(10):  # warm-up
                client.get(path, params=params()).raise_for_status()
            timings = [_timed(client, path, params()) for _ in range(REQUESTS)]
            sample = client.get(path, params=params()).json()
            results[name] = (statistics.median(timings), _percentile(timings, 95), sample)
    return results


def _common_fragments(texts: list[str]) -> list[str]:
    from bench.dataset import search_fragments

    found = search_fragments(texts, 0.08, 0.12)
    if not found:
        raise RuntimeError("no 3-letter fragment matches 8–12% of the contacts")
    return found[:8]


def _prepare_sqlite(work: Path, contacts: int) -> tuple[str, list[str], list[str]]:
    from bench.dataset import fill

    path = work / "bench.sqlite"
    url = f"sqlite:///{path}"
    _migrate(url)
    tags = fill(str(path), contacts=contacts, tags=TAGS, others=contacts // 10)
    with sqlite3.connect(path) as db:
        texts = [r[0] for r in db.execute("SELECT search_text FROM contact WHERE company = 1 AND id % 50 = 0")]
    return url, tags, _common_fragments(texts)


def _prepare_postgres(work: Path, contacts: int) -> tuple[str, list[str], list[str]]:
    """A PostgreSQL server in `work`, migrated and filled."""
    from bench.dataset import fill_postgres
    from e2e.conftest import free_port
    from tests.postgres_server import start

    # The server lives in `work` itself (when run as root, the folder is handed to the server's user).
    url = start(work, free_port())
    _migrate(url)
    tags = fill_postgres(url, contacts=contacts, tags=TAGS, others=contacts // 10)
    import asyncio

    import asyncpg

    async def sample() -> list[str]:
        db = await asyncpg.connect(url)
        try:
            return [r[0] for r in await db.fetch("SELECT search_text FROM contact WHERE company = 1 AND id % 50 = 0")]
        finally:
            await db.close()

    return url, tags, _common_fragments(asyncio.run(sample()))


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "backend", "migrate"],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )


def _start_bff(url: str, work: Path) -> tuple[subprocess.Popen, str]:
    """The BFF as `make run` starts it: `python -m backend serve`, its own process."""
    from bench.csv_import import wait_until_healthy
    from e2e.conftest import free_port

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TP_RUN_SENDER": "0",
        "TP_RUN_IMPORTS": "0",
        "TP_FILES_DIR": str(work / "files"),
    }
    log = (work / "api.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}", work)


def first_page_times(web_url: str, email: str, password: str, runs: int = 10) -> list[float]:
    """Seconds from navigating to the Talent Pool until its first page of rows is visible."""
    from playwright.sync_api import sync_playwright

    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=web_url)
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("row").nth(25).wait_for(timeout=30_000)
        for _ in range(runs):
            page.goto("about:blank")
            started = time.perf_counter()
            page.goto("/", wait_until="commit")
            page.get_by_role("row").nth(25).wait_for(timeout=30_000)
            timings.append(time.perf_counter() - started)
        browser.close()
    return timings


def _browser_figures(url: str, work: Path) -> str:
    from backend.stack import start_stack
    from bench.dataset import BENCH_EMAIL, BENCH_PASSWORD
    from e2e.conftest import free_port

    stack = start_stack(
        database_url=url,
        api_port=free_port(),
        web_port=free_port(),
        prod=True,
        log_dir=work / "logs",
        progress=lambda _: None,
    )
    try:
        times = first_page_times(stack.web_url, BENCH_EMAIL, BENCH_PASSWORD)
    finally:
        stack.stop()
    worst = max(times)
    return (
        f"  page in Chromium, first 25 rows visible after navigation ({len(times)} runs, target <= {TARGET_PAGE_SECONDS} s): "
        f"median {statistics.median(times):.2f} s, worst {worst:.2f} s   {'ok' if worst <= TARGET_PAGE_SECONDS else 'OVER TARGET'}"
    )


def _report(backend: str, contacts: int, results: dict[str, tuple[float, float, dict]], common: list[str]) -> None:
    floor_p50, floor_p95, _ = next(iter(results.values()))
    print(
        f"list endpoint, {backend}, {contacts:,} contacts (+{contacts // 10:,} of another company), {REQUESTS} requests each, "
        f"target p95 <= {TARGET_P95_MS:.0f} ms; 3-letter searches: {', '.join(common)}"
    )
    for name, (p50, p95, sample) in results.items():
        verdict = "" if name.startswith("floor") else ("ok" if p95 <= TARGET_P95_MS else "OVER TARGET")
        total = (
            f"total {sample['total']:,}{'' if sample.get('total_exact', True) else '+'}"
            if isinstance(sample, dict) and "total" in sample
            else ""
        )
        print(
            f"  {name:<34} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   x{p50 / floor_p50:4.1f} / x{p95 / floor_p95:4.1f} floor"
            f"   {verdict:<11} {total}"
        )


def run(backend: str) -> None:
    """Build the data set on one database, start the BFF, measure and print."""
    from bench.dataset import BENCH_EMAIL, BENCH_PASSWORD

    contacts = CONTACTS[backend]
    work = Path(tempfile.mkdtemp(prefix=f"tp-bench-list-{backend}-"))
    prepare = _prepare_postgres if backend == "postgres" else _prepare_sqlite
    try:
        url, tags, common = prepare(work, contacts)
        process, api_url = _start_bff(url, work)
        try:
            login = httpx.post(f"{api_url}/api/auth/login", json={"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
            results = measure(api_url, login.json()["token"], scenarios(tags, common, contacts, random.Random(3)))
        finally:
            process.terminate()
            process.wait(timeout=30)
        _report(backend, contacts, results, common)
        if os.environ.get("BENCH_LIST_BROWSER") == "1":
            print(_browser_figures(url, work))
    finally:
        if backend == "postgres":
            from tests.postgres_server import stop

            stop(work)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    """Measure on the databases named on the command line (PostgreSQL and SQLite by default)."""
    for backend in sys.argv[1:] or ["postgres", "sqlite"]:
        run(backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
