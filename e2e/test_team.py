"""Teammates in a real browser: an Owner invites an Admin and a Member, who join from the caught emails; the Member
cannot manage invitation links; the Admin removes the Member, whose open Talent Pool page then goes to log in."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from backend.processes import REPO_ROOT
from e2e.helpers import EMAIL_TIMEOUT, PASSWORD, assert_no_serious_axe_violations, link_in, sign_up_company, unique

# docs/team.png is a copy of test-results/screenshots/team.png.
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _invite(page: Page, email: str, name: str, role: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name (optional)").fill(name)
    page.get_by_role("combobox", name="Role", exact=True).click()
    page.get_by_role("option", name=role, exact=True).click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    expect(page.get_by_test_id("team-invitation").filter(has_text=email)).to_be_visible()


def _join(mail, fresh_context, email: str, company: str, name: str) -> Page:
    """The colleague opens the emailed link in their own browser, sets a password and lands in the Talent Pool."""
    message = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    colleague = fresh_context()
    colleague.goto(link_in(message, "/team/join/"))
    expect(colleague.get_by_role("heading", name=f"Join the {company} team", level=1)).to_be_visible()
    _screenshot(colleague, "team-join")
    expect(colleague.get_by_label("Your name")).to_have_value(name)
    colleague.get_by_label("Password").fill(PASSWORD)
    colleague.get_by_role("button", name="Join the team").click()
    expect(colleague.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    return colleague


def test_owner_invites_admin_and_member_admin_removes_member(page: Page, mail, fresh_context, api_url: str) -> None:
    company = f"Initech {unique('team')}"
    admin_email = f"{unique('ada')}@initech.example"
    member_email = f"{unique('milo')}@initech.example"
    sign_up_company(page, company)

    page.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
    _invite(page, admin_email, "Ada Admin", "Admin")
    _invite(page, member_email, "Milo Member", "Member")
    assert_no_serious_axe_violations(page)

    admin = _join(mail, fresh_context, admin_email, company, "Ada Admin")
    member = _join(mail, fresh_context, member_email, company, "Milo Member")
    page.reload()
    expect(page.get_by_test_id("team-member")).to_have_count(3)
    expect(page.get_by_role("combobox", name="Role of Ada Admin")).to_have_text("Admin")
    expect(page.get_by_text("No invitations waiting for an answer.")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    _screenshot(page, "team")

    # The Member: no Team in the navigation, no Invitation link in the ⋯ menu, a clear message at /team.
    expect(member.get_by_role("link", name="Team")).to_have_count(0)
    member.get_by_role("button", name="More actions").click()
    expect(member.get_by_role("menuitem", name="Upload CSV")).to_be_visible()
    expect(member.get_by_role("menuitem", name="Invitation link")).to_have_count(0)
    member.keyboard.press("Escape")
    member.goto("/team")
    expect(member.get_by_text("Only owners and admins can manage the team.")).to_be_visible()
    _screenshot(member, "team-member-refused")
    expect(member.get_by_role("link", name="Settings")).to_have_count(0)
    member.goto("/settings")
    expect(member.get_by_text("Only owners and admins can change the company's settings.")).to_be_visible()
    # The BFF refuses link management to the Member whatever the page shows.
    # (Its session cookie is HttpOnly: the check logs in over the API.)
    login = httpx.post(
        f"{api_url}/api/auth/login", json={"email": member_email, "password": PASSWORD}, timeout=30
    ).json()
    links = httpx.get(f"{api_url}/api/links", headers={"Authorization": f"Bearer {login['token']}"}, timeout=30)
    assert links.status_code == 403 and links.json()["code"] == "role_required"
    member.goto("/")
    expect(member.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()

    # The Admin sees the team and removes the Member (after confirming).
    admin.get_by_role("link", name="Team").click()
    row = admin.get_by_test_id("team-member").filter(has_text=member_email)
    expect(row).to_be_visible()
    row.get_by_role("button", name="Remove Milo Member").click()
    dialog = admin.get_by_role("alertdialog")
    expect(dialog.get_by_text("Remove Milo Member from the team?")).to_be_visible()
    dialog.get_by_role("button", name="Remove").click()
    expect(admin.get_by_text("Milo Member was removed from the team")).to_be_visible()
    expect(admin.get_by_test_id("team-member").filter(has_text=member_email)).to_have_count(0)

    # The Member's open Talent Pool page notices within a few seconds and goes to log in.
    expect(member).to_have_url(re.compile(r"/login"), timeout=15_000)
    member.get_by_label("Email").fill(member_email)
    member.get_by_label("Password").fill(PASSWORD)
    member.get_by_role("button", name="Log in").click()
    expect(member.get_by_text(re.compile("Email or password is incorrect"))).to_be_visible()

    # The Owner's activity log shows what each of the three did, by name.
    page.get_by_role("link", name="Activity").click()
    entries = page.get_by_role("list", name="Activity").get_by_role("listitem")
    expect(entries.filter(has_text="Teammate invited").filter(has_text="Quinn Tester")).to_have_count(2)
    expect(entries.filter(has_text="Joined the team").filter(has_text="Ada Admin")).to_have_count(1)
    expect(entries.filter(has_text="Joined the team").filter(has_text="Milo Member")).to_have_count(1)
    removed = entries.filter(has_text="Teammate removed")
    expect(removed).to_have_count(1)
    expect(removed).to_contain_text("Ada Admin")
    expect(removed).to_contain_text("Milo Member")
    _screenshot(page, "team-activity")

    # Only the Owner renames the company; the Admin sees the new name, read-only.
    page.get_by_role("link", name="Settings").click()
    name = page.get_by_label("Company name")
    expect(name).to_have_value(company)
    name.fill(f"{company} Studio")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_text(f"Your company is now called {company} Studio.")).to_be_visible()
    _screenshot(page, "settings-owner")
    admin.goto("/settings")
    expect(admin.get_by_label("Company name")).to_have_value(f"{company} Studio")
    expect(admin.get_by_label("Company name")).to_be_disabled()
    expect(admin.get_by_text("Only owners can rename the company.")).to_be_visible()


def test_team_page_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_up_company(page, f"Umbrella {unique('team')}")
    page.goto("/team")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    expect(page.get_by_text("You", exact=True)).to_be_visible()
    _screenshot(page, "team-390")
