"""The mail catcher: a real SMTP server whose caught emails can be read as pages and as JSON."""

from __future__ import annotations

import socket

import httpx

from backend.db import write_transaction
from backend.email.outbox import enqueue_email
from backend.email.render import render_email
from backend.email.sender import OutboxSender, SenderConfig
from backend.email.tables import OutboxEmail
from backend.mailcatcher.server import run_catcher
from backend.mailcatcher.store import MailStore, extract_links
from backend.mailcatcher.web import IFRAME_SANDBOX


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def send_invitation(smtp_port: int, to_email: str, message: str = "") -> None:
    async with write_transaction():
        email = render_email(
            "invitation", company_name="Acme <Ltd>", inviter_name="Olivia", message=message, link="/invite/tok"
        )
        await enqueue_email(email, to_email=to_email, to_name="Bob Builder")
    sender = OutboxSender(SenderConfig(smtp_port=smtp_port))
    try:
        assert await sender.drain() == 1
    finally:
        await sender.close()


async def test_mailcatcher_catches_lists_and_shows_an_email(tmp_path):
    store_dir = tmp_path / "mail"
    async with run_catcher(store_dir, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        await send_invitation(catcher.smtp_port, "bob@example.com", message="Hi <b>Bob</b>")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{catcher.http_port}") as http:
            listing = (await http.get("/api/messages")).json()
            assert len(listing) == 1
            summary = listing[0]
            assert summary["to"] == "Bob Builder <bob@example.com>"
            assert summary["subject"] == "Olivia invited you to Acme <Ltd>'s Talent Pool"
            assert summary["received_at"]

            detail = (await http.get(f"/api/messages/{summary['id']}")).json()
            assert detail["from"] == "Talent Pool <no-reply@talentpool.example>"
            assert detail["to"] == summary["to"] and detail["recipients"] == ["bob@example.com"]
            assert "http://testserver.local/invite/tok" in detail["text"]
            assert "Hi &lt;b&gt;Bob&lt;/b&gt;" in detail["html"]
            assert detail["links"][0] == "http://testserver.local/invite/tok"

            page = await http.get("/")
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert "Olivia invited you to Acme &lt;Ltd&gt;" in page.text
            assert f'href="/messages/{summary["id"]}"' in page.text

            message_page = await http.get(f"/messages/{summary['id']}")
            assert message_page.status_code == 200
            assert f'sandbox="{IFRAME_SANDBOX}"' in message_page.text
            assert 'href="http://testserver.local/invite/tok"' in message_page.text

            html_part = await http.get(f"/messages/{summary['id']}/html")
            assert html_part.headers["content-security-policy"].startswith("sandbox ")
            assert 'href="http://testserver.local/invite/tok"' in html_part.text

            raw = await http.get(f"/messages/{summary['id']}/raw")
            assert raw.status_code == 200 and b"Message-ID:" in raw.content

            assert (await http.get("/api/messages", params={"to": "nobody@"})).json() == []
            assert (await http.get("/api/messages/no-such-id")).status_code == 404
            assert (await http.get("/api/messages/..%2F..%2Fetc")).status_code == 404

    # The emails are files: a restarted catcher still has them.
    assert [summary.to for summary in MailStore(store_dir).list()] == ["Bob Builder <bob@example.com>"]


async def test_mailcatcher_lists_newest_first_and_clears(tmp_path):
    async with run_catcher(tmp_path, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        await send_invitation(catcher.smtp_port, "first@example.com")
        await send_invitation(catcher.smtp_port, "second@example.com")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{catcher.http_port}") as http:
            listing = (await http.get("/api/messages")).json()
            assert [item["to"] for item in listing] == [
                "Bob Builder <second@example.com>",
                "Bob Builder <first@example.com>",
            ]
            assert len((await http.get("/api/messages", params={"to": "first@"})).json()) == 1

            assert (await http.delete("/api/messages")).status_code == 204
            assert (await http.get("/api/messages")).json() == []
    assert list(tmp_path.glob("*.eml")) == []


def test_extract_links_keeps_http_links_once_in_order():
    html = (
        '<a href="https://a.example/1">a</a><a href="mailto:x@y">m</a>'
        '<a href="http://b.example/?x=1&amp;y=2">b</a><a href="https://a.example/1">again</a><a>none</a>'
    )
    assert extract_links(html) == ["https://a.example/1", "http://b.example/?x=1&y=2"]


async def test_mailcatcher_refuses_bounce_domain_and_takes_international_addresses(tmp_path):
    async with run_catcher(tmp_path, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        async with write_transaction():
            email = render_email("invitation", company_name="Acme", inviter_name="Olivia", link="/invite/tok")
            await enqueue_email(email, to_email="ghost@bounce.example", to_name="Ghost")
            await enqueue_email(email, to_email="léa@exämple.com", to_name="Léa")
        sender = OutboxSender(SenderConfig(smtp_port=catcher.smtp_port))
        try:
            assert await sender.drain() == 1
        finally:
            await sender.close()
        rows = {
            row["to_email"]: row
            for row in await OutboxEmail.select(OutboxEmail.to_email, OutboxEmail.status, OutboxEmail.last_error)
        }
        assert (
            rows["ghost@bounce.example"]["status"] == "failed" and "550" in rows["ghost@bounce.example"]["last_error"]
        )
        assert rows["léa@exämple.com"]["status"] == "sent"
        [summary] = catcher.store.list()
        assert "xn--exmple-cua.com" in summary.to


async def test_restart_mailcatcher_marks_emails_of_earlier_run(tmp_path):
    async with run_catcher(tmp_path, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        await send_invitation(catcher.smtp_port, "before@example.com")
    async with run_catcher(tmp_path, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        await send_invitation(catcher.smtp_port, "after@example.com")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{catcher.http_port}") as http:
            listing = (await http.get("/api/messages")).json()
            assert [(item["to"], item["earlier_run"]) for item in listing] == [
                ("Bob Builder <after@example.com>", False),
                ("Bob Builder <before@example.com>", True),
            ]
            page = (await http.get("/")).text
            assert page.count('class="earlier"') == 1 and page.count(">Earlier run</span>") == 1
            assert "1 of them was caught by an earlier run of <code>make run</code>" in page
            earlier = (await http.get(f"/messages/{listing[1]['id']}")).text
            assert "Caught by an earlier run" in earlier
            assert "Caught by an earlier run" not in (await http.get(f"/messages/{listing[0]['id']}")).text


async def test_show_mailcatcher_html_part_reports_height_only_by_nonce(tmp_path):
    async with run_catcher(tmp_path, smtp_port=unused_port(), http_port=unused_port()) as catcher:
        await send_invitation(catcher.smtp_port, "tall@example.com", message="Line\n" * 200)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{catcher.http_port}") as http:
            message_id = (await http.get("/api/messages")).json()[0]["id"]
            part = await http.get(f"/messages/{message_id}/html")
            policy = part.headers["content-security-policy"]
            nonce = policy.split("'nonce-")[1].split("'")[0]
            assert policy == f"sandbox {IFRAME_SANDBOX}; script-src 'nonce-{nonce}'"
            assert part.text.count("<script") == 1 and f'<script nonce="{nonce}">' in part.text
            assert "catcherFrameHeight" in part.text
            again = await http.get(f"/messages/{message_id}/html")
            assert nonce not in again.headers["content-security-policy"]
            page = (await http.get(f"/messages/{message_id}")).text
            assert 'id="html-part"' in page and "catcherFrameHeight" in page
