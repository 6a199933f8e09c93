"""The Talent Pool's view lives in the URL: reload, Back and Forward, a copied link; typing before the page is ready."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocketRoute, expect

from e2e.helpers import Company, unique


def _log_in(page: Page, demo_login: tuple[str, str]) -> None:
    """Log in as the demo user on the login page the app sent `page` to."""
    email, password = demo_login
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def _pick_status(page: Page, label: str) -> None:
    page.get_by_role("button", name="Filter by status").click()
    page.get_by_role("checkbox", name=label, exact=True).click()
    page.keyboard.press("Escape")


def _expect_view(page: Page, *, search: str, status: str | None, sort: str, page_number: int) -> None:
    expect(page.get_by_label("Search contacts")).to_have_value(search)
    if status is None:
        expect(page.get_by_role("button", name=re.compile(r"^Remove status filter "))).to_have_count(0)
    else:
        expect(page.get_by_role("button", name=f"Remove status filter {status}")).to_be_visible()
    expect(page.get_by_role("combobox", name="Sort by")).to_have_text(sort)
    expect(page.get_by_text(re.compile(rf"^Page {page_number} of \d+$"))).to_be_visible()


def test_reload_pool_view_kept_in_url(page: Page, demo_login, fresh_context) -> None:
    page.goto("/")
    _log_in(page, demo_login)
    expect(page.get_by_role("row").nth(5)).to_be_visible()

    _pick_status(page, "active")
    expect(page).to_have_url(re.compile(r"/\?status=active$"))
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Name (Z–A)").click()
    expect(page).to_have_url(re.compile(r"/\?status=active&sort=-name$"))
    page.get_by_role("button", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/\?status=active&sort=-name&page=2$"))
    first_on_page_2 = page.get_by_role("row").nth(1).get_by_role("link").inner_text()

    page.reload()
    _expect_view(page, search="", status="active", sort="Name (Z–A)", page_number=2)
    expect(page.get_by_role("row").nth(1).get_by_role("link")).to_have_text(first_on_page_2)

    # Typing changes the current history entry (no entry per pause) and starts again at page 1.
    page.get_by_label("Search contacts").fill("maya")
    expect(page).to_have_url(re.compile(r"/\?q=maya&status=active&sort=-name$"))
    url = page.url
    page.reload()
    _expect_view(page, search="maya", status="active", sort="Name (Z–A)", page_number=1)
    expect(page.get_by_role("row").nth(1).get_by_role("link")).to_contain_text("Maya")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?status=active&sort=-name$"))
    _expect_view(page, search="", status="active", sort="Name (Z–A)", page_number=1)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?status=active$"))
    _expect_view(page, search="", status="active", sort="Name (A–Z)", page_number=1)
    page.go_back()
    _expect_view(page, search="", status=None, sort="Name (A–Z)", page_number=1)
    page.go_forward()
    _expect_view(page, search="", status="active", sort="Name (A–Z)", page_number=1)
    page.go_forward()
    page.go_forward()
    _expect_view(page, search="maya", status="active", sort="Name (Z–A)", page_number=1)

    # A copied link opens the same view for a teammate (after they log in).
    teammate = fresh_context()
    teammate.goto(url)
    _log_in(teammate, demo_login)
    expect(teammate).to_have_url(url)
    _expect_view(teammate, search="maya", status="active", sort="Name (Z–A)", page_number=1)


def test_type_search_before_page_ready_keeps_typed_text(page: Page, demo_login) -> None:
    page.goto("/")
    _log_in(page, demo_login)
    box = page.get_by_label("Search contacts")
    box.fill("garcia")
    expect(page.get_by_role("row").filter(has_text="Garcia").first).to_be_visible()

    # Hold the server's answers on the page's websocket until the person has typed: a slow page load.
    relay = _HeldRelay()
    page.route_web_socket(re.compile(r"/_event"), relay.route)
    page.reload(wait_until="domcontentloaded")
    # Everything the box shows from now on, sampled every 5 ms.
    page.evaluate(
        """() => { window.__shown = []; setInterval(() => {
            const box = document.querySelector('input[aria-label="Search contacts"]');
            if (box) window.__shown.push(box.value); }, 5); }"""
    )
    box.press_sequentially("ame", delay=40)
    relay.release(page)
    box.press_sequentially("lia", delay=80)

    expect(box).to_have_value("amelia")
    expect(page.get_by_role("row").filter(has_text="Amelia").first).to_be_visible()
    page.wait_for_timeout(1000)
    expect(box).to_have_value("amelia")
    # Nothing but what the person typed ever showed in the box.
    shown = page.evaluate("() => window.__shown")
    assert shown and all("amelia".startswith(value) for value in shown), sorted(set(shown))
    expect(page).to_have_url(re.compile(r"\?q=amelia$"))


def test_type_search_after_reload_of_an_empty_pool_keeps_typed_text(page: Page, api_url: str) -> None:
    """The page last showed an empty pool; a contact arrived since. What is typed at once after a reload stays."""
    company = Company(api_url)
    relay = _HeldRelay(holding=False)
    page.route_web_socket(re.compile(r"/_event"), relay.route)
    company.log_in(page)
    expect(page.get_by_role("heading", name="Your Talent Pool is empty")).to_be_visible()
    # The open page hears of nothing more: its state on the server still says the pool is empty.
    relay.holding = True
    email = f"{unique('late')}@people.example"
    added = httpx.post(
        f"{api_url}/api/contacts", json={"name": "Lane Latecomer", "email": email}, headers=company.headers, timeout=30
    )
    assert added.status_code == 201, added.text

    page.reload(wait_until="domcontentloaded")
    box = page.get_by_label("Search contacts")
    box.press_sequentially(email[:6], delay=40)
    relay.release(page)
    box.press_sequentially(email[6:], delay=20)

    expect(page.get_by_role("row").filter(has_text=email)).to_be_visible()
    expect(box).to_have_value(email)
    page.wait_for_timeout(1000)
    expect(box).to_have_value(email)


class _HeldRelay:
    """Passes the page's websocket through to the server, holding the server's answers until released."""

    def __init__(self, *, holding: bool = True) -> None:
        self.held: list[Any] = []
        self.page_side: WebSocketRoute | None = None
        self.holding = holding

    def route(self, ws: WebSocketRoute) -> None:
        # A new page load: what the previous page was sent is dropped.
        self.held.clear()
        self.page_side = ws
        server = ws.connect_to_server()
        server.on_message(self._from_server)

    def _from_server(self, message: Any) -> None:
        if self.holding:
            self.held.append(message)
        elif self.page_side is not None:
            self.page_side.send(message)

    def release(self, page: Page) -> None:
        for _ in range(200):
            if self.page_side is not None:
                break
            page.wait_for_timeout(50)
        assert self.page_side is not None, "the page opened no websocket"
        self.holding = False
        while self.held:
            self.page_side.send(self.held.pop(0))


# Every change of the page's first heading, with the path it showed under (from the first paint on).
_RECORD_HEADINGS = """
window.__headings = [];
new MutationObserver(() => {
  const heading = document.querySelector('h1');
  const text = heading ? heading.textContent : '';
  const last = window.__headings[window.__headings.length - 1];
  if (!last || last[0] !== location.pathname || last[1] !== text) window.__headings.push([location.pathname, text]);
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


def _headings_under(page: Page, path: str) -> set[str]:
    return {text for shown_path, text in page.evaluate("() => window.__headings") if shown_path == path}


def test_open_profile_never_shows_previous_contact(page: Page, demo_login) -> None:
    page.add_init_script(_RECORD_HEADINGS)
    page.goto("/")
    _log_in(page, demo_login)
    links = page.get_by_role("row").get_by_role("link")
    expect(links.nth(1)).to_be_visible()
    first_name, second_name = links.nth(0).inner_text(), links.nth(1).inner_text()
    second_path = links.nth(1).get_attribute("href")
    assert second_path and first_name != second_name

    links.nth(0).click()
    expect(page.get_by_role("heading", name=first_name, level=1)).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    links.nth(1).click()
    expect(page.get_by_role("heading", name=second_name, level=1)).to_be_visible()
    assert first_name not in _headings_under(page, second_path)

    # A full load of another contact's URL in the same tab (its state still holds this one).
    page.go_back()
    links.nth(0).click()
    expect(page.get_by_role("heading", name=first_name, level=1)).to_be_visible()
    page.goto(second_path)
    expect(page.get_by_role("heading", name=second_name, level=1)).to_be_visible()
    assert first_name not in _headings_under(page, second_path)


def test_open_profile_while_search_pending_keeps_profile_url(page: Page, demo_login) -> None:
    page.goto("/")
    _log_in(page, demo_login)
    link = page.get_by_role("row").nth(1).get_by_role("link")
    name = link.inner_text()
    # Open a profile before the search (debounced) reaches the server: its answer must not change the URL.
    page.get_by_label("Search contacts").press_sequentially("zz", delay=10)
    link.click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    path = page.evaluate("() => location.pathname")
    assert path.startswith("/contacts/")
    page.wait_for_timeout(1500)
    expect(page).to_have_url(re.compile(rf"{path}$"))
    page.reload()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
