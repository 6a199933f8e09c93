"""Session cookies in a real browser: HttpOnly and SameSite=Lax, invisible to page JavaScript, kept across
reloads and new tabs, and ended by Log out (the old value no longer works at the BFF)."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import PASSWORD, unique

COMPANY_COOKIE = "tp_session"
WORKER_COOKIE = "tp_worker_session"
SESSION_TTL_SECONDS = 14 * 24 * 3600  # the BFF's default TP_SESSION_TTL_HOURS


def _cookie(context: BrowserContext, name: str, *, timeout: float = 10.0) -> dict[str, Any] | None:
    """The browser's cookie `name`, waiting a moment for the page to finish its exchange."""
    deadline = time.monotonic() + timeout
    while True:
        found = next((cookie for cookie in context.cookies() if cookie["name"] == name), None)
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(0.1)


def _watch_socket_frames(page: Page) -> list[str]:
    """Every websocket frame the page receives, as text (to check no token travels to the page)."""
    frames: list[str] = []

    def on_socket(socket: Any) -> None:
        socket.on(
            "framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else repr(payload))
        )

    page.on("websocket", on_socket)
    return frames


def _assert_hidden_from_page(page: Page, name: str, frames: list[str]) -> str:
    """The session cookie is HttpOnly, SameSite=Lax, lives as long as the BFF session, and no script sees it."""
    cookie = _cookie(page.context, name)
    assert cookie is not None, [c["name"] for c in page.context.cookies()]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False  # TP_ENV is not production here
    assert cookie["path"] == "/"
    assert abs(cookie["expires"] - (time.time() + SESSION_TTL_SECONDS)) < 600
    token = cookie["value"]
    assert len(token) >= 43
    assert name not in page.evaluate("document.cookie")
    storage = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert token not in storage
    assert token not in page.content()
    assert not [frame for frame in frames if token in frame]
    return token


def _sent_ticket(frames: list[str]) -> tuple[str, str]:
    """The last ticket (and Reflex client token) the server handed the page for the cookie exchange."""
    found = [
        (client.group(1), ticket.group(1))
        for frame in frames
        if (ticket := re.search(r'ticket\\*": \\*"([0-9]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)', frame))
        and (client := re.search(r'client\\*": \\*"([A-Za-z0-9-]+)', frame))
    ]
    assert found, "no ticket was sent to the page"
    return found[-1]


