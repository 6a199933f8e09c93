"""The test suite's throwaway PostgreSQL server (see backend/cluster/postgres.py).

python tests/postgres_server.py run [--port PORT] -- COMMAND ...
"""

import sys

from backend.cluster.postgres import database_url, is_running, main, run, start, stop

__all__ = ["database_url", "is_running", "main", "run", "start", "stop"]

if __name__ == "__main__":
    sys.exit(main())
