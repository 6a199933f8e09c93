"""Run every benchmark and print its figures: `python -m bench [name ...]`."""

import importlib
import sys

BENCHMARKS = ["contacts_list", "invitations_queue", "email_sender"]


def main() -> int:
    """Run the named benchmarks (all by default); non-zero if one fails to run."""
    names = sys.argv[1:] or BENCHMARKS
    status = 0
    for name in names:
        print(f"== bench.{name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"python -m bench.{name}"]
        status |= module.main() or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
