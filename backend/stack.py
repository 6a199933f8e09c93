"""Run the whole local stack (migrations, BFF, Reflex app) as supervised child processes.

Used by `make run` (`python -m backend.stack run`) and by the browser tests in
e2e/, so both start the stack the same way. Each child runs in its own session
(process group), so stopping it also stops everything it spawned (granian
workers, bun/Vite). Child output goes to one log file per child.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from backend.processes import (
    API_READY_TIMEOUT_SECONDS,
    FRONTEND_DIR,
    REPO_ROOT,
    WEB_READY_TIMEOUT_SECONDS,
    ChildSpec,
    Interrupted,
    Stack,
    StackError,
    child_env,
    ensure_port_free,
    env_port,
    free_port,
    run_step,
    stop_signals,
    tcp_open,
)

DEFAULT_LOG_DIR = REPO_ROOT / "var" / "logs"
DEFAULT_MAIL_STORE = REPO_ROOT / "var" / "mail"
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'talent_pool.sqlite'}"
DEMO_LOGIN = ("demo@talentpool.example", "demo-password-123")
# The local stack's bounce addresses: bounce+{id}-{signature}@ this domain, received by `python -m backend bounces`.
LOCAL_BOUNCE_DOMAIN = "bounces.localhost"


def web_app_address(host: str) -> str:
    """The address the web app's calls to the BFF come from, when both listen on `host`."""
    return "127.0.0.1,::1" if host in ("127.0.0.1", "localhost", "0.0.0.0", "::", "::1") else host


def mail_spec(
    *, env: Mapping[str, str], host: str, smtp_port: int, mail_web_port: int, mail_store: Path, bounce_port: int = 0
) -> ChildSpec:
    """The local mail catcher: an SMTP server keeping every email, and a web page and JSON API to read them.

    With `bounce_port`, its "Send a bounce" button delivers a bounce to the bounce receiver there.
    """
    bounce_args = ("--bounce-smtp", f"{host}:{bounce_port}") if bounce_port else ()
    return ChildSpec(
        name="mail",
        description="the mail catcher (SMTP + web)",
        command=[
            *(sys.executable, "-m", "backend.mailcatcher", "--host", host),
            *("--smtp-port", str(smtp_port), "--http-port", str(mail_web_port), "--store", str(mail_store)),
            *bounce_args,
        ],
        cwd=REPO_ROOT,
        env=env,
        ready_urls=[f"http://{host}:{mail_web_port}/api/messages"],
        ready_timeout=API_READY_TIMEOUT_SECONDS,
    )


def bounce_spec(*, env: Mapping[str, str], host: str, bounce_port: int) -> ChildSpec:
    """The bounce receiver: an SMTP server taking bounces for the outbox's signed envelope senders."""
    return ChildSpec(
        name="bounces",
        description="the bounce receiver (SMTP)",
        command=[sys.executable, "-m", "backend", "bounces", "--host", host, "--port", str(bounce_port)],
        cwd=REPO_ROOT,
        env=env,
        ready_check=tcp_open(host, bounce_port),
        ready_timeout=API_READY_TIMEOUT_SECONDS,
    )


def child_specs(
    *,
    env: Mapping[str, str],
    host: str,
    api_port: int,
    web_port: int,
    reflex_backend_port: int,
    prod: bool,
    smtp_port: int,
    mail_web_port: int,
    mail_store: Path,
    bounce_port: int | None = None,
) -> list[ChildSpec]:
    """The long-running children, in start order; each is ready before the next starts."""
    # Not given (only specs, nothing started): any free port will do.
    bounce_port = bounce_port or free_port()
    # The sender's envelope senders and the bounce receiver share the bounce domain.
    env = {**env, "TP_BOUNCE_DOMAIN": env.get("TP_BOUNCE_DOMAIN") or LOCAL_BOUNCE_DOMAIN}
    api_url = f"http://{host}:{api_port}"
    web_url = f"http://localhost:{web_port}"
    api_env = {**env, "TP_PUBLIC_WEB_URL": env.get("TP_PUBLIC_WEB_URL", web_url)}
    # The web app forwards its visitors' addresses (X-Forwarded-For); the BFF believes only the web app.
    api_env.setdefault("TP_TRUSTED_PROXIES", web_app_address(host))
    # The BFF's outbox sender delivers to the local mail catcher.
    api_env.update({"TP_SMTP_HOST": host, "TP_SMTP_PORT": str(smtp_port), "TP_SMTP_TLS": "none"})
    # The web app only talks to the BFF over HTTP: it gets no database settings.
    web_env = {key: value for key, value in env.items() if key != "DATABASE_URL"}
    web_env["TP_API_URL"] = api_url
    # Prod mode builds the bundle, then serves page and websocket on one port;
    # dev mode runs the Vite dev server and the Reflex backend on two.
    reflex_port = web_port if prod else reflex_backend_port
    reflex_url = f"http://localhost:{reflex_port}"
    reflex_args = [
        *("--env", "prod" if prod else "dev"),
        *("--frontend-port", str(web_port), "--backend-port", str(reflex_port)),
    ]
    return [
        mail_spec(
            env=env,
            host=host,
            smtp_port=smtp_port,
            mail_web_port=mail_web_port,
            mail_store=mail_store,
            bounce_port=bounce_port,
        ),
        bounce_spec(env=env, host=host, bounce_port=bounce_port),
        ChildSpec(
            name="api",
            description="the BFF (Litestar)",
            command=[sys.executable, "-m", "backend", "serve", "--host", host, "--port", str(api_port)],
            cwd=REPO_ROOT,
            env=api_env,
            ready_urls=[f"{api_url}/ready"],
            ready_timeout=API_READY_TIMEOUT_SECONDS,
        ),
        ChildSpec(
            name="web",
            description=f"the Reflex app ({'prod build' if prod else 'dev server'})",
            command=[sys.executable, "-m", "reflex", "run", *reflex_args, "--backend-host", host],
            cwd=FRONTEND_DIR,
            env=web_env,
            # The page, and the Reflex backend the page's websocket talks to.
            ready_urls=[f"{web_url}/", f"{reflex_url}/ping"],
            ready_timeout=WEB_READY_TIMEOUT_SECONDS,
        ),
    ]


