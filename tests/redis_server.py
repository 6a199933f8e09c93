"""A throwaway Redis server for tests: Debian's redis-server on a free port, in a temporary folder, saving nothing."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT_SECONDS = 10.0
SKIP_REASON = "redis-server is not installed (Debian package redis-server: apt-get install redis-server)"


def redis_binary() -> str | None:
    """The redis-server binary, or None when it is not installed."""
    found = shutil.which("redis-server")
    if found:
        return found
    return "/usr/bin/redis-server" if Path("/usr/bin/redis-server").is_file() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """Start redis-server, yield its URL, stop it (nothing is written to disk)."""
    binary = redis_binary()
    if binary is None:
        raise RuntimeError(SKIP_REASON)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="talent-pool-redis-") as folder:
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen([*command, "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while not _answers_ping(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {port}")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real Redis server for a test module (import this fixture into the module)."""
    if redis_binary() is None:
        pytest.skip(SKIP_REASON)
    with running_redis() as url:
        yield url
