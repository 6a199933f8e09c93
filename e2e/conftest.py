"""Browser tests: start the real stack once per session and drive Debian's Chromium with Playwright.

Run through `make e2e` (the `make run` topology: SQLite, one BFF, one web app) or `make
test-cluster` (TP_E2E_TOPOLOGY=cluster: the `make run-cluster` topology on PostgreSQL, Redis and
nginx with replicas of every process); both add screenshots and traces of failed tests under
test-results/. The stack's logs go to var/logs/e2e/ or var/logs/e2e-cluster/.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from backend.cluster.topology import Cluster, ClusterPorts, start_cluster
from backend.processes import REPO_ROOT, Stack
from backend.stack import DEMO_LOGIN, start_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # This network refuses outside hosts; without these Chromium keeps retrying them.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_LOG_DIR = REPO_ROOT / "var" / "logs" / "e2e"
CLUSTER = os.environ.get("TP_E2E_TOPOLOGY", "") == "cluster"

# The first test also waits for the stack (a Reflex prod build), so browser
# tests get more time than the project-wide pytest timeout.
E2E_TEST_TIMEOUT_SECONDS = 900


@pytest.fixture(scope="session", autouse=True)
def _expectation_timeout() -> None:
    """The cluster runs a dozen processes on the machine's cores, so answers come later than on
    `make run`'s two: each expectation waits up to 15 s there (5 s, Playwright's default, otherwise)."""
    if CLUSTER:
        expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every browser test the longer timeout unless it sets its own."""
    for item in items:
        item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(E2E_TEST_TIMEOUT_SECONDS))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (Playwright's own browser download is not available here)."""
    if not CHROMIUM.exists():
        pytest.exit(f"{CHROMIUM} is missing: run `make browsers` first", returncode=1)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The whole app with demo data: the `make run` topology (BFF + Reflex prod build, a fresh SQLite
    database) or, under TP_E2E_TOPOLOGY=cluster, the `make run-cluster` one (fresh PostgreSQL)."""
    if CLUSTER:
        # Not under pytest's own temporary folder: PostgreSQL's user must be able to reach its data.
        cluster_dir = Path(tempfile.mkdtemp(prefix="talent-pool-e2e-cluster-"))
        cluster_dir.chmod(0o755)
        request.addfinalizer(lambda: shutil.rmtree(cluster_dir, ignore_errors=True))
        running: Stack = start_cluster(
            cluster_dir=cluster_dir,
            ports=ClusterPorts(
                web=free_port(), api=free_port(), smtp=free_port(), mail_web=free_port(), bounce=free_port()
            ),
            seed=True,
            log_dir=E2E_LOG_DIR.with_name("e2e-cluster"),
        )
    else:
        database = tmp_path_factory.mktemp("e2e-db") / "talent_pool.sqlite"
        running = start_stack(
            database_url=f"sqlite:///{database}",
            api_port=free_port(),
            web_port=free_port(),
            prod=True,
            seed=True,
            log_dir=E2E_LOG_DIR,
            # The reminder pass looks every 2 s, so a reminder whose time the test brought forward is caught soon.
            env_extra={"TP_REMINDER_INTERVAL_SECONDS": "2"},
        )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def cluster(stack: Stack) -> Cluster:
    """The running cluster, for fault tests; they are skipped on the `make run` topology."""
    if not isinstance(stack, Cluster):
        pytest.skip("needs the cluster topology: run through `make test-cluster`")
    return stack


@pytest.fixture(scope="session")
def base_url(stack: Stack) -> str:
    """Pages are opened relative to the Reflex app, e.g. `page.goto("/")`."""
    return stack.web_url


@pytest.fixture(scope="session")
def api_url(stack: Stack) -> str:
    """The BFF's base URL, for arranging data over HTTP."""
    return stack.api_url


@pytest.fixture(scope="session")
def demo_login() -> tuple[str, str]:
    """Email and password of the seeded demo user."""
    return DEMO_LOGIN


class MailCatcher:
    """The stack's mail catcher, read through its JSON API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def messages(self, to: str = "") -> list[dict[str, Any]]:
        """Caught emails (id, to, subject, received_at), newest first."""
        response = httpx.get(f"{self.url}/api/messages", params={"to": to} if to else None, timeout=10)
        response.raise_for_status()
        return response.json()

    def message(self, message_id: str) -> dict[str, Any]:
        """One caught email: to, from, subject, text, html and links."""
        response = httpx.get(f"{self.url}/api/messages/{message_id}", timeout=10)
        response.raise_for_status()
        return response.json()

    def wait_for_message(
        self,
        *,
        to: str,
        subject_contains: str = "",
        timeout: float = 20.0,
        ignore: Collection[str] = (),
    ) -> dict[str, Any]:
        """The newest email to `to` whose subject contains the text (ids in `ignore` skipped), once it arrives."""
        deadline = time.monotonic() + timeout
        while True:
            for summary in self.messages(to=to):
                if summary["id"] in ignore or subject_contains not in summary["subject"]:
                    continue
                if to.lower() in summary["to"].lower():
                    return self.message(summary["id"])
            if time.monotonic() >= deadline:
                seen = [(m["to"], m["subject"]) for m in self.messages()[:10]]
                raise AssertionError(
                    f"No email to {to!r} with {subject_contains!r} in its subject within {timeout:.0f} s; newest: {seen}"
                )
            time.sleep(0.25)  # the outbox sender delivers within about a second


@pytest.fixture(scope="session")
def mail(stack: Stack) -> MailCatcher:
    """The real SMTP catcher the BFF's outbox sender delivers to."""
    return MailCatcher(stack.mail_url)


@pytest.fixture
def fresh_context(browser: Any, base_url: str) -> Iterator[Callable[[], Any]]:
    """Opens pages in new browser contexts (no cookies shared with `page`); all closed after the test."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
