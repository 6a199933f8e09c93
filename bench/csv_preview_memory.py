"""Flow 3 benchmark: the BFF's peak memory while it previews the worst CSV files it can be sent.

Each file is uploaded to a fresh BFF process (SQLite, email sender and import runner off), and the
process's peak resident memory (VmHWM) is read afterwards; the answer's status says whether the
file was accepted (201) or refused with a problem (4xx). Files, all far below the 200 MB limit:
- the most rows the preview accepts, of one short email each and of a name, an email and 9 tags each;
- 1.7 M one-column rows (19 MB), over the row limit;
- 300,000 realistic rows (names, emails, 1–5 tags), as `bench.csv_import` uses;
- a cell over 128 KB, one 20 MB line, 1,000,000 columns, an unterminated quote.
Target: peak <= 500 MB for every file, and no file answered with a 5xx. `BENCH_CSV_FILES=tags` measures
only the files whose label contains "tags".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from backend.imports.csv_parser import MAX_ROWS
from backend.processes import free_port
from bench.csv_import import peak_mb, wait_until_healthy, write_csv

TARGET_PEAK_MB = 500.0
MB = 1024 * 1024


def most_small_rows(path: Path) -> None:
    """As many rows as the preview accepts, each one short email (the most rows per byte)."""
    path.write_bytes(b"Email\n" + b"".join(b"p%d@x.dk\n" % i for i in range(MAX_ROWS)))


def dense_rows(path: Path) -> None:
    """As many rows as the preview accepts, each a name, an email and 9 tags (just under 20 MB)."""
    rows = b"".join(b"N%x,%x@a.io,a;b;c;d;e;f;g;h;i\n" % (i, 0x100000 + i) for i in range(MAX_ROWS))
    path.write_bytes(b"Name,Email,Tags\n" + rows)


def distinct_tag_rows(path: Path) -> None:
    """As many rows as the preview accepts, each an email and 3 tags no other row has."""
    rows = b"".join(b"A,%x@a.io,%x;%xb;%xc\n" % (0x100000 + i, 0x100000 + i, i, i) for i in range(MAX_ROWS))
    path.write_bytes(b"Name,Email,Tags\n" + rows)


def invalid_email_rows(path: Path) -> None:
    """As many rows as the preview accepts, each an address the validator refuses with its own reason."""
    path.write_bytes(b"Email\n" + b"".join(b"%x@a..io\n" % (0x100000 + i) for i in range(MAX_ROWS)))


def one_column_rows(path: Path) -> None:
    """1.7 million rows of one short email each: 19.5 MB."""
    path.write_bytes(b"Email\n" + b"".join(b"%x@a.io\n" % (0x100000 + i) for i in range(1_700_000)))


def realistic_rows(path: Path) -> None:
    """300,000 rows of names, emails and 1-5 tags."""
    write_csv(path, 300_000)


def huge_cell(path: Path) -> None:
    """A name cell of 200 KB."""
    path.write_bytes(b"Name,Email\n" + b"A" * 200_000 + b",a@b.dk\n")


def one_long_line(path: Path) -> None:
    """One 20 MB line of short cells (a header and a single enormous row)."""
    path.write_bytes(b"Name,Email\n" + b"x," * (10 * MB - 10))


def million_columns(path: Path) -> None:
    """A header of 1,000,000 columns, then one row."""
    path.write_bytes(b"Email" + b",c" * 1_000_000 + b"\na@b.dk\n")


def unterminated_quote(path: Path) -> None:
    """A quote opened on row 3 and never closed."""
    path.write_bytes(b'Name,Email\nAda,ada@x.dk\n"Bob,bob@x.dk\n' + b"Carl,carl@x.dk\n" * 1000)


FILES: list[tuple[str, Callable[[Path], None]]] = [
    (f"{MAX_ROWS:,} one-email rows (the row limit)", most_small_rows),
    (f"{MAX_ROWS:,} rows of name, email, 9 tags", dense_rows),
    (f"{MAX_ROWS:,} rows of 3 distinct tags each", distinct_tag_rows),
    (f"{MAX_ROWS:,} rows of invalid emails", invalid_email_rows),
    ("1.7 M one-column rows", one_column_rows),
    ("300,000 realistic rows", realistic_rows),
    ("a 200 KB cell", huge_cell),
    ("one 20 MB line", one_long_line),
    ("1,000,000 columns", million_columns),
    ("an unterminated quote", unterminated_quote),
]


def start_bff(work: Path) -> tuple[subprocess.Popen, str]:
    """A fresh migrated SQLite database and the BFF (`python -m backend serve`) on a free port."""
    shutil.rmtree(work / "db", ignore_errors=True)
    (work / "db").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db' / 'bench.sqlite'}",
        "TP_RUN_SENDER": "0",
        "TP_RUN_IMPORTS": "0",
    }
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    log = (work / "api.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}", work)


def measure(work: Path, make: Callable[[Path], None]) -> tuple[int, str, float, float, float]:
    """Upload one file to a fresh BFF: status, problem code, seconds, file MB, peak MB."""
    path = work / "upload.csv"
    make(path)
    size = path.stat().st_size / MB
    process, url = start_bff(work)
    try:
        with httpx.Client(base_url=url, timeout=300) as client:
            session = (
                client.post(
                    "/api/auth/signup",
                    json={
                        "company_name": "Bench Co",
                        "name": "Bench User",
                        "email": "bench@csv.example",
                        "password": "bench-password-1",
                    },
                )
                .raise_for_status()
                .json()
            )
            client.headers["Authorization"] = f"Bearer {session['token']}"
            started = time.perf_counter()
            response = client.post("/api/imports", params={"filename": path.name}, content=path.read_bytes())
            seconds = time.perf_counter() - started
        code = "" if response.status_code < 300 else response.json().get("code", "")
        peak = peak_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return response.status_code, code, seconds, size, peak


def main() -> int:
    """Measure every file; print one line each and the worst peak."""
    work = Path(tempfile.mkdtemp(prefix="tp-bench-csv-memory-"))
    worst = 0.0
    failed = False
    only = os.environ.get("BENCH_CSV_FILES", "")
    for label, make in FILES:
        if only and only not in label:
            continue
        status, code, seconds, size, peak = measure(work, make)
        worst = max(worst, peak)
        failed |= status >= 500 or peak > TARGET_PEAK_MB
        answer = "accepted" if status < 300 else f"refused {status} {code}"
        print(f"{label:<36} {size:5.1f} MB  {answer:<34} {seconds:5.2f} s  BFF peak {peak:4.0f} MB", flush=True)
    verdict = "ok" if not failed else "over target or a server error"
    print(f"worst BFF peak memory (VmHWM): {worst:.0f} MB (target <= {TARGET_PEAK_MB:.0f} MB)   {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
