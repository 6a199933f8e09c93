"""Command line: `python -m backend migrate|seed|serve|send|bounces`."""

import argparse
import asyncio
import contextlib
import faulthandler
import os
import signal
import sys
from types import FrameType

from backend.settings import InsecureSettings, get_settings


def main() -> None:
    """Parse the command and run it."""
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations")
    seed = commands.add_parser("seed", help="add demo data to an empty database")
    seed.add_argument("--contacts", type=int, default=200)
    serve = commands.add_parser("serve", help="run the BFF")
    serve.add_argument("--host", default=os.environ.get("TP_API_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("TP_API_PORT", "8000")))
    send = commands.add_parser("send", help="deliver the outbox, with the periodic sweep, until SIGTERM")
    send.add_argument("--drain", action="store_true", help="send everything that is due, then exit")
    bounces = commands.add_parser("bounces", help="receive bounces (SMTP on TP_BOUNCE_PORT) until SIGTERM")
    bounces.add_argument("--host", default="127.0.0.1")
    bounces.add_argument("--port", type=int, default=None, help="default: TP_BOUNCE_PORT")
    args = parser.parse_args()
    # `kill -USR1 PID` writes every thread's stack to stderr (the process's log): where a stuck process waits.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        settings = get_settings()
    except InsecureSettings as exc:
        sys.exit(f"Refusing to start: {exc}")

    if args.command == "migrate":
        from backend.migrations import migrate

        asyncio.run(migrate())
        print(f"Database is up to date ({settings.database_url.split('?')[0]}).")
    elif args.command == "seed":
        from backend.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo

        seeded = asyncio.run(seed_demo(args.contacts))
        print("Demo data added." if seeded else "Database already has data; nothing seeded.")
        print(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
    elif args.command == "serve":
        serve_bff(args.host, args.port)
    elif args.command == "send":
        from backend.email.sender import run_sender_process
        from backend.invitations.sweeper import run_sweeper

        # The periodic sweep goes with the sender, as inside the BFF (replicas run with TP_RUN_SENDER=0).
        sys.exit(asyncio.run(run_sender_process(args.drain, beside=None if args.drain else run_sweeper)))
    elif args.command == "bounces":
        from backend.email.bounce_receiver import run_receiver_process

        sys.exit(asyncio.run(run_receiver_process(args.host, args.port)))


# On SIGTERM the BFF stops accepting connections and gives the requests in flight this long to finish;
# then its shutdown hooks run (the import runner and sender let go of their work, the pool closes).
GRACEFUL_SHUTDOWN_SECONDS = 20


def serve_bff(host: str, port: int) -> None:
    """Run the BFF under uvicorn until SIGTERM or Ctrl-C, then shut down gracefully and exit 0."""
    import uvicorn

    from backend.health import begin_shutdown

    class BffServer(uvicorn.Server):
        """Uvicorn's server; from the stop signal on, the BFF answers /ready with 503."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            begin_shutdown()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(
        "backend.app:app",
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    # Uvicorn raises the stop signal again once it has shut down: that is the end of a clean stop.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    server = BffServer(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit("The BFF did not start (see the lines above).")


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
