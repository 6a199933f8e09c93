"""Supervised child processes: start each in its own session (process group), wait until it is
ready, keep one log file per child, and stop whole groups (SIGTERM, then SIGKILL).

`backend/stack.py` (`make run`) and `backend/cluster/` (`make run-cluster`) start their children
with these; so do the browser tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parent.parent
FRONTEND_DIR = REPO_ROOT / "frontend"
TOOLS_BIN = REPO_ROOT / ".tools" / "node_modules" / ".bin"

# The first Reflex start installs the frontend packages and builds the bundle.
WEB_READY_TIMEOUT_SECONDS = 600.0
API_READY_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 8.0
PROGRESS_EVERY_SECONDS = 15.0


class StackError(RuntimeError):
    """A step or child process of the stack failed to start."""


@dataclass(frozen=True, kw_only=True)
class ChildSpec:
    """How to start one long-running child process and tell that it is ready."""

    name: str
    command: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    ready_urls: Sequence[str] = ()
    # For children that do not speak HTTP (e.g. Redis): ready once this returns True.
    ready_check: Callable[[], bool] | None = None
    ready_timeout: float = API_READY_TIMEOUT_SECONDS
    description: str = ""


@dataclass
class Child:
    """A started child process and its log."""

    spec: ChildSpec
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]
    started_at: float = field(default_factory=time.monotonic)

    @property
    def name(self) -> str:
        """The child's short name, also its log file's stem."""
        return self.spec.name


def _set_parent_death_signal() -> None:
    """Ask Linux to SIGTERM the child if this process dies without cleaning up."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def ensure_port_free(host: str, port: int) -> None:
    """Fail early and clearly when something already listens on PORT (it could answer our readiness checks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise StackError(f"port {port} on {host} is already in use ({error.strerror})") from None


def tcp_open(host: str, port: int) -> Callable[[], bool]:
    """A readiness check: whether something accepts TCP connections on host:port."""

    def check() -> bool:
        try:
            with socket.create_connection((host, port), timeout=2):
                return True
        except OSError:
            return False

    return check


def log_tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def http_ok(url: str) -> bool:
    """Whether a GET of `url` answers 200 within 5 seconds."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Stack:
    """The running stack: its URLs and child processes."""

    api_url: str
    web_url: str
    database_url: str
    log_dir: Path
    mail_url: str = ""
    smtp_port: int = 0
    children: list[Child] = field(default_factory=list)
    progress: Callable[[str], None] = print

    def start_child(self, spec: ChildSpec, append_log: bool = False, wait: bool = True) -> Child:
        """Start one child in its own session and (unless not `wait`) wait until it is ready."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{spec.name}.log"
        log_file = log_path.open("ab" if append_log else "wb")
        process = subprocess.Popen(
            list(spec.command),
            cwd=spec.cwd,
            env=dict(spec.env),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_set_parent_death_signal,
        )
        child = Child(spec=spec, process=process, log_path=log_path, log_file=log_file)
        self.children.append(child)
        if wait and (spec.ready_urls or spec.ready_check):
            self._wait_ready(child)
        return child

    def _wait_ready(self, child: Child) -> None:
        spec = child.spec
        what = spec.description or spec.name
        self.progress(f"Starting {what} (log: {child.log_path}) ...")
        started = time.monotonic()
        next_progress = started + PROGRESS_EVERY_SECONDS
        pending = list(spec.ready_urls)
        while True:
            if child.process.poll() is not None:
                raise StackError(
                    f"{spec.name} exited with code {child.process.returncode} while starting; "
                    f"last lines of {child.log_path}:\n{log_tail(child.log_path)}"
                )
            while pending and http_ok(pending[0]):
                pending.pop(0)
            if not pending and (spec.ready_check is None or spec.ready_check()):
                where = f" at {spec.ready_urls[0]}" if spec.ready_urls else ""
                self.progress(f"{what} is ready{where} ({time.monotonic() - started:.0f}s)")
                return
            now = time.monotonic()
            if now - started > spec.ready_timeout:
                raise StackError(
                    f"{spec.name} did not answer {pending[0] if pending else 'its readiness check'} "
                    f"within {spec.ready_timeout:.0f}s; "
                    f"last lines of {child.log_path}:\n{log_tail(child.log_path)}"
                )
            if now >= next_progress:
                self.progress(f"  still waiting for {what} ({now - started:.0f}s) ...")
                next_progress = now + PROGRESS_EVERY_SECONDS
            time.sleep(0.5)

    def dead_children(self) -> list[Child]:
        """Children that have exited although the stack is still meant to run."""
        return [child for child in self.children if child.process.poll() is not None]

    def has_failed(self) -> bool:
        """Whether a child exited (said, with its log's last lines): the stack cannot go on without it."""
        if dead := self.dead_children():
            child = dead[0]
            self.progress(
                f"\n{child.name} exited unexpectedly (code {child.process.returncode}); "
                f"last lines of {child.log_path}:\n{log_tail(child.log_path)}"
            )
            return True
        return False

    def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Stop every child's whole process group: SIGTERM, then SIGKILL after a grace period."""
        children, self.children = list(reversed(self.children)), []
        for child in children:
            _signal_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline:
            for child in children:
                child.process.poll()  # reap the leader so its group can empty
            if not any(_group_alive(child.process.pid) for child in children):
                break
            time.sleep(0.1)
        for child in children:
            if _group_alive(child.process.pid):
                self.progress(f"{child.name} did not stop in {grace_seconds:.0f}s: killing it")
                _signal_group(child.process.pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=5)
            child.log_file.close()

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def child_env(env_extra: Mapping[str, str] | None) -> dict[str, str]:
    """This process's environment for a child: bun from .tools/ on PATH, Reflex kept offline, plus `env_extra`."""
    env = dict(os.environ)
    env["PATH"] = f"{TOOLS_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    # Reflex must use the bun installed by `make install`; it cannot download its own here.
    env["REFLEX_USE_SYSTEM_BUN"] = "1"
    env["REFLEX_CHECK_LATEST_VERSION"] = "0"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env.update(env_extra or {})
    return env


def run_step(name: str, command: Sequence[str], env: Mapping[str, str], log_dir: Path, cwd: Path = REPO_ROOT) -> str:
    """Run a one-shot command (e.g. migrate) to completion; return its output or raise StackError."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = result.stdout.decode(errors="replace")
    log_path.write_text(output)
    if result.returncode != 0:
        raise StackError(f"`{' '.join(command)}` failed with code {result.returncode}:\n{output[-4000:]}")
    return output


class Interrupted(Exception):
    """A stop signal (Ctrl-C, SIGTERM, SIGHUP) arrived."""


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Turn SIGINT/SIGTERM/SIGHUP into Interrupted, even where a parent shell ignored them."""

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def env_port(name: str, default: int) -> int:
    """The port in environment variable `name`, or `default` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default
