"""The Talent Pool page's header and row actions."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import EMAIL_TIMEOUT, sign_up_company, unique


def test_open_empty_pool_header_keeps_menu_beside_invite(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_up_company(page, unique("Empty Pool Co"))
    expect(page.get_by_role("heading", name="Your Talent Pool is empty")).to_be_visible()

    invite = page.get_by_role("button", name="Invite", exact=True)
    menu = page.get_by_role("button", name="More actions")
    expect(invite).to_have_count(1)
    expect(menu).to_be_visible()
    invite_box, menu_box = invite.bounding_box(), menu.bounding_box()
    assert invite_box and menu_box
    # Side by side in the header: the menu right of Invite, on the same line, a small gap between.
    assert abs((invite_box["y"] + invite_box["height"] / 2) - (menu_box["y"] + menu_box["height"] / 2)) < 4
    assert 0 <= menu_box["x"] - (invite_box["x"] + invite_box["width"]) < 24
    heading_box = page.get_by_role("heading", name="Talent Pool", level=1).bounding_box()
    assert heading_box and invite_box["y"] < heading_box["y"] + heading_box["height"] + 40

    invite.click()
    expect(page.get_by_role("dialog", name="Invite a trusted contact")).to_be_visible()


def _log_in_demo(page: Page, demo_login: tuple[str, str], path: str) -> None:
    """Open `path` and log in as the demo user on the login page it sends to."""
    email, password = demo_login
    page.goto(path)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()


def test_hire_from_row_sends_offer_like_profile(page: Page, demo_login) -> None:
    _log_in_demo(page, demo_login, "/?status=active&sort=-created_at")
    hire = page.get_by_role("button", name=re.compile(r"^Hire ")).first
    expect(hire).to_be_visible()
    email = (hire.get_attribute("aria-label") or "").removeprefix("Hire ")
    row = page.get_by_role("row").filter(has_text=email)
    name = row.get_by_role("link").inner_text()
    # Only active contacts offer Hire: no other status does.
    expect(
        page.get_by_role("row").filter(has_not_text="active").get_by_role("button", name=re.compile(r"^(Re-)?[Hh]ire "))
    ).to_have_count(0)

    hire.click()
    dialog = page.get_by_role("dialog", name=f"Hire {name}")
    expect(dialog).to_be_visible()
    title = unique("Row offer")
    dialog.get_by_label("Job title").fill(title)
    dialog.get_by_label("Start date").fill("2027-05-03")
    dialog.get_by_label("Rate", exact=True).fill("70")
    dialog.get_by_label("Location").fill("Oslo")
    dialog.get_by_role("button", name="Send job offer").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Job offer sent to {name}")).to_be_visible()

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    offers = page.get_by_role("listitem", name=title)
    expect(offers).to_contain_text("Offered")


def test_rehire_from_row_prefills_last_job(page: Page, demo_login) -> None:
    _log_in_demo(page, demo_login, "/?status=active&worked_before=1")
    rehire = page.get_by_role("button", name=re.compile(r"^Re-hire ")).first
    expect(rehire).to_be_visible()
    email = (rehire.get_attribute("aria-label") or "").removeprefix("Re-hire ")
    name = page.get_by_role("row").filter(has_text=email).get_by_role("link").inner_text()
    rehire.click()
    dialog = page.get_by_role("dialog", name=f"Re-hire {name}")
    expect(dialog).to_contain_text("Filled in from the last job")
    expect(dialog.get_by_label("Job title")).not_to_have_value("")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()


def _make_active_by_hand(stack, email: str) -> None:
    """Set a contact added by hand to `active` straight in the database: it has no worker account."""
    if not stack.database_url.startswith("sqlite:///"):
        pytest.skip("makes a contact active in the SQLite database of the `make run` topology")
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        changed = db.execute("UPDATE contact SET status = 'active' WHERE email = ?", (email,)).rowcount
    assert changed == 1


def _add_by_hand(page: Page, name: str, email: str) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Add without inviting").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()


def _fill_offer(dialog, title: str) -> None:
    dialog.get_by_label("Job title").fill(title)
    dialog.get_by_label("Start date").fill("2027-05-03")
    dialog.get_by_label("Rate", exact=True).fill("70")
    dialog.get_by_label("Location").fill("Oslo")


def test_hire_without_worker_account_invites_with_offer(page: Page, stack, mail) -> None:
    company = unique("Hand Made Co")
    sign_up_company(page, company)
    row_email, profile_email = f"{unique('rowan')}@qa.example", f"{unique('petra')}@qa.example"
    _add_by_hand(page, "Rowan Hand", row_email)
    _add_by_hand(page, "Petra Hand", profile_email)
    _make_active_by_hand(stack, row_email)
    _make_active_by_hand(stack, profile_email)
    page.reload()

    # From the row: Hire offers the invitation with the offer, not an offer nobody could answer.
    page.get_by_role("button", name=f"Hire {row_email}").click()
    dialog = page.get_by_role("dialog", name="Hire Rowan Hand")
    expect(dialog).to_contain_text("has no worker account yet")
    expect(dialog.get_by_role("button", name="Send job offer")).to_have_count(0)
    _fill_offer(dialog, "Row audit")
    dialog.get_by_role("button", name="Invite and offer job").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Invitation and job offer sent to {row_email}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=row_email)).to_contain_text("invited")
    message = mail.wait_for_message(to=row_email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    assert "Row audit" in message["text"], message["text"]

    # From the profile: the same.
    page.get_by_role("row").filter(has_text=profile_email).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Petra Hand", level=1)).to_be_visible()
    page.get_by_role("button", name="Hire", exact=True).click()
    dialog = page.get_by_role("dialog", name="Hire Petra Hand")
    expect(dialog).to_contain_text("has no worker account yet")
    _fill_offer(dialog, "Profile audit")
    dialog.get_by_role("button", name="Invite and offer job").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Invitation and job offer sent to {profile_email}")).to_be_visible()
    message = mail.wait_for_message(to=profile_email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    assert "Profile audit" in message["text"], message["text"]
