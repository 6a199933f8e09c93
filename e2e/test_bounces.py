"""A bounce that arrives later, in a real browser: the mail catcher's "Send a bounce" delivers a DSN to the
bounce receiver, and the open Talent Pool page shows the invitation email failed with the reason."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from backend.processes import REPO_ROOT
from e2e.helpers import EMAIL_TIMEOUT, contact_row, invite, sign_up_company, unique

SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def test_bounce_from_mail_catcher_shows_failed_on_open_pool_page(page: Page, mail, fresh_context) -> None:
    company = f"Bounce {unique('works')}"
    email = f"{unique('gone')}@people.example"
    sign_up_company(page, company)
    invite(page, "Gus Gone", email)
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    message = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    row = contact_row(page, email)
    expect(row).to_contain_text("invited")
    page.evaluate("window.__sameDocument = true")

    catcher = fresh_context()
    catcher.goto(f"{mail.url}/messages/{message['id']}")
    expect(catcher.get_by_text("bounce+")).to_be_visible()
    catcher.set_viewport_size({"width": 1280, "height": 800})
    catcher.screenshot(path=str(SCREENSHOTS / "mailcatcher-send-bounce.png"))
    catcher.get_by_role("button", name="Send a bounce").click()
    expect(catcher.get_by_role("status")).to_contain_text("Bounce sent")

    expect(row).to_contain_text(
        "Invitation email failed: Bounced: 550 5.1.1 The email account that you tried to reach does not exist",
        timeout=10_000,
    )
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    page.screenshot(path=str(SCREENSHOTS / "bounce-failed-row-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    expect(contact_row(page, email)).to_contain_text("Bounced: 550 5.1.1")
    page.screenshot(path=str(SCREENSHOTS / "bounce-failed-row-390.png"), full_page=True)
