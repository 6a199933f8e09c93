"""Forgotten passwords in a real browser: a worker asks for a link, opens it from the caught email, lands in the portal."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from backend.processes import REPO_ROOT
from e2e.helpers import EMAIL_TIMEOUT, PASSWORD, assert_no_serious_axe_violations, unique

OLD_PASSWORD = PASSWORD
NEW_PASSWORD = "a-fresh-password-77"
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _worker_account(api_url: str, mail, email: str) -> None:
    """A company invites `email` and the person accepts over the BFF's API: a worker account with OLD_PASSWORD."""
    company = {
        "company_name": f"Acme {unique('co')}",
        "name": "Quinn Tester",
        "email": f"{unique('q')}@qa.example",
        "password": OLD_PASSWORD,
    }
    session = httpx.post(f"{api_url}/api/auth/signup", json=company, timeout=30).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    invited = httpx.post(
        f"{api_url}/api/invitations", json={"name": "Rosa Reset", "email": email}, headers=headers, timeout=30
    )
    assert invited.status_code == 201, invited.text
    message = mail.wait_for_message(to=email, subject_contains=company["company_name"], timeout=EMAIL_TIMEOUT)
    token = next(link for link in message["links"] if "/invite/" in link).rsplit("/", 1)[1]
    accepted = httpx.post(
        f"{api_url}/api/public/invitations/{token}/accept",
        json={"name": "Rosa Reset", "password": OLD_PASSWORD},
        timeout=30,
    )
    assert accepted.status_code == 201, accepted.text


def test_worker_forgot_password_resets_from_email_to_portal(page: Page, mail, fresh_context, api_url: str) -> None:
    email = f"{unique('rosa')}@people.example"
    _worker_account(api_url, mail, email)
    old_session = httpx.post(
        f"{api_url}/api/worker/auth/login", json={"email": email, "password": OLD_PASSWORD}, timeout=30
    )
    old_headers = {"Authorization": f"Bearer {old_session.json()['token']}"}

    page.goto("/worker/login")
    expect(page.get_by_role("link", name="Forgot password?")).to_be_visible()
    _screenshot(page, "worker-login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/worker/forgot-password$"))
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("Email is required.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Email").fill(email.upper())
    _screenshot(page, "worker-forgot-password")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account uses this email")).to_be_visible()
    _screenshot(page, "worker-forgot-password-sent")

    message = mail.wait_for_message(to=email, subject_contains="Set a new password", timeout=EMAIL_TIMEOUT)
    link = next(link for link in message["links"] if "/worker/reset-password/" in link)
    person = fresh_context()
    person.goto(link)
    expect(person.get_by_role("heading", name="Set a new password")).to_be_visible()
    assert_no_serious_axe_violations(person)
    person.get_by_label("New password").fill("password12")
    person.get_by_role("button", name="Set new password").click()
    expect(person.get_by_text("list of common passwords")).to_be_visible()
    expect(person.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    _screenshot(person, "worker-reset-password-error")
    person.get_by_label("New password").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Set new password").click()
    expect(person).to_have_url(re.compile(r"/worker$"))
    expect(person.get_by_role("button", name="Log out")).to_be_visible()
    expect(person.get_by_role("link", name="Change password")).to_be_visible()
    _screenshot(person, "worker-portal-after-reset")

    # The old session ended; the old password no longer opens one; the new one does.
    assert httpx.get(f"{api_url}/api/worker/auth/me", headers=old_headers, timeout=30).status_code == 401
    old = httpx.post(f"{api_url}/api/worker/auth/login", json={"email": email, "password": OLD_PASSWORD}, timeout=30)
    assert old.status_code == 401
    # The link works once.
    again = fresh_context()
    again.goto(link)
    again.get_by_label("New password").fill("yet-another-password-5")
    again.get_by_role("button", name="Set new password").click()
    expect(again.get_by_text("expired or was already used")).to_be_visible()
    expect(again.get_by_label("New password")).to_have_count(0)
    _screenshot(again, "worker-reset-password-used")
    again.get_by_role("button", name="Ask for a new link").click()
    expect(again).to_have_url(re.compile(r"/worker/forgot-password$"))


def test_company_user_changes_password(page: Page, fresh_context) -> None:
    page.goto("/login")
    expect(page.get_by_role("link", name="Forgot password?")).to_have_attribute("href", "/forgot-password")
    _screenshot(page, "company-login")
    page.goto("/signup")
    email = f"{unique('cara')}@qa.example"
    page.get_by_label("Company name").fill(f"Acme {unique('co')}")
    page.get_by_label("Your name").fill("Cara Change")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()

    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("This is not your current password.")).to_be_visible()
    _screenshot(page, "company-change-password-error")
    page.get_by_label("Current password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()

    other = fresh_context()
    other.goto("/login")
    other.get_by_label("Email").fill(email)
    other.get_by_label("Password").fill(NEW_PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
