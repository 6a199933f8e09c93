"""Run every benchmark, each in its own process, and print its figures: `python -m bench [name ...]`."""

import subprocess
import sys

BENCHMARKS = [
    "contacts_list",
    "invitations_queue",
    "email_sender",
    "csv_import",
    "csv_import_postgres",
    "csv_preview_memory",
    "login_storm",
]


def main() -> int:
    """Run the named benchmarks (all by default); non-zero if one fails to run."""
    status = 0
    for name in sys.argv[1:] or BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        status |= subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
