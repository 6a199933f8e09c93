"""Issue 2 benchmark: the Talent Pool list endpoint over HTTP with 100,000 contacts on SQLite.

Prints p50/p95 per scenario over 200 requests each (target p95 <= 50 ms).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REQUESTS = 200
TARGET_P95_MS = 50.0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def scenarios(tags: list[str], rng: random.Random) -> dict[str, callable]:
    """Each scenario returns the query parameters of its next request."""
    words = ["ann", "lars", "kim", "wilson", "mail7", "oliv", "patel", "berg", "sofia", "nguyen", "hansen"]
    common = ["a", "ma", "ez", "mai", "son", "jo"]
    return {
        "first page": lambda: {"page": 1, "page_size": 25},
        "text search": lambda: {"q": rng.choice(words), "page_size": 25},
        "tag filter": lambda: {"tag": rng.choice(tags), "page_size": 25},
        "status filter + sort": lambda: {
            "status": rng.choice(["active", "invited", "applied"]),
            "sort": rng.choice(["-last_activity_at", "name", "-created_at", "email"]),
            "page_size": 25,
        },
        "tag text search": lambda: {"q": rng.choice(tags)[:6], "page_size": 25},
        "1-2 chars / very common": lambda: {"q": rng.choice(common), "page_size": 25},
    }


def measure(api_url: str, token: str, tags: list[str]) -> dict[str, tuple[float, float]]:
    """Run every scenario; return {scenario: (p50 ms, p95 ms)}."""
    rng = random.Random(3)
    results = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as client:
        for name, params in scenarios(tags, rng).items():
            for _ in range(10):  # warm-up
                client.get("/api/contacts", params=params()).raise_for_status()
            timings = []
            for _ in range(REQUESTS):
                p = params()
                started = time.perf_counter()
                response = client.get("/api/contacts", params=p)
                timings.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            results[name] = (statistics.median(timings), _percentile(timings, 95))
    return results


def main() -> int:
    """Build the data set, start the BFF, measure, print."""
    from bench.dataset import BENCH_EMAIL, BENCH_PASSWORD, fill, tag_names

    work = Path(tempfile.mkdtemp(prefix="tp-bench-"))
    db_path = work / "bench.sqlite"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, check=True, capture_output=True)
    fill(str(db_path))
    port = 8765
    server = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    api_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{api_url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        token = httpx.post(f"{api_url}/api/auth/login", json={"email": BENCH_EMAIL, "password": BENCH_PASSWORD}).json()["token"]
        tags = tag_names(2_000, random.Random(1))
        results = measure(api_url, token, tags)
    finally:
        server.terminate()
        server.wait()
    print(f"list endpoint, 100,000 contacts, SQLite, {REQUESTS} requests each (target p95 <= {TARGET_P95_MS:.0f} ms):")
    for name, (p50, p95) in results.items():
        verdict = "ok" if p95 <= TARGET_P95_MS else "over target"
        print(f"  {name:<24} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
