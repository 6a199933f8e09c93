"""Command line: `python -m backend migrate|seed|serve`."""

import argparse
import asyncio
import os
import sys

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
    args = parser.parse_args()
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
        import uvicorn

        uvicorn.run("backend.app:app", host=args.host, port=args.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
