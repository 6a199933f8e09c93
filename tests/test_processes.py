"""The real processes: the BFF started exactly as `make run` starts it, the dedicated sender and import runner,
and what SIGTERM does to each (requests in flight finish, an import's lease is let go at once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from backend.cluster.topology import ClusterPorts, replica_specs
from backend.contacts.tables import Contact
from backend.imports.tables import CsvImport
from backend.processes import REPO_ROOT, ChildSpec, Stack, free_port
from backend.stack import child_specs
from shared.imports import ImportStatus

PASSWORD = "a-long-enough-password-42"
STOP_TIMEOUT_SECONDS = 30.0
# Enough rows for several of the runner's 20,000-row batches, so SIGTERM lands in the middle of the import.
IMPORT_ROWS = 120_000


def _environment(tmp_path: Path) -> dict[str, str]:
    """This machine's environment without the test suite's own TP_* settings; the suite's database and a file store."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TP_")}
    env.update(
        {"DATABASE_URL": os.environ["DATABASE_URL"], "TP_FILES_DIR": str(tmp_path / "files"), "PYTHONUNBUFFERED": "1"}
    )
    return env


@contextmanager
def running_stack(tmp_path: Path) -> Iterator[tuple[Stack, dict[str, ChildSpec]]]:
    """The specs `make run` starts its children from (mail catcher, BFF, web app), and a Stack that stops what was started."""
    host = "127.0.0.1"
    specs = child_specs(
        env=_environment(tmp_path),
        host=host,
        api_port=free_port(host),
        web_port=free_port(host),
        reflex_backend_port=free_port(host),
        prod=True,
        smtp_port=free_port(host),
        mail_web_port=free_port(host),
        mail_store=tmp_path / "mail",
    )
    stack = Stack(
        api_url="",
        web_url="",
        database_url=os.environ["DATABASE_URL"],
        log_dir=tmp_path / "logs",
        progress=lambda _: None,
    )
    try:
        yield stack, {spec.name: spec for spec in specs}
    finally:
        stack.stop()


def _api_url(spec: ChildSpec) -> str:
    return spec.ready_urls[0].removesuffix("/ready")


def _stop(process: subprocess.Popen, log_path: Path | None = None) -> int:
    """SIGTERM, then the exit code once the process has stopped on its own.

    A process still running after the timeout is asked for its threads' stacks (SIGUSR1), and the
    failure shows the end of its log, so a stop that hangs says where it waits.
    """
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)
        time.sleep(2)
        tail = log_path.read_text(errors="replace")[-8000:] if log_path is not None else ""
        pytest.fail(f"pid {process.pid} did not stop within {STOP_TIMEOUT_SECONDS:.0f} s of SIGTERM; log:\n{tail}")


