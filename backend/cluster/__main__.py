"""`make run-cluster`: `python -m backend.cluster run` starts the multi-process topology and keeps it up until Ctrl-C."""

import sys
from collections.abc import Sequence

from backend.cluster.topology import ClusterPorts, start_cluster
from backend.processes import env_port
from backend.stack import DEFAULT_MAIL_STORE, serve_until_stopped


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `python -m backend.cluster run`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["run"]:
        print("usage: python -m backend.cluster run", file=sys.stderr)
        return 2
    ports = ClusterPorts(
        web=env_port("TP_WEB_PORT", 3000),
        api=env_port("TP_API_PORT", 8000),
        smtp=env_port("TP_SMTP_PORT", 1025),
        mail_web=env_port("TP_MAIL_WEB_PORT", 8025),
        bounce=env_port("TP_BOUNCE_PORT", 2525),
    )
    return serve_until_stopped(lambda say: start_cluster(ports=ports, progress=say, mail_store=DEFAULT_MAIL_STORE))


if __name__ == "__main__":
    sys.exit(main())
