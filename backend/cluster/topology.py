"""Start the multi-process topology and keep it up: every replica that dies is started again.

    PostgreSQL (data in var/cluster/postgres)      Redis (the web app's state)
    migrations, once, before any replica
    nginx :3000 -> web-1, web-2  (Reflex backends; pages are the exported static files)
    nginx :8000 -> bff-1, bff-2  (Litestar, TP_RUN_SENDER=0, TP_RUN_IMPORTS=0)
    sender-1, sender-2           (python -m backend send)
    runner-1, runner-2           (python -m backend.imports.runner)
    mail catcher :1025 / :8025, bounce receiver :2525 (bounces of sent emails)

Replicas get free ports; only the load balancer's, the mail catcher's and the bounce receiver's are fixed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.cluster import nginx, postgres
from backend.processes import (
    FRONTEND_DIR,
    REPO_ROOT,
    WEB_READY_TIMEOUT_SECONDS,
    Child,
    ChildSpec,
    Stack,
    StackError,
    child_env,
    ensure_port_free,
    free_port,
    http_ok,
    run_step,
)
from backend.stack import LOCAL_BOUNCE_DOMAIN, bounce_spec, mail_spec, web_app_address

DEFAULT_CLUSTER_DIR = REPO_ROOT / "var" / "cluster"
DATABASE_NAME = "talent_pool"
POSTGRES_PORT = 5432
REPLICAS = 2
# A replica that dies is started again after this pause (as an orchestrator would).
RESTART_PAUSE_SECONDS = 1.0
RESTART_PAUSE_MAX_SECONDS = 30.0
# A replica that ran this long before it died is started again without waiting longer.
STABLE_SECONDS = 30.0
HOST = "127.0.0.1"


@dataclass
class Cluster(Stack):
    """A running cluster: a Stack whose dead replicas come back, and which also stops PostgreSQL."""

    cluster_dir: Path = field(default=DEFAULT_CLUSTER_DIR)
    redis_url: str = ""
    restarts: list[str] = field(default_factory=list)
    _quick_exits: dict[str, int] = field(default_factory=dict)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _supervisor: threading.Thread | None = None

    def child(self, name: str) -> Child:
        """The running child called `name` (e.g. "bff-1")."""
        with self._lock:
            return next(child for child in self.children if child.name == name)

    def supervise(self) -> None:
        """Start the thread that brings dead replicas back."""
        self._supervisor = threading.Thread(target=self._restart_dead, name="cluster-supervisor", daemon=True)
        self._supervisor.start()

    def _restart_dead(self) -> None:
        """Start dead replicas again; one that keeps dying soon after its start waits longer each time."""
        due: dict[str, float] = {}
        while not self._stopping.wait(0.5):
            with self._lock:
                for child in self.dead_children():
                    now = time.monotonic()
                    if child.name not in due:
                        quick = (
                            self._quick_exits.get(child.name, 0) + 1 if now - child.started_at < STABLE_SECONDS else 0
                        )
                        self._quick_exits[child.name] = quick
                        due[child.name] = now + min(RESTART_PAUSE_MAX_SECONDS, RESTART_PAUSE_SECONDS * 2**quick)
                        self.progress(f"{child.name} exited (code {child.process.returncode}); starting it again")
                    if now < due[child.name] or self._stopping.is_set():
                        continue
                    del due[child.name]
                    child.log_file.close()
                    self.children.remove(child)
                    self.restarts.append(child.name)
                    # Not waited for: the balancer skips the replica until it answers.
                    self.start_child(child.spec, append_log=True, wait=False)

    def is_ready(self, name: str) -> bool:
        """Whether the child called `name` runs and answers its readiness URLs."""
        child = self.child(name)
        return child.process.poll() is None and all(http_ok(url) for url in child.spec.ready_urls)

    def has_failed(self) -> bool:
        """Replicas are restarted, so the cluster as a whole only fails if its supervisor died."""
        return self._supervisor is not None and not self._supervisor.is_alive()

    def stop(self, grace_seconds: float = 8.0) -> None:
        """Stop the supervisor, every child, then PostgreSQL."""
        self._stopping.set()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join(timeout=10)
        with self._lock:
            super().stop(grace_seconds)
        with contextlib.suppress(Exception):
            postgres.stop(self.cluster_dir / "postgres")


def _secret_key(cluster_dir: Path) -> str:
    """The cluster's TP_SECRET_KEY, made once and kept in its folder: every process must share it
    (the web processes seal sign-in tickets with it), and it survives restarts."""
    path = cluster_dir / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _redis_ready(port: int) -> Callable[[], bool]:
    def ping() -> bool:
        try:
            with socket.create_connection((HOST, port), timeout=2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    return ping


def _redis_spec(env: Mapping[str, str], port: int, directory: Path) -> ChildSpec:
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(redis).exists():
        raise StackError("redis-server is not installed (make cluster-tools installs it)")
    directory.mkdir(parents=True, exist_ok=True)
    return ChildSpec(
        name="redis",
        description="Redis (the web app's state)",
        command=[
            redis,
            "--bind",
            HOST,
            "--port",
            str(port),
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=directory,
        env=env,
        ready_check=_redis_ready(port),
    )


def _python_spec(
    name: str, description: str, module_args: list[str], env: Mapping[str, str], ready_url: str = ""
) -> ChildSpec:
    return ChildSpec(
        name=name,
        description=description,
        command=[sys.executable, "-m", *module_args],
        cwd=REPO_ROOT,
        env=env,
        ready_urls=[ready_url] if ready_url else [],
    )


def _export_web_app(env: Mapping[str, str], web_url: str, cluster_dir: Path, log_dir: Path) -> Path:
    """Build the web app's static files once, for the balancer to serve (Reflex's `export`)."""
    build_dir = cluster_dir / "build"
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    run_step(
        "web-export",
        [
            sys.executable,
            "-m",
            "reflex",
            "export",
            "--frontend-only",
            "--env",
            "prod",
            "--zip-dest-dir",
            str(build_dir),
        ],
        {**env, "REFLEX_API_URL": web_url},
        log_dir,
        cwd=FRONTEND_DIR,
    )
    web_root = cluster_dir / "web-root"
    shutil.rmtree(web_root, ignore_errors=True)
    with zipfile.ZipFile(build_dir / "frontend.zip") as archive:
        archive.extractall(web_root)
    return web_root


@dataclass(frozen=True, kw_only=True)
class ClusterPorts:
    """The ports people use: the same as `make run`'s."""

    web: int = 3000
    api: int = 8000
    smtp: int = 1025
    mail_web: int = 8025
    bounce: int = 2525


