"""Flow 3 benchmark: a 300,000-row contacts CSV through the running BFF on SQLite.

Generates a realistic file (~16 MB: names, emails, 1–5 tags each), measures in the same run the
floor (Python's csv module parsing the file plus one executemany of the contact rows into a bare
SQLite table), then starts the BFF in its own process and times over HTTP:
- preview ready: the upload request until its answer (every row parsed, judged and stored);
- import complete: Import selected until the import reports done (contacts, tags, invitations,
  history and queued emails committed).
Prints both as seconds and as ratios to the floor, and the BFF's peak memory (VmHWM).
Targets: preview <= 3 s, import <= 10 s, peak memory <= 500 MB.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from backend.processes import free_port
from backend.seed import FIRST_NAMES, LAST_NAMES

ROWS = int(os.environ.get("BENCH_CSV_ROWS", "300000"))
TARGET_PREVIEW_SECONDS = 3.0
TARGET_IMPORT_SECONDS = 10.0
TARGET_PEAK_MB = 500.0
DOMAINS = ["gmail.com", "outlook.com", "proton.me", "mail.dk", "web.de", "icloud.com"]
SKILLS = (
    "python sql react go ux seo figma aws java rust php excel design video copy 3d ios qa data ml devops "
    "vue css sales legal audio print brand tax docker django flutter kotlin swift unity ui"
).split()
NOTES = ["a conference", "the Aarhus office", "a client project", "a hackathon", "a trade fair", "a workshop"]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A contacts CSV as a spreadsheet exports it: header, then name, email and 1–5 tags per row."""
    rng = random.Random(seed)
    skills = SKILLS
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", "Tags"])
    for i in range(rows):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first[0]}{last}{i}@{rng.choice(DOMAINS)}".lower().replace("'", "")
        writer.writerow([f"{first} {last}", email, ";".join(rng.sample(skills, rng.randint(1, 5)))])
    path.write_text(out.getvalue(), encoding="utf-8")


def floor_seconds(path: Path, work: Path) -> float:
    """csv module parse of the file + one executemany of (name, email) into a bare SQLite table."""
    db = sqlite3.connect(work / "floor.sqlite")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT, email TEXT)")
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [(row[0], row[1]) for row in reader]
    with db:
        db.executemany("INSERT INTO contact (name, email) VALUES (?, ?)", rows)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def peak_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_bff(work: Path) -> tuple[subprocess.Popen, str]:
    """A migrated SQLite database and the BFF on a free port (imports on, email sender off)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite'}",
        "TP_RUN_SENDER": "0",
        "TP_RUN_IMPORTS": "1",
        "TP_FILES_DIR": str(work / "files"),
    }
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    log = (work / "api.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "backend.app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}", work)


def wait_until_healthy(process: subprocess.Popen, url: str, work: Path) -> str:
    """`url` once the BFF started in `work` answers /ready (its database is up); killed and an error after 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the BFF did not start; see {work / 'api.log'}")


def write_export_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A contacts CSV of the common export shape: Phone, E-mail, Full name, Skills, Notes."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Phone", "E-mail", "Full name", "Skills", "Notes"])
        for start in range(0, rows, 50_000):
            block = []
            for i in range(start, min(rows, start + 50_000)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = f"{first[0]}{last}{i}@{rng.choice(DOMAINS)}".lower().replace("'", "")
                block.append(
                    [
                        f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                        email,
                        f"{first} {last}",
                        ", ".join(rng.sample(SKILLS, rng.randint(1, 5))),
                        f"Met at {rng.choice(NOTES)} in {rng.randint(2015, 2026)}; available {rng.choice(('weekdays', 'evenings', 'remote only'))}",
                    ]
                )
            writer.writerows(block)


def upload_and_import(url: str, path: Path, rows: int) -> dict:
    """Sign up, upload the file and import every selected row over HTTP; the answers and the timings."""
    with httpx.Client(base_url=url, timeout=600) as client:
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
        with path.open("rb") as body:
            started = time.perf_counter()
            summary = (
                client.post("/api/imports", params={"filename": path.name}, content=body).raise_for_status().json()
            )
            preview = time.perf_counter() - started
        assert summary["total_rows"] == rows, summary["total_rows"]
        started = time.perf_counter()
        client.post(
            f"/api/imports/{summary['id']}/start", json={"message": "We'd love to work with you again."}
        ).raise_for_status()
        while True:
            state = client.get(f"/api/imports/{summary['id']}").raise_for_status().json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        imported = time.perf_counter() - started
        assert state["status"] == "done", state
        assert state["invited"] == summary["selected"], state
        # Totals are exact up to the page asked for: ask for the page just past the imported rows.
        beyond = {"page_size": 10, "page": summary["selected"] // 10 + 1}
        listed = client.get("/api/contacts", params=beyond).raise_for_status().json()
        assert listed["total_exact"], listed
        contacts = listed["total"]
    counts = {c["verdict"]: c["count"] for c in summary["counts"] if c["count"]}
    return {
        "preview": preview,
        "imported": imported,
        "invited": state["invited"],
        "contacts": contacts,
        "counts": counts,
    }


def verdict(ok: bool) -> str:
    """How a figure compares with its target."""
    return "ok" if ok else "over target"


def main() -> int:
    """Generate the file, measure floor, preview, import and memory; print the figures."""
    work = Path(tempfile.mkdtemp(prefix="tp-bench-csv-"))
    path = work / "contacts.csv"
    write_csv(path, ROWS)
    size_mb = path.stat().st_size / 1024 / 1024
    floor = floor_seconds(path, work)
    process, url = start_bff(work)
    try:
        result = upload_and_import(url, path, ROWS)
        peak = peak_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    preview, imported = result["preview"], result["imported"]
    print(f"file: {ROWS:,} rows, {size_mb:.1f} MB; verdicts {result['counts']}")
    print(f"floor (csv module parse + one executemany into a bare SQLite table): {floor:.2f} s")
    print(
        f"preview ready (upload -> every row judged and stored): {preview:.2f} s = {preview / floor:.2f} x floor "
        f"(target <= {TARGET_PREVIEW_SECONDS:.0f} s)   {verdict(preview <= TARGET_PREVIEW_SECONDS)}"
    )
    print(
        f"import complete ({result['invited']:,} invited, {result['contacts']:,} contacts; tags, invitations, history, "
        f"queued emails): {imported:.2f} s = {imported / floor:.2f} x floor (target <= {TARGET_IMPORT_SECONDS:.0f} s)   "
        f"{verdict(imported <= TARGET_IMPORT_SECONDS)}"
    )
    print(
        f"BFF peak memory (VmHWM): {peak:.0f} MB (target <= {TARGET_PEAK_MB:.0f} MB)   {verdict(peak <= TARGET_PEAK_MB)}"
    )
    shutil.rmtree(work, ignore_errors=True)  # about 500 MB of files; kept only when a step failed
    return 0


if __name__ == "__main__":
    sys.exit(main())
