"""Start and stop a local PostgreSQL server living in one folder: the test suite's throwaway
server, and the database of `make run-cluster`.

The server lives entirely in one folder and listens on a Unix socket in that
folder only (no TCP), so several can run side by side without port clashes.

    python -m backend.cluster.postgres start DIR [PORT]   # prints the DATABASE_URL
    python -m backend.cluster.postgres stop DIR
    python -m backend.cluster.postgres run [--port PORT] -- COMMAND ...

`run` starts a server in a new temporary folder, runs COMMAND with
DATABASE_URL pointing at it, always stops the server and removes the folder,
and exits with COMMAND's exit code.

`initdb` refuses to run as root, so when we are root the server runs as the
`postgres` OS user (created if missing) and DIR is handed to that user.

Importable as well: `start(dir, port) -> url` and `stop(dir)`.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE_NAME = "talent_pool_test"
DATABASE_USER = "app"
SERVER_USER = "postgres"
DEFAULT_PORT = 5433
START_TIMEOUT_SECONDS = 60

# Throwaway (test) servers trade durability for speed: their data is thrown away anyway.
_THROWAWAY_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _log(message: str) -> None:
    print(f"postgres_server: {message}", file=sys.stderr, flush=True)


def _is_root() -> bool:
    return os.geteuid() == 0


def _find_binary(name: str) -> str | None:
    """Find a PostgreSQL server binary on PATH or in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[4]) if Path(path).parts[4].isdigit() else 0,
    )
    return candidates[-1] if candidates else None


def _install_postgresql() -> None:
    """Install Debian's PostgreSQL packages (needs root)."""
    if not _is_root():
        raise SystemExit(
            "postgres_server: initdb/pg_ctl not found; install PostgreSQL "
            "(e.g. `apt-get install -y postgresql`) and try again"
        )
    _log("initdb/pg_ctl not found: installing Debian's postgresql package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=sys.stderr)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
        check=True,
        env=env,
        stdout=sys.stderr,
    )


def binary(name: str) -> str:
    """Return the path of a PostgreSQL binary, installing PostgreSQL if needed."""
    path = _find_binary(name)
    if path is None:
        _install_postgresql()
        path = _find_binary(name)
    if path is None:
        raise SystemExit(f"postgres_server: {name} not found even after installing PostgreSQL")
    return path


def _ensure_server_user() -> None:
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        _log(f"creating the {SERVER_USER!r} system user")
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", SERVER_USER],
            check=True,
        )


def _as_server_user(command: list[str]) -> list[str]:
    """Prefix a command so it runs as the `postgres` user when we are root."""
    if _is_root():
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return command


def _hand_over(directory: Path) -> None:
    """Give DIR to the server user; the socket and data folder live inside it."""
    if not _is_root():
        return
    entry = pwd.getpwnam(SERVER_USER)
    os.chown(directory, entry.pw_uid, entry.pw_gid)
    directory.chmod(0o700)


def database_url(directory: str | os.PathLike[str], port: int, database: str = DATABASE_NAME) -> str:
    """Return the DATABASE_URL for a server started in DIR on PORT."""
    folder = Path(directory).resolve()
    return f"postgresql://{DATABASE_USER}@/{database}?host={folder}&port={port}"


def is_running(directory: str | os.PathLike[str]) -> bool:
    """Tell whether the server in DIR is up."""
    folder = Path(directory).resolve()
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        return False
    status = subprocess.run(
        _as_server_user([binary("pg_ctl"), "-D", str(data), "status"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return status.returncode == 0


def start(
    directory: str | os.PathLike[str],
    port: int = DEFAULT_PORT,
    *,
    durable: bool = False,
    database: str = DATABASE_NAME,
    options: str = "",
) -> str:
    """Start (initialising if needed) a server in DIR on PORT; return its DATABASE_URL.

    A `durable` server keeps PostgreSQL's crash-safe defaults; otherwise it skips fsync (test data).
    `options` are more server settings (`-c name=value …`).
    """
    folder = Path(directory).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
    bin_dir = Path(pg_ctl).resolve().parent
    if _is_root():
        _ensure_server_user()
    _hand_over(folder)
    data = folder / "data"

    if not (data / "PG_VERSION").exists():
        _log(f"initdb in {data}")
        subprocess.run(
            _as_server_user(
                [
                    initdb,
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    DATABASE_USER,
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    if not is_running(folder):
        _log(f"starting on socket {folder}/.s.PGSQL.{port}")
        server_options = f"-p {port} -k {folder} -c listen_addresses='' {options}"
        if not durable:
            server_options += f" {_THROWAWAY_OPTIONS}"
        subprocess.run(
            _as_server_user(
                [
                    pg_ctl,
                    "-D",
                    str(data),
                    "-o",
                    server_options,
                    "-l",
                    str(folder / "log"),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_SECONDS),
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    _create_database(bin_dir, folder, port, database)
    return database_url(folder, port, database)


def _create_database(bin_dir: Path, folder: Path, port: int, database: str) -> None:
    psql = str(bin_dir / "psql") if (bin_dir / "psql").exists() else binary("psql")
    connection = ["-h", str(folder), "-p", str(port), "-U", DATABASE_USER]
    exists = subprocess.run(
        [psql, *connection, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(
            [psql, *connection, "-d", "postgres", "-q", "-c", f'CREATE DATABASE "{database}"'],
            check=True,
        )


def stop(directory: str | os.PathLike[str]) -> None:
    """Stop the server in DIR (fast shutdown); a no-op when it is not running."""
    folder = Path(directory).resolve()
    data = folder / "data"
    if not (data / "PG_VERSION").exists() or not is_running(folder):
        return
    _log(f"stopping the server in {folder}")
    subprocess.run(
        _as_server_user([binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run(command: list[str], port: int = DEFAULT_PORT) -> int:
    """Run COMMAND against a fresh server; always stop and remove it; return the exit code."""
    if not command:
        raise SystemExit("postgres_server: run needs a command after --")
    folder = Path(tempfile.mkdtemp(prefix="talent-pool-pg-"))

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        url = start(folder, port)
        _log(f"DATABASE_URL={url}")
        result = subprocess.run(command, env={**os.environ, "DATABASE_URL": url})
        # A command killed by a signal reports -N; exit like a shell would (128 + N).
        return 128 - result.returncode if result.returncode < 0 else result.returncode
    finally:
        try:
            stop(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="action", required=True)
    start_parser = commands.add_parser("start", help="start a server, print its DATABASE_URL")
    start_parser.add_argument("dir")
    start_parser.add_argument("port", nargs="?", type=int, default=DEFAULT_PORT)
    stop_parser = commands.add_parser("stop", help="stop the server in DIR")
    stop_parser.add_argument("dir")
    run_parser = commands.add_parser("run", help="run a command against a throwaway server")
    run_parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.action == "start":
        print(start(args.dir, args.port))
        return 0
    if args.action == "stop":
        stop(args.dir)
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run(command, args.port)


if __name__ == "__main__":
    sys.exit(main())