def replica_specs(
    env: dict[str, str], ports: ClusterPorts, web_ports: list[int], api_ports: list[int], redis_url: str
) -> list[ChildSpec]:
    """The replicas, in start order: BFFs, senders and runners, then the web app's processes."""
    web_url = f"http://localhost:{ports.web}"
    api_lb = f"http://{HOST}:{ports.api}"
    mail_env = {"TP_SMTP_HOST": HOST, "TP_SMTP_PORT": str(ports.smtp), "TP_SMTP_TLS": "none"}
    server_env = {**env, **mail_env, "TP_PUBLIC_WEB_URL": env.get("TP_PUBLIC_WEB_URL", web_url)}
    server_env.setdefault("TP_TRUSTED_PROXIES", web_app_address(HOST))
    bff_env = {**server_env, "TP_RUN_SENDER": "0", "TP_RUN_IMPORTS": "0"}
    web_env = {key: value for key, value in env.items() if key != "DATABASE_URL"}
    web_env.update(
        {"TP_API_URL": api_lb, "REFLEX_REDIS_URL": redis_url, "REFLEX_API_URL": web_url, "GRANIAN_WORKERS": "1"}
    )
    specs = []
    for number, port in enumerate(api_ports, start=1):
        specs.append(
            _python_spec(
                f"bff-{number}",
                f"BFF replica {number}",
                ["backend", "serve", "--host", HOST, "--port", str(port)],
                bff_env,
                f"http://{HOST}:{port}/ready",
            )
        )
    for number in range(1, REPLICAS + 1):
        specs.append(_python_spec(f"sender-{number}", f"email sender {number}", ["backend", "send"], server_env))
        specs.append(
            _python_spec(f"runner-{number}", f"import runner {number}", ["backend.imports.runner"], server_env)
        )
    for number, port in enumerate(web_ports, start=1):
        reflex = [
            "reflex",
            "run",
            "--env",
            "prod",
            "--backend-only",
            "--backend-host",
            HOST,
            "--backend-port",
            str(port),
        ]
        spec = _python_spec(f"web-{number}", f"web app process {number}", reflex, web_env, f"http://{HOST}:{port}/ping")
        specs.append(
            ChildSpec(
                name=spec.name,
                description=spec.description,
                command=spec.command,
                cwd=FRONTEND_DIR,
                env=spec.env,
                ready_urls=spec.ready_urls,
                ready_timeout=WEB_READY_TIMEOUT_SECONDS,
            )
        )
    return specs


