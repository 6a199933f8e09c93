"""The activity log and the link funnel in a real browser: changes made in the browser appear on the
Activity page by the teammate's name; a link's funnel counts a view and a sign-up."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD, assert_no_serious_axe_violations, invite, sign_up_company, unique


def _open_links_dialog(page: Page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Invitation link").click()
    dialog = page.get_by_role("dialog", name="Invitation links")
    expect(dialog).to_be_visible()
    return dialog


def _create_link(page: Page, label: str):
    dialog = _open_links_dialog(page)
    dialog.get_by_label("Label").fill(label)
    dialog.get_by_role("button", name="Create link").click()
    card = dialog.get_by_role("group", name=f"Link {label}")
    expect(card).to_be_visible()
    return dialog, card


def test_activity_page_shows_invite_and_link_change_by_name(page: Page, tmp_path) -> None:
    sign_up_company(page, f"Initech {unique('log')}")
    email = f"{unique('ada')}@people.example"
    invite(page, "Ada Lovelace", email)
    dialog, card = _create_link(page, "Referrals")
    card.get_by_role("button", name="Rotate").click()
    confirm = page.get_by_role("alertdialog", name="Rotate this link?")
    confirm.get_by_role("button", name="Rotate").click()
    expect(confirm).to_be_hidden()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    page.get_by_role("link", name="Activity").click()
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    entries = page.get_by_role("list", name="Activity").get_by_role("listitem")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text("Invitation link rotated")
    expect(entries.nth(0)).to_contain_text("Referrals")
    expect(entries.nth(1)).to_contain_text("Invitation link created")
    expect(entries.nth(2)).to_contain_text("Invitation sent")
    expect(entries.nth(2)).to_contain_text(email)
    for index in range(3):
        expect(entries.nth(index)).to_contain_text("Quinn Tester")
    assert_no_serious_axe_violations(page)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    page.screenshot(path=str(tmp_path / "activity-1280.png"), full_page=True)

    page.get_by_label("Action").click()
    page.get_by_role("option", name="Invitation sent").click()
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(email)
    page.get_by_role("button", name="Clear filters").click()
    expect(entries).to_have_count(3)

    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    page.screenshot(path=str(tmp_path / "activity-390.png"), full_page=True)


def test_links_dialog_shows_funnel_after_view_and_signup(page: Page, fresh_context, tmp_path) -> None:
    company = f"Globex {unique('funnel')}"
    sign_up_company(page, company)
    dialog, card = _create_link(page, "Meetup")
    url = card.get_by_label("Link URL for Meetup").input_value()
    funnel = card.get_by_role("group", name="Funnel of Meetup")
    expect(funnel).to_contain_text(re.compile(r"0\s*Views"))
    dialog.get_by_role("button", name="Close").click()

    applicant = fresh_context()
    applicant.goto(url)
    expect(applicant.get_by_role("heading", name=f"Join {company}'s Talent Pool", level=1)).to_be_visible()
    applicant.get_by_label("Your name").fill("Ada Applicant")
    applicant.get_by_label("Email").fill(f"{unique('ada')}@people.example")
    applicant.get_by_label("Password").fill(PASSWORD)
    applicant.get_by_role("button", name="Sign up").click()
    expect(applicant.get_by_role("heading", name="Check your email")).to_be_visible()

    dialog = _open_links_dialog(page)
    funnel = dialog.get_by_role("group", name="Funnel of Meetup")
    expect(funnel).to_contain_text(
        re.compile(r"^1\s*Views\s*1\s*Sign-ups\s*0\s*Confirmed\s*0\s*Approved\s*0\s*Rejected")
    )
    chart = dialog.get_by_role("img", name=re.compile("Last 30 days of Meetup: 1 views, 1 sign-ups"))
    expect(chart).to_be_visible()
    expect(chart.locator(".recharts-bar-rectangle").first).to_be_attached()
    funnel.scroll_into_view_if_needed()
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    page.screenshot(path=str(tmp_path / "links-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    funnel.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "links-390.png"))
