"""What the browser tests share: the test password, unique names, signing a company up, inviting, finding rows."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

PASSWORD = "a-long-password-42"
# Emails reach the catcher within about a second; the first test also waits for the stack.
EMAIL_TIMEOUT = 30


def unique(prefix: str) -> str:
    """`prefix` with a random suffix, so tests sharing one stack never meet each other's data."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sign_up_company(page: Page, company: str, email: str | None = None) -> None:
    """Create a company account through the sign-up page and wait for its Talent Pool."""
    page.goto("/signup")
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Your name").fill("Quinn Tester")
    page.get_by_label("Work email").fill(email or f"{unique('quinn')}@qa.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def invite(page: Page, name: str, email: str, *, message: str | None = None, tags: tuple[str, ...] = ()) -> None:
    """Open the Invite form (from the header or the empty pool), fill it and send it."""
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Email", exact=True).fill(email)
    for tag in tags:
        dialog.get_by_label("Skills / tags").fill(tag)
        dialog.get_by_label("Skills / tags").press("Enter")
    if message is not None:
        dialog.get_by_label("Invite message").fill(message)
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(dialog).to_be_hidden()


def contact_row(page: Page, email: str) -> Locator:
    """The Talent Pool table's one row for `email`, found through the search box."""
    # A closing dialog still holds the focus: typing then would not replace the box's text.
    expect(page.locator(".rt-DialogContent")).to_have_count(0)
    box = page.get_by_label("Search contacts")
    box.fill(email)
    # Nothing the page does while it loads may replace or drop what was typed.
    expect(box).to_have_value(email)
    found = page.get_by_role("row").filter(has_text=email)
    expect(found).to_have_count(1)
    return found


def link_in(message: dict, part: str) -> str:
    """The first link of a caught email whose URL contains `part` (e.g. "/invite/")."""
    links = [link for link in message["links"] if part in link]
    assert links, message["links"]
    return links[0]


def invite_link(message: dict) -> str:
    """The invitation link of a caught invitation email."""
    return link_in(message, "/invite/")


def accept_by_email(mail, fresh_context: Callable[[], Page], email: str, company: str, name: str) -> tuple[Page, str]:
    """The invitee opens the invitation email's link in their own browser and creates the worker account."""
    message = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    link = invite_link(message)
    invitee = fresh_context()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name=company, level=1)).to_be_visible()
    expect(invitee.get_by_label("Your name")).to_have_value(name)
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee).to_have_url(re.compile(r"/worker$"))
    return invitee, link


def assert_no_serious_axe_violations(page: Page, context: Any = None) -> None:
    """Axe finds no serious or critical violation on the page (or on the part `context` selects).

    It looks once nothing is fading in or out (a toast half-way through its entrance has less contrast
    than it will have a moment later); endless animations such as spinners do not count.
    """
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
        timeout=10_000,
    )
    results = Axe().run(page) if context is None else Axe().run(page, context=context)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]


class Company:
    """A company signed up over the BFF's API, with one invitation link."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.name = f"Decisive {unique('co')}"
        self.email = f"{unique('dee')}@qa.example"
        signup = httpx.post(
            f"{api_url}/api/auth/signup",
            json={"company_name": self.name, "name": "Dee Cider", "email": self.email, "password": PASSWORD},
            timeout=30,
        )
        assert signup.status_code == 201, signup.text
        self.headers = {"Authorization": f"Bearer {signup.json()['token']}"}
        link = httpx.post(f"{api_url}/api/links", json={"label": "Website"}, headers=self.headers, timeout=30)
        assert link.status_code == 201, link.text
        self.link_url = link.json()["url"]
        self.link_token = self.link_url.rstrip("/").rsplit("/", 1)[-1]

    def apply(self, name: str, email: str) -> None:
        """Someone signs up through the company's link (their email not confirmed yet)."""
        signup = httpx.post(
            f"{self.api_url}/api/public/links/{self.link_token}/signup",
            json={"name": name, "email": email, "password": PASSWORD},
            timeout=30,
        )
        assert signup.status_code == 201, signup.text

    def statuses(self) -> dict[str, str]:
        """{email: status} of every contact, read from the BFF."""
        listed = httpx.get(f"{self.api_url}/api/contacts", params={"page_size": 100}, headers=self.headers, timeout=30)
        assert listed.status_code == 200, listed.text
        return {item["email"]: item["status"] for item in listed.json()["items"]}

    def log_in(self, page: Page) -> None:
        """The company user logs in through the log-in page."""
        page.goto("/login")
        page.get_by_label("Email").fill(self.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def confirm_email(mail, company: Company, email: str) -> None:
    """The applicant confirms their email with the link the mail catcher caught."""
    message = mail.wait_for_message(to=email, subject_contains="Confirm your email", timeout=EMAIL_TIMEOUT)
    token = link_in(message, "/confirm-email/").rsplit("/", 1)[-1]
    confirmed = httpx.post(f"{company.api_url}/api/public/confirm-email/{token}", timeout=30)
    assert confirmed.status_code == 200, confirmed.text