def mail_specs(env: Mapping[str, str], ports: ClusterPorts, store: Path) -> list[ChildSpec]:
    """The mail catcher (its Send a bounce delivers to the receiver) and the bounce receiver."""
    catcher = mail_spec(
        env=env,
        host=HOST,
        smtp_port=ports.smtp,
        mail_web_port=ports.mail_web,
        mail_store=store,
        bounce_port=ports.bounce,
    )
    return [catcher, bounce_spec(env=env, host=HOST, bounce_port=ports.bounce)]


def start_cluster(
    *,
    cluster_dir: Path = DEFAULT_CLUSTER_DIR,
    ports: ClusterPorts = ClusterPorts(),
    seed: bool = True,
    env_extra: Mapping[str, str] | None = None,
    log_dir: Path | None = None,
    mail_store: Path | None = None,
    progress: Callable[[str], None] = print,
) -> Cluster:
    """PostgreSQL, migrations (and demo data), then every child, each ready before the next starts."""
    log_dir = log_dir or cluster_dir / "logs"
    for port in (ports.web, ports.api, ports.smtp, ports.mail_web, ports.bounce):
        ensure_port_free(HOST, port)
    progress(f"PostgreSQL in {cluster_dir / 'postgres'} ...")
    database_url = postgres.start(cluster_dir / "postgres", POSTGRES_PORT, durable=True, database=DATABASE_NAME)
    redis_port = free_port(HOST)
    redis_url = f"redis://{HOST}:{redis_port}/0"
    cluster = Cluster(
        api_url=f"http://{HOST}:{ports.api}",
        web_url=f"http://localhost:{ports.web}",
        database_url=database_url,
        log_dir=log_dir,
        mail_url=f"http://localhost:{ports.mail_web}",
        smtp_port=ports.smtp,
        progress=progress,
        cluster_dir=cluster_dir,
        redis_url=redis_url,
    )
    try:
        secret = os.environ.get("TP_SECRET_KEY") or _secret_key(cluster_dir)
        env = child_env({"TP_SECRET_KEY": secret, **(env_extra or {}), "DATABASE_URL": database_url})
        # The senders' return addresses and the bounce receiver share the bounce domain (as with `make run`).
        env["TP_BOUNCE_DOMAIN"] = env.get("TP_BOUNCE_DOMAIN") or LOCAL_BOUNCE_DOMAIN
        progress(f"Database: {database_url}")
        run_step("migrate", [sys.executable, "-m", "backend", "migrate"], env, log_dir)
        if seed:
            run_step("seed", [sys.executable, "-m", "backend", "seed"], env, log_dir)
        progress("Building the web app (reflex export) ...")
        web_root = _export_web_app(env, cluster.web_url, cluster_dir, log_dir)
        web_ports = [free_port(HOST) for _ in range(REPLICAS)]
        api_ports = [free_port(HOST) for _ in range(REPLICAS)]
        store = mail_store or Path(tempfile.mkdtemp(prefix="talent-pool-mail-"))
        for spec in mail_specs(env, ports, store):
            cluster.start_child(spec)
        cluster.start_child(_redis_spec(env, redis_port, cluster_dir / "redis"))
        for spec in replica_specs(env, ports, web_ports, api_ports, redis_url):
            cluster.start_child(spec)
        prefix = cluster_dir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        (prefix / "nginx.conf").write_text(
            nginx.render(
                prefix=prefix,
                web_root=web_root,
                web_port=ports.web,
                api_port=ports.api,
                web_ports=web_ports,
                api_ports=api_ports,
            )
        )
        cluster.start_child(
            ChildSpec(
                name="nginx",
                description="the load balancer (nginx)",
                command=nginx.command(prefix),
                cwd=prefix,
                env=env,
                ready_urls=[f"{cluster.api_url}/ready", f"{cluster.web_url}/_ready", f"{cluster.web_url}/"],
            )
        )
    except BaseException:
        cluster.stop()
        raise
    cluster.supervise()
    return cluster
