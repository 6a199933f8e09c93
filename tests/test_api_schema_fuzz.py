"""schemathesis over the whole BFF API, as a company user and as a worker, with every check.

The BFF runs as `make run` starts it (`python -m backend serve`) against this run's migrated
database (SQLite or PostgreSQL) with the demo data; the tokens come from the real log-in and
link sign-up routes. Every operation must answer without a server error and only with
statuses, media types and bodies its OpenAPI schema documents. Bounded to about 3 minutes
(`TP_FUZZ_SECONDS` sets the budget of the two main runs together).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.processes import REPO_ROOT, free_port
from backend.seed import DEMO_EMAIL, DEMO_PASSWORD

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
FUZZ_SECONDS = int(os.environ.get("TP_FUZZ_SECONDS", "150"))
# Logging out ends the session every other operation runs with: those two run on their own tokens.
LOGOUT = r"/logout$"


@pytest.fixture
def bff(tmp_path: Path) -> Iterator[str]:
    """The BFF on a free port with the demo data, started as `make run` starts it."""
    env = {**os.environ, "TP_RUN_SENDER": "0", "TP_RUN_IMPORTS": "1", "TP_FILES_DIR": str(tmp_path / "files")}
    # The tests' in-process engine opens a connection per query (tests/conftest.py); the BFF runs with its defaults.
    env.pop("TP_DATABASE_POOL", None)
    subprocess.run(
        [sys.executable, "-m", "backend", "seed", "--contacts", "60"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log_path = tmp_path / "api.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "backend", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the BFF stopped at start:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the BFF did not answer within 60 s:\n{log_path.read_text()[-3000:]}")


def company_token(url: str) -> str:
    """A session of the demo company's user, from the real log-in route."""
    response = httpx.post(f"{url}/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def worker_token(url: str, company: str, email: str) -> str:
    """A new worker's session: the company creates a link, the person signs up through it."""
    headers = {"Authorization": f"Bearer {company}"}
    link = httpx.post(f"{url}/api/links", json={"label": f"Fuzz {email}"}, headers=headers)
    assert link.status_code == 201, link.text
    token = link.json()["url"].rsplit("/", 1)[-1]
    signup = httpx.post(
        f"{url}/api/public/links/{token}/signup",
        json={"name": "Fuzz Worker", "email": email, "password": "fuzz-password-123"},
    )
    assert signup.status_code == 201, signup.text
    return signup.json()["token"]


def schemathesis(url: str, token: str, seconds: int, *filters: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One schemathesis run with every check (see CONFIG) over the operations the filters select (its cache goes to `cwd`)."""
    # One worker: with several, hypothesis parses lambdas' source in threads at once, which CPython 3.11's
    # parser can fail on ("AST constructor recursion depth mismatch") and the run stops with an error.
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "--no-color",
        "run", f"{url}/schema/openapi.json",
        "-H", f"Authorization: Bearer {token}",
        "--max-time", str(seconds), "--workers", "1",
        "--generation-database", "none", *filters,
    ]  # fmt: skip
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=seconds + 120)


def assert_clean(run: subprocess.CompletedProcess[str], who: str, authenticated: str = "") -> None:
    """No failure of any check (no server error, nothing the schema does not document), and the
    session stayed valid: `authenticated` (an operation) is not among those that only got 401s."""
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"schemathesis as {who} found problems:\n{output[-12000:]}"
    only_401 = output.partition("401 Unauthorized (")[2].partition("💡")[0]
    assert f"- {authenticated}\n" not in only_401, f"the session of {who} stopped working:\n{output[-6000:]}"


@pytest.mark.timeout(FUZZ_SECONDS + 400)
def test_fuzz_api_schema_no_server_error_nor_undocumented_response(bff: str, tmp_path: Path):
    """Company user, worker and both log-outs: schemathesis finds nothing."""
    company = company_token(bff)
    worker = worker_token(bff, company, "fuzz.worker@example.com")
    # Taken before the runs: they use up the public routes' rate limit.
    company_leaving = company_token(bff)
    worker_leaving = worker_token(bff, company, "fuzz.leaver@example.com")

    # One filter of each kind: a second `--exclude-path-regex` would replace the first.
    company_only = ("--exclude-path-regex", f"{LOGOUT}|^/api/worker/")
    as_company = schemathesis(bff, company, FUZZ_SECONDS * 3 // 5, *company_only, cwd=tmp_path)
    assert_clean(as_company, "a company user", "GET /api/contacts")
    worker_and_public = ("--include-path-regex", "^/api/(worker|public)/", "--exclude-path-regex", LOGOUT)
    as_worker = schemathesis(bff, worker, FUZZ_SECONDS * 2 // 5, *worker_and_public, cwd=tmp_path)
    assert_clean(as_worker, "a worker", "GET /api/worker/offers")

    logouts = schemathesis(bff, company_leaving, 10, "--include-path", "/api/auth/logout", cwd=tmp_path)
    assert_clean(logouts, "a company user logging out")
    logouts = schemathesis(bff, worker_leaving, 10, "--include-path", "/api/worker/auth/logout", cwd=tmp_path)
    assert_clean(logouts, "a worker logging out")