def _sign_up(api_url: str, email: str) -> dict[str, str]:
    """Sign a company up, log in, and return the log-in's authorization headers."""
    body = {"company_name": "Process Test Ltd", "name": "Pat Process", "email": email, "password": PASSWORD}
    signed_up = httpx.post(f"{api_url}/api/auth/signup", json=body, timeout=30)
    assert signed_up.status_code == 201, signed_up.text
    logged_in = httpx.post(f"{api_url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    assert logged_in.status_code == 200, logged_in.text
    return {"Authorization": f"Bearer {logged_in.json()['token']}"}


def _csv(rows: int, prefix: str) -> bytes:
    return ("Name,Email\r\n" + "".join(f"Person {i},{prefix}{i}@example.com\r\n" for i in range(rows))).encode()


def _start_process(
    module_args: tuple[str, ...], spec: ChildSpec, tmp_path: Path, name: str
) -> tuple[subprocess.Popen, Path]:
    """`python -m module [args]` with the BFF's environment, its output in a log file."""
    log_path = tmp_path / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", *module_args],
            cwd=REPO_ROOT,
            env=dict(spec.env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, log_path


def _wait_for_line(process: subprocess.Popen, log_path: Path, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in log_path.read_text(errors="replace"):
        assert process.poll() is None, f"exited with {process.returncode}:\n{log_path.read_text(errors='replace')}"
        assert time.monotonic() < deadline, (
            f"no {text!r} within {timeout:.0f}s:\n{log_path.read_text(errors='replace')}"
        )
        time.sleep(0.1)


def _wait_for_processed(
    api_url: str, headers: dict[str, str], import_id: int, at_least: int, timeout: float = 120.0
) -> dict:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as http:
        while True:
            summary = http.get(f"/api/imports/{import_id}").json()
            if summary["processed"] >= at_least or summary["status"] != ImportStatus.IMPORTING.value:
                return summary
            assert time.monotonic() < deadline, summary
            time.sleep(0.05)


async def test_start_bff_as_make_run_does_answers_ready_and_real_requests(tmp_path):
    with running_stack(tmp_path) as (stack, specs):
        stack.start_child(specs["mail"])
        bff = stack.start_child(specs["api"])  # ready once /ready answers 200
        api_url = _api_url(specs["api"])
        assert "TP_DATABASE_POOL" not in specs["api"].env and "TP_RUN_SENDER" not in specs["api"].env
        assert httpx.get(f"{api_url}/ready", timeout=5).json() == {"status": "ready"}
        headers = _sign_up(api_url, "owner@process-start.example")
        me = httpx.get(f"{api_url}/api/auth/me", headers=headers, timeout=10)
        assert me.status_code == 200 and me.json()["user"]["email"] == "owner@process-start.example"
        assert _stop(bff.process) == 0


async def test_start_bff_as_make_run_cluster_does_answers_ready_and_real_requests(tmp_path):
    """A BFF replica from the specs `make run-cluster` starts, on this suite's database: no sender, no runner."""
    ports = ClusterPorts(web=free_port(), api=free_port(), smtp=free_port(), mail_web=free_port())
    specs = replica_specs(_environment(tmp_path), ports, [free_port()], [free_port()], "redis://127.0.0.1:1/0")
    bff_spec = next(spec for spec in specs if spec.name == "bff-1")
    assert bff_spec.env["TP_RUN_SENDER"] == "0" and bff_spec.env["TP_RUN_IMPORTS"] == "0"
    assert "TP_DATABASE_POOL" not in bff_spec.env
    with running_stack(tmp_path) as (stack, _):
        bff = stack.start_child(bff_spec)
        api_url = _api_url(bff_spec)
        assert httpx.get(f"{api_url}/ready", timeout=5).json() == {"status": "ready"}
        headers = _sign_up(api_url, "owner@cluster-start.example")
        assert httpx.get(f"{api_url}/api/auth/me", headers=headers, timeout=10).status_code == 200
        assert _stop(bff.process) == 0


@pytest.mark.parametrize(
    ("module_args", "started"),
    [(("backend", "send"), "outbox sender started"), (("backend.imports.runner",), "import runner started")],
)
async def test_start_dedicated_process_stops_cleanly_on_sigterm(tmp_path, module_args, started):
    with running_stack(tmp_path) as (_, specs):
        process, log_path = _start_process(module_args, specs["api"], tmp_path, "-".join(module_args))
        try:
            _wait_for_line(process, log_path, started)
            assert _stop(process, log_path) == 0
        finally:
            if process.poll() is None:
                process.kill()
        assert "Traceback" not in log_path.read_text(errors="replace")


async def test_sigterm_bff_lets_request_in_flight_finish(tmp_path):
    with running_stack(tmp_path) as (stack, specs):
        stack.start_child(specs["mail"])
        bff = stack.start_child(specs["api"])
        api_url = _api_url(specs["api"])
        headers = _sign_up(api_url, "owner@process-drain.example")
        answers: list[httpx.Response] = []
        # A large CSV upload: the BFF reads and judges every row before it answers.
        body, sent = _csv(IMPORT_ROWS, "drain"), threading.Event()

        def chunks():
            for start in range(0, len(body), 65_536):
                yield body[start : start + 65_536]
            sent.set()

        upload = threading.Thread(
            target=lambda: answers.append(
                httpx.post(f"{api_url}/api/imports", content=chunks(), headers=headers, timeout=60)
            )
        )
        upload.start()
        assert sent.wait(60)  # the whole body is on its way: the BFF is reading this request
        bff.process.send_signal(signal.SIGTERM)
        upload.join(timeout=60)
        assert answers and answers[0].status_code == 201, answers
        assert answers[0].json()["total_rows"] == IMPORT_ROWS
        assert bff.process.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{api_url}/health", timeout=2)


async def test_sigterm_bff_releases_import_lease_and_runner_resumes_it(tmp_path):
    with running_stack(tmp_path) as (stack, specs):
        stack.start_child(specs["mail"])
        bff = stack.start_child(specs["api"])
        api_url = _api_url(specs["api"])
        headers = _sign_up(api_url, "owner@process-lease.example")
        uploaded = httpx.post(f"{api_url}/api/imports", content=_csv(IMPORT_ROWS, "lease"), headers=headers, timeout=60)
        assert uploaded.status_code == 201, uploaded.text
        import_id = uploaded.json()["id"]
        started = httpx.post(
            f"{api_url}/api/imports/{import_id}/start", json={"message": ""}, headers=headers, timeout=30
        )
        assert started.status_code == 202, started.text
        _wait_for_processed(api_url, headers, import_id, at_least=1)

        assert _stop(bff.process) == 0
        record = await CsvImport.select().where(CsvImport.id == import_id).first()
        assert record["status"] == ImportStatus.IMPORTING.value and 0 < record["processed"] < IMPORT_ROWS
        assert record["claim_token"] is None and record["lease_until"] is None

        runner, log_path = _start_process(("backend.imports.runner",), specs["api"], tmp_path, "runner")
        try:
            resumed_at = time.monotonic()
            deadline = resumed_at + 120
            while (record := await CsvImport.select().where(CsvImport.id == import_id).first())[
                "status"
            ] == ImportStatus.IMPORTING.value:
                assert runner.poll() is None and time.monotonic() < deadline, log_path.read_text(errors="replace")
                if record["claim_token"] is not None:
                    break
                time.sleep(0.1)
            # Taken over at once (the runner looks every 2 s), not after the 60 s lease.
            assert time.monotonic() - resumed_at < 20
            while (record := await CsvImport.select().where(CsvImport.id == import_id).first())[
                "status"
            ] == ImportStatus.IMPORTING.value:
                assert runner.poll() is None and time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.2)
            assert record["status"] == ImportStatus.DONE.value and record["processed"] == IMPORT_ROWS
            assert await Contact.count().where(Contact.email.like("lease%@example.com")) == IMPORT_ROWS
            assert _stop(runner) == 0
        finally:
            if runner.poll() is None:
                runner.kill()