def _bff_status(api_url: str, path: str, token: str) -> int:
    response = httpx.get(f"{api_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return response.status_code


def test_login_company_session_cookie_http_only(page: Page, api_url: str, base_url: str) -> None:
    frames = _watch_socket_frames(page)
    email = f"{unique('quinn')}@qa.example"
    page.goto("/signup")
    page.get_by_label("Company name").fill(f"Cookie Co {unique('x')}")
    page.get_by_label("Your name").fill("Quinn Tester")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    first_token = _assert_hidden_from_page(page, COMPANY_COOKIE, frames)
    assert _bff_status(api_url, "/api/auth/me", first_token) == 200

    # The page already used its ticket: the same ticket again opens nothing.
    client, ticket = _sent_ticket(frames)
    replay = page.request.post(
        "/_session/open",
        form={"kind": "company", "client": client, "ticket": ticket},
        headers={"Origin": base_url},
    )
    assert replay.status == 400
    assert replay.json()["code"] == "invalid_ticket"
    assert "set-cookie" not in replay.headers

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert _cookie(page.context, COMPANY_COOKIE, timeout=0) is None
    assert _bff_status(api_url, "/api/auth/me", first_token) == 401
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Your Talent Pool is empty")).to_be_visible()
    token = _assert_hidden_from_page(page, COMPANY_COOKIE, frames)
    assert token != first_token

    # A reload, and a new tab (a new Reflex client) are signed in by the cookie alone.
    page.reload()
    expect(page.get_by_text("Your Talent Pool is empty")).to_be_visible()
    other_tab = page.context.new_page()
    other_frames = _watch_socket_frames(other_tab)
    other_tab.goto("/")
    expect(other_tab.get_by_text("Your Talent Pool is empty")).to_be_visible()
    _assert_hidden_from_page(other_tab, COMPANY_COOKIE, other_frames)

    other_tab.get_by_role("button", name="Log out").click()
    expect(other_tab.get_by_role("button", name="Log in")).to_be_visible()
    assert _cookie(page.context, COMPANY_COOKIE, timeout=0) is None
    assert _bff_status(api_url, "/api/auth/me", token) == 401
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def _company_link(api_url: str) -> tuple[str, str]:
    """A company (made over the BFF's API) and an invitation link of it: (company name, link URL)."""
    company = f"Cookie Works {unique('x')}"
    with httpx.Client(base_url=api_url, timeout=10) as http:
        session = http.post(
            "/api/auth/signup",
            json={
                "company_name": company,
                "name": "Cleo",
                "email": f"{unique('cleo')}@qa.example",
                "password": PASSWORD,
            },
        )
        session.raise_for_status()
        headers = {"Authorization": f"Bearer {session.json()['token']}"}
        link = http.post("/api/links", json={"label": "Cookies"}, headers=headers)
        link.raise_for_status()
    return company, link.json()["url"]


def test_login_worker_session_cookie_http_only(page: Page, api_url: str) -> None:
    company, url = _company_link(api_url)
    email = f"{unique('wes')}@people.example"
    frames = _watch_socket_frames(page)
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Join {company}'s Talent Pool", level=1)).to_be_visible()
    page.get_by_label("Your name").fill("Wes Worker")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    signup_token = _assert_hidden_from_page(page, WORKER_COOKIE, frames)
    assert _cookie(page.context, COMPANY_COOKIE, timeout=0) is None  # the two sessions stay apart
    assert _bff_status(api_url, "/api/worker/auth/me", signup_token) == 200

    page.goto("/worker")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to your worker account")).to_be_visible()
    assert _cookie(page.context, WORKER_COOKIE, timeout=0) is None
    assert _bff_status(api_url, "/api/worker/auth/me", signup_token) == 401

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/worker$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    token = _assert_hidden_from_page(page, WORKER_COOKIE, frames)
    assert token != signup_token

    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.goto("/worker")
    expect(other_tab).to_have_url(re.compile(r"/worker/?$"))
    expect(other_tab.get_by_role("button", name="Log out")).to_be_visible()

    other_tab.get_by_role("button", name="Log out").click()
    expect(other_tab.get_by_role("heading", name="Log in to your worker account")).to_be_visible()
    assert _cookie(page.context, WORKER_COOKIE, timeout=0) is None
    assert _bff_status(api_url, "/api/worker/auth/me", token) == 401
    page.goto("/worker")
    expect(page).to_have_url(re.compile(r"/worker/login"))


def test_open_page_stolen_client_token_without_cookie_is_signed_out(page: Page, fresh_context, demo_login) -> None:
    """The Reflex client id alone (readable by page scripts) does not carry the session to another browser."""
    email, password = demo_login
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    assert _cookie(page.context, COMPANY_COOKIE) is not None
    client_token = page.evaluate("window.sessionStorage.getItem('token')")
    assert client_token
    owner = page.context
    page.close()  # Reflex gives a client id in use by an open tab a new one; this one is free now
    time.sleep(1)

    intruder = fresh_context()
    intruder.context.add_init_script(f"window.sessionStorage.setItem('token', {client_token!r});")
    intruder.goto("/")
    expect(intruder).to_have_url(re.compile(r"/login"))
    expect(intruder.get_by_role("button", name="Log in")).to_be_visible()
    assert intruder.evaluate("window.sessionStorage.getItem('token')") == client_token

    # The owner of the session, with the cookie, is still signed in.
    again = owner.new_page()
    again.goto("/")
    expect(again.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def test_sign_up_through_link_check_your_email_only_once_cookie_is_set(page: Page, api_url: str) -> None:
    """The "Check your email" card means the browser holds the worker cookie: a new tab from there is signed in."""
    _company, url = _company_link(api_url)
    held: list[Any] = []
    page.route("**/_session/open", lambda route: held.append(route))
    page.goto(url)
    page.get_by_label("Your name").fill("Sal Signup")
    page.get_by_label("Email").fill(f"{unique('sal')}@people.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the page never asked for the worker cookie"
    page.wait_for_timeout(500)  # time enough for a confirmation sent with the ticket to show
    expect(page.get_by_role("heading", name="Check your email")).to_have_count(0)

    held[0].continue_()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.goto("/worker")
    expect(other_tab.get_by_role("button", name="Log out")).to_be_visible()
    expect(other_tab).to_have_url(re.compile(r"/worker/?$"))
