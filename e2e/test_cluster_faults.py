"""Fault tests on the cluster topology (`make test-cluster`): processes killed with SIGKILL mid-work.

A killed replica is started again by the cluster's supervisor, as an orchestrator would. In each
test, whatever the moment of the kill, the person's action completes or shows an error they can
retry, and nothing is lost or written twice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import signal
import threading
import time
from collections import Counter

import asyncpg
import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.cluster.topology import Cluster
from e2e.helpers import PASSWORD, sign_up_company, unique

READY_TIMEOUT = 60


def _signal(cluster: Cluster, name: str, signum: int) -> None:
    """Send `signum` to the child's whole process group (a web process's server and its worker)."""
    os.killpg(cluster.child(name).process.pid, signum)


def _wait_ready(cluster: Cluster, *names: str) -> None:
    """Wait until the supervisor has started each killed child again and it answers."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not all(cluster.is_ready(name) for name in names):
        assert time.monotonic() < deadline, f"{names} did not come back within {READY_TIMEOUT} s"
        time.sleep(0.2)


def _kill_holding_request(cluster: Cluster, action) -> None:
    """Run `action` while both BFF replicas are paused, so its request waits inside one of them;
    then kill bff-1 with SIGKILL and let bff-2 go on. The request dies with bff-1 mid-way or completes on bff-2."""
    _signal(cluster, "bff-1", signal.SIGSTOP)
    _signal(cluster, "bff-2", signal.SIGSTOP)
    try:
        action()
        time.sleep(0.5)
    finally:
        _signal(cluster, "bff-1", signal.SIGKILL)
        _signal(cluster, "bff-2", signal.SIGCONT)


def _company_over_http(api_url: str) -> tuple[str, dict[str, str]]:
    company = f"Faulty {unique('co')}"
    signup = httpx.post(
        f"{api_url}/api/auth/signup",
        json={"company_name": company, "name": "Fay Ops", "email": f"{unique('fay')}@qa.example", "password": PASSWORD},
        timeout=20,
    )
    assert signup.status_code == 201, signup.text
    return company, {"Authorization": f"Bearer {signup.json()['token']}"}


def _sign_up_company(page: Page) -> str:
    company = f"Replica {unique('co')}"
    sign_up_company(page, company)
    return company


def _database_rows(cluster: Cluster, sql: str, *params: object) -> list[tuple]:
    """Rows of a read-only query on the cluster's database (`$1`… parameters)."""

    async def fetch() -> list[tuple]:
        connection = await asyncpg.connect(cluster.database_url)
        try:
            return [tuple(record) for record in await connection.fetch(sql, *params)]
        finally:
            await connection.close()

    # Playwright's sync API keeps an event loop running in this thread: query from another one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def _emails_to(mail, address: str) -> int:
    return sum(1 for message in mail.messages(to=address) if message["to"].lower().find(address.lower()) >= 0)


def test_invite_when_bff_replica_killed_completes_or_retries(cluster: Cluster, page: Page, mail) -> None:
    company = _sign_up_company(page)
    email = f"{unique('kim')}@people.example"
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    dialog.get_by_label("Name", exact=True).fill("Kim Killed")
    dialog.get_by_label("Email", exact=True).fill(email)

    _kill_holding_request(cluster, lambda: dialog.get_by_role("button", name="Invite", exact=True).click())

    # Either the invitation went out, or the form says so and keeps what was typed for a retry.
    try:
        expect(dialog).to_be_hidden(timeout=8000)
    except AssertionError:
        expect(dialog.get_by_role("alert").first).to_be_visible()
        expect(dialog.get_by_label("Email", exact=True)).to_have_value(email)
        _wait_ready(cluster, "bff-1")
        dialog.get_by_role("button", name="Invite", exact=True).click()
        expect(dialog).to_be_hidden()
    _wait_ready(cluster, "bff-1")
    page.get_by_label("Search contacts").fill(email)
    expect(page.get_by_role("row").filter(has_text=email)).to_have_count(1)
    mail.wait_for_message(to=email, subject_contains=company, timeout=30)
    time.sleep(2)  # a second email, if one were queued, would arrive by now
    assert _emails_to(mail, email) == 1


