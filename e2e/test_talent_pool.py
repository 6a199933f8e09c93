"""The Talent Pool in a real browser: account, contacts, search, edit, log out, accessibility."""

import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect


def _sign_up(page: Page, company: str, email: str) -> None:
    page.goto("/signup")
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Your name").fill("Quinn Tester")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill("a-long-password-42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def _open_add_without_inviting(page: Page, *, pool_is_empty: bool) -> None:
    """The empty pool offers "Add without inviting" directly; otherwise it sits in the ⋯ menu."""
    if pool_is_empty:
        page.get_by_role("button", name="Add without inviting").click()
    else:
        page.get_by_role("button", name="More actions").click()
        page.get_by_role("menuitem", name="Add without inviting").click()


def _add_tag(page: Page, tag: str) -> None:
    tags = page.get_by_label("Tags", exact=True)
    tags.fill(tag)
    tags.press("Enter")


def test_company_account_contact_lifecycle(page: Page) -> None:
    email = f"quinn-{uuid.uuid4().hex[:8]}@qa.example"
    tag = f"qa-{uuid.uuid4().hex[:6]}"
    _sign_up(page, "QA Studio", email)
    expect(page.get_by_text("Your Talent Pool is empty")).to_be_visible()

    _open_add_without_inviting(page, pool_is_empty=True)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Linus <b>Bold</b>")
    dialog.get_by_label("Email").fill("Linus@Kernel.example")
    _add_tag(page, tag)
    _add_tag(page, "C Programming")
    dialog.get_by_label("Private notes").fill("Met at FOSDEM")
    dialog.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Contact added")).to_be_visible()

    # A second contact the tag search must filter out.
    _open_add_without_inviting(page, pool_is_empty=False)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Ada Lovelace")
    dialog.get_by_label("Email").fill("ada@engine.example")
    dialog.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("cell", name="Ada Lovelace")).to_be_visible()

    page.get_by_label("Search contacts").fill(tag)
    expect(page.get_by_role("cell", name="Ada Lovelace")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="linus@kernel.example")
    expect(row).to_be_visible()
    # HTML typed into a name is shown as text, never rendered.
    expect(row.get_by_text("Linus <b>Bold</b>")).to_be_visible()
    expect(row.get_by_text(tag)).to_be_visible()

    row.get_by_text("Linus <b>Bold</b>").click()
    expect(page.get_by_role("heading", name="Linus <b>Bold</b>")).to_be_visible()
    expect(page.get_by_text("Met at FOSDEM")).to_be_visible()
    page.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("dialog")
    edit.get_by_label("Name").fill("Linus Torvalds")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Linus Torvalds")).to_be_visible()

    page.get_by_role("link", name="Back to Talent Pool").click()
    page.get_by_label("Search contacts").fill("torvalds")
    expect(page.get_by_role("cell", name="Linus Torvalds")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a-long-password-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("cell", name="Linus Torvalds")).to_be_visible()


def test_duplicate_email_shows_field_error(page: Page) -> None:
    _sign_up(page, "Dupes Inc", f"dupes-{uuid.uuid4().hex[:8]}@qa.example")
    for attempt in range(2):
        _open_add_without_inviting(page, pool_is_empty=attempt == 0)
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Name").fill("Same Person")
        dialog.get_by_label("Email").fill("  SAME@person.example" if attempt else "same@person.example")
        dialog.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("dialog").get_by_text("already in your Talent Pool")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_label("Email")).to_have_attribute("aria-invalid", "true")


def test_talent_pool_page_has_no_serious_accessibility_violations(page: Page, demo_login) -> None:
    email, password = demo_login
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    expect(page.get_by_role("row").nth(5)).to_be_visible()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]