def start_stack(
    *,
    database_url: str,
    api_port: int,
    web_port: int,
    reflex_backend_port: int | None = None,
    prod: bool = True,
    env_extra: Mapping[str, str] | None = None,
    seed: bool = False,
    host: str = "127.0.0.1",
    log_dir: Path = DEFAULT_LOG_DIR,
    progress: Callable[[str], None] = print,
    smtp_port: int | None = None,
    mail_web_port: int | None = None,
    mail_store: Path | None = None,
    bounce_port: int | None = None,
) -> Stack:
    """Migrate (and optionally seed) the database, then start every child and wait until all answer.

    On any failure the children already started are stopped before the error propagates.
    `reflex_backend_port` is used in dev mode only; prod mode serves everything on `web_port`.
    The mail catcher gets free ports and a fresh folder unless they are given.
    """
    smtp_port = smtp_port or free_port(host)
    mail_web_port = mail_web_port or free_port(host)
    mail_store = mail_store or Path(tempfile.mkdtemp(prefix="talent-pool-mail-"))
    bounce_port = bounce_port or free_port(host)
    env = child_env({**(env_extra or {}), "DATABASE_URL": database_url})
    if not prod and reflex_backend_port is None:
        raise ValueError("dev mode needs a reflex_backend_port")
    ports = [api_port, web_port, smtp_port, mail_web_port, bounce_port]
    if reflex_backend_port is not None and not prod:
        ports.append(reflex_backend_port)
    for port in ports:
        ensure_port_free(host, port)
    progress(f"Database: {database_url}")
    run_step("migrate", [sys.executable, "-m", "backend", "migrate"], env, log_dir)
    if seed:
        run_step("seed", [sys.executable, "-m", "backend", "seed"], env, log_dir)

    specs = child_specs(
        env=env,
        host=host,
        api_port=api_port,
        web_port=web_port,
        reflex_backend_port=reflex_backend_port or web_port,
        prod=prod,
        smtp_port=smtp_port,
        mail_web_port=mail_web_port,
        mail_store=mail_store,
        bounce_port=bounce_port,
    )
    stack = Stack(
        api_url=f"http://{host}:{api_port}",
        web_url=f"http://localhost:{web_port}",
        database_url=database_url,
        log_dir=log_dir,
        mail_url=f"http://localhost:{mail_web_port}",
        smtp_port=smtp_port,
        progress=progress,
    )
    try:
        for spec in specs:
            stack.start_child(spec)
    except BaseException:
        stack.stop()
        raise
    return stack


def announce(stack: Stack, say: Callable[[str], None]) -> None:
    """The lines `make run` and `make run-cluster` print once everything answers."""
    email, password = DEMO_LOGIN
    say("")
    say(f"Talent Pool is running: {stack.web_url}")
    say(f"Log in as {email} / {password}")
    say(f"BFF API: {stack.api_url} (logs in {stack.log_dir}/)")
    say(f"Caught emails: {stack.mail_url}")
    say("Press Ctrl-C to stop.")


def serve_until_stopped(start: Callable[[Callable[[str], None]], Stack]) -> int:
    """Start a stack, print how to use it, and keep it up until Ctrl-C (or SIGTERM/SIGHUP); then stop it all."""

    def say(message: str) -> None:
        print(message, flush=True)

    stack: Stack | None = None
    with stop_signals():
        try:
            stack = start(say)
            announce(stack, say)
            while not stack.has_failed():
                time.sleep(1)
            return 1
        except Interrupted:
            say("\nStopping Talent Pool ...")
            return 0
        except StackError as error:
            say(f"\nCould not start Talent Pool: {error}")
            return 1
        finally:
            # A second Ctrl-C must not abandon children half-way through stopping.
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
            if stack is not None:
                stack.stop()
            say("Stopped.")


def run_cli() -> int:
    """`make run`: migrate, seed the demo data, start everything, and wait for Ctrl-C."""
    return serve_until_stopped(
        lambda say: start_stack(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            api_port=env_port("TP_API_PORT", 8000),
            web_port=env_port("TP_WEB_PORT", 3000),
            reflex_backend_port=env_port("TP_REFLEX_BACKEND_PORT", 8001),
            prod=os.environ.get("TP_REFLEX_ENV", "prod").strip().lower() != "dev",
            seed=True,
            host=os.environ.get("TP_HOST", "127.0.0.1"),
            progress=say,
            smtp_port=env_port("TP_SMTP_PORT", 1025),
            mail_web_port=env_port("TP_MAIL_WEB_PORT", 8025),
            mail_store=DEFAULT_MAIL_STORE,
            bounce_port=env_port("TP_BOUNCE_PORT", 2525),
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `python -m backend.stack run`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["run"]:
        print("usage: python -m backend.stack run", file=sys.stderr)
        return 2
    return run_cli()


if __name__ == "__main__":
    sys.exit(main())