def test_many_invites_while_bff_replicas_die_each_lands_once(cluster: Cluster, api_url: str, mail) -> None:
    """Forty invitations sent at once while each BFF replica is killed in turn: every one is written and emailed once."""
    company, headers = _company_over_http(api_url)
    emails = [f"{unique('bulk')}@people.example" for _ in range(40)]
    outcomes: dict[str, list[int]] = {email: [] for email in emails}

    def invite(email: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            try:
                response = httpx.post(
                    f"{api_url}/api/invitations",
                    json={"name": "Bulk Person", "email": email},
                    headers=headers,
                    timeout=20,
                )
                status, code = (
                    response.status_code,
                    response.json().get("code", "") if response.status_code >= 400 else "",
                )
            except (httpx.TransportError, ValueError):
                status, code = 0, ""
            outcomes[email].append(status)
            # Created, or already in the pool because a try the person never heard back from got through.
            if status == 201 or (status == 409 and code == "email_taken"):
                return
            time.sleep(0.3)

    threads = [threading.Thread(target=invite, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    _signal(cluster, "bff-1", signal.SIGKILL)
    _wait_ready(cluster, "bff-1")
    _signal(cluster, "bff-2", signal.SIGKILL)
    for thread in threads:
        thread.join()
    _wait_ready(cluster, "bff-2")

    assert all(statuses and statuses[-1] in (201, 409) for statuses in outcomes.values()), outcomes
    rows = _database_rows(
        cluster,
        "SELECT lower(c.email), count(*) FROM contact c JOIN company co ON co.id = c.company "
        "WHERE co.name = $1 GROUP BY lower(c.email)",
        company,
    )
    assert sorted(email for email, _ in rows) == sorted(emails)
    assert all(count == 1 for _, count in rows)
    deadline = time.monotonic() + 60
    while sum(_emails_to(mail, email) for email in emails) < len(emails) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    assert Counter(_emails_to(mail, email) for email in emails) == Counter({1: len(emails)})


def _send_while_replica_dies(cluster: Cluster, send) -> httpx.Response | None:
    """`send()` (an HTTP call to the BFF) while its replica is killed under it; None if the connection broke."""
    box: dict[str, httpx.Response | None] = {}

    def run() -> None:
        try:
            box["response"] = send()
        except httpx.TransportError:
            box["response"] = None

    thread = threading.Thread(target=run)
    _kill_holding_request(cluster, thread.start)
    thread.join(60)
    return box.get("response")


def _until_answered(cluster: Cluster, send, first: httpx.Response | None) -> httpx.Response:
    """What a person does after an error: try again once the service answers."""
    response = first
    deadline = time.monotonic() + READY_TIMEOUT
    while response is None or response.status_code >= 500:
        assert time.monotonic() < deadline, "no answer after the replica was killed"
        time.sleep(0.5)
        try:
            response = send()
        except httpx.TransportError:
            response = None
    return response


def _applicants(api_url: str, headers: dict[str, str], mail, company: str, count: int) -> list[str]:
    """Workers who signed up through a new link of the company and confirmed their email."""
    link = httpx.post(f"{api_url}/api/links", json={"label": "Website"}, headers=headers, timeout=20)
    assert link.status_code == 201, link.text
    token = link.json()["url"].rstrip("/").rsplit("/", 1)[-1]
    emails = [f"{unique('app')}@people.example" for _ in range(count)]
    for email in emails:
        signup = httpx.post(
            f"{api_url}/api/public/links/{token}/signup",
            json={"name": "Ada Applicant", "email": email, "password": PASSWORD},
            timeout=20,
        )
        assert signup.status_code == 201, signup.text
        message = mail.wait_for_message(to=email, subject_contains=company, timeout=30)
        confirm = next(link for link in message["links"] if "/confirm-email/" in link).rsplit("/", 1)[-1]
        confirmed = httpx.post(f"{api_url}/api/public/confirm-email/{confirm}", timeout=20)
        assert confirmed.status_code == 200, confirmed.text
    return emails


def test_approval_when_bff_replica_killed_approves_each_once(cluster: Cluster, api_url: str, mail) -> None:
    company, headers = _company_over_http(api_url)
    emails = _applicants(api_url, headers, mail, company, 3)
    listed = httpx.get(f"{api_url}/api/contacts", params={"status": "applied"}, headers=headers, timeout=20).json()
    ids = [item["id"] for item in listed["items"]]
    assert len(ids) == 3

    def approve() -> httpx.Response:
        return httpx.post(f"{api_url}/api/applicants/approve", json={"ids": ids}, headers=headers, timeout=30)

    answer = _until_answered(cluster, approve, _send_while_replica_dies(cluster, approve))
    assert answer.status_code == 200, answer.text
    active = httpx.get(f"{api_url}/api/contacts", params={"status": "active"}, headers=headers, timeout=20).json()
    assert sorted(item["email"] for item in active["items"]) == sorted(emails)
    for email in emails:
        mail.wait_for_message(to=email, subject_contains="approved you", timeout=30)
    time.sleep(2)
    approvals = [m for email in emails for m in mail.messages(to=email) if "approved you" in m["subject"]]
    assert len(approvals) == 3


def test_csv_upload_and_start_when_bff_replica_killed_import_once(cluster: Cluster, api_url: str) -> None:
    company, headers = _company_over_http(api_url)
    rows = 500
    body = ("Name,Email\n" + "".join(f"Csv Person {n},{unique('csv')}@people.example\n" for n in range(rows))).encode()
    csv_headers = {**headers, "Content-Type": "text/csv"}

    def upload() -> httpx.Response:
        return httpx.post(
            f"{api_url}/api/imports", params={"filename": "kill.csv"}, content=body, headers=csv_headers, timeout=60
        )

    uploaded = _until_answered(cluster, upload, _send_while_replica_dies(cluster, upload))
    assert uploaded.status_code == 201, uploaded.text
    import_id = uploaded.json()["id"]
    _wait_ready(cluster, "bff-1")

    def start() -> httpx.Response:
        return httpx.post(f"{api_url}/api/imports/{import_id}/start", json={"message": ""}, headers=headers, timeout=30)

    started = _until_answered(cluster, start, _send_while_replica_dies(cluster, start))
    # Started by this answer, or by the first try whose answer was lost (then this one says it is under way).
    assert started.status_code == 202 or started.json().get("code") == "import_started", started.text
    deadline = time.monotonic() + 120
    while (status := httpx.get(f"{api_url}/api/imports/{import_id}", headers=headers, timeout=20).json())[
        "status"
    ] != "done":
        assert time.monotonic() < deadline, status
        time.sleep(0.5)
    counted = _database_rows(
        cluster,
        "SELECT count(*), count(DISTINCT lower(c.email)) FROM contact c JOIN company co ON co.id = c.company WHERE co.name = $1",
        company,
    )
    assert counted == [(rows, rows)]


def test_two_senders_deliver_each_email_exactly_once(cluster: Cluster, api_url: str, mail) -> None:
    """Both dedicated senders claim from the same outbox: 150 invitations, 150 emails, none twice."""
    assert cluster.is_ready("sender-1") is True and cluster.is_ready("sender-2") is True
    _, headers = _company_over_http(api_url)
    emails = [f"{unique('once')}@people.example" for _ in range(150)]
    csv_text = "Name,Email\n" + "".join(f"Person {n},{email}\n" for n, email in enumerate(emails))
    upload = httpx.post(
        f"{api_url}/api/imports",
        params={"filename": "once.csv"},
        content=csv_text.encode(),
        headers={**headers, "Content-Type": "text/csv"},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    import_id = upload.json()["id"]
    started = httpx.post(f"{api_url}/api/imports/{import_id}/start", json={"message": ""}, headers=headers, timeout=20)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 90
    while sum(_emails_to(mail, email) for email in emails) < len(emails):
        assert time.monotonic() < deadline, "the senders did not deliver every invitation within 90 s"
        time.sleep(0.5)
    time.sleep(3)
    assert Counter(_emails_to(mail, email) for email in emails) == Counter({1: len(emails)})


def test_import_runner_killed_import_resumes_on_another(cluster: Cluster, api_url: str) -> None:
    """The runner that holds an import is killed mid-way; the other runner takes it over once the lease runs out."""
    company, headers = _company_over_http(api_url)
    rows = 3_000
    csv_text = "Name,Email\n" + "".join(f"Runner Person {n},{unique('run')}@people.example\n" for n in range(rows))
    upload = httpx.post(
        f"{api_url}/api/imports",
        params={"filename": "runner.csv"},
        content=csv_text.encode(),
        headers={**headers, "Content-Type": "text/csv"},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    import_id = upload.json()["id"]
    # Only runner-1 may claim it: runner-2 is paused until runner-1 has been killed holding the import.
    _signal(cluster, "runner-2", signal.SIGSTOP)
    try:
        started = httpx.post(
            f"{api_url}/api/imports/{import_id}/start", json={"message": ""}, headers=headers, timeout=20
        )
        assert started.status_code == 202, started.text
        deadline = time.monotonic() + 30
        while not _database_rows(
            cluster, "SELECT 1 FROM csv_import WHERE id = $1 AND claim_token IS NOT NULL", import_id
        ):
            assert time.monotonic() < deadline, "runner-1 did not claim the import"
            time.sleep(0.05)
        _signal(cluster, "runner-1", signal.SIGKILL)
    finally:
        _signal(cluster, "runner-2", signal.SIGCONT)
    deadline = time.monotonic() + 180
    while (status := httpx.get(f"{api_url}/api/imports/{import_id}", headers=headers, timeout=20).json())[
        "status"
    ] != "done":
        assert status["status"] == "importing", status
        assert time.monotonic() < deadline, f"the import did not resume: {status}"
        time.sleep(0.5)
    assert status["processed"] == rows
    counted = _database_rows(
        cluster,
        "SELECT count(*), count(DISTINCT lower(c.email)) FROM contact c JOIN company co ON co.id = c.company WHERE co.name = $1",
        company,
    )
    assert counted == [(rows, rows)]
    queued = _database_rows(
        cluster,
        "SELECT count(*), count(DISTINCT to_email) FROM outbox_email o JOIN company co ON co.id = o.company "
        "WHERE co.name = $1 AND o.kind = 'invitation'",
        company,
    )
    assert queued == [(rows, rows)]


def test_web_process_killed_user_stays_logged_in(cluster: Cluster, page: Page, demo_login) -> None:
    """Each web process is killed in turn under a logged-in page: it reconnects to the other one and
    goes on with the same state (from Redis): still logged in, still searching what they searched."""
    email, password = demo_login
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    page.get_by_label("Search contacts").fill("aiko")
    # The address names the search once its rows are on the page (the full list also has Aiko).
    expect(page).to_have_url(re.compile(r"[?&]q=aiko"))
    expect(page.get_by_role("row").filter(has_text=re.compile("Aiko", re.I)).first).to_be_visible()
    shown = page.get_by_role("row").count()

    for name in ("web-1", "web-2"):
        _signal(cluster, name, signal.SIGKILL)
        _wait_ready(cluster, name)

    # The page works: an event round trip (sorting by email) answers, on the same search, logged in.
    page.get_by_role("button", name=re.compile("^Email")).click()
    expect(page.get_by_role("row")).to_have_count(shown)
    expect(page).not_to_have_url(re.compile("/login"))
    page.reload()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    expect(page).not_to_have_url(re.compile("/login"))
    assert cluster.restarts.count("web-1") >= 1 and cluster.restarts.count("web-2") >= 1


@pytest.fixture(autouse=True)
def _bff_replicas_up(request: pytest.FixtureRequest) -> None:
    """Every fault test starts with all replicas answering (a previous test may have killed one)."""
    if "cluster" in request.fixturenames:
        cluster = request.getfixturevalue("cluster")
        _wait_ready(cluster, *(child.name for child in list(cluster.children) if child.spec.ready_urls))
