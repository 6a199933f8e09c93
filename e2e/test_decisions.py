"""Decisions the user can trust, in a real browser: Reject asks first, and only applicants who
confirmed their email wait for approval."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from backend.processes import REPO_ROOT
from e2e.helpers import EMAIL_TIMEOUT, PASSWORD, Company, confirm_email, contact_row, link_in, unique

SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def _screenshot(page: Page, name: str, width: int = 1280) -> None:
    """A full-page screenshot at `width` px, for looking at what changed."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)


def _eventually(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether `check()` becomes true within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_reject_applicant_asks_first_naming_them(page: Page, api_url: str) -> None:
    company = Company(api_url)
    row_email, bulk_email, profile_email = (f"{unique(who)}@people.example" for who in ("rhea", "bram", "pia"))
    company.apply("Rhea Row", row_email)
    company.apply("Bram Bulk", bulk_email)
    company.apply("Pia Profile", profile_email)
    company.log_in(page)

    # From the row: Cancel leaves the applicant as they were; Reject in the dialog rejects them.
    contact_row(page, row_email).get_by_role("button", name=f"Reject {row_email}").click()
    confirm = page.get_by_role("alertdialog", name="Reject Rhea Row?")
    expect(confirm).to_contain_text("Rhea Row will not join your Talent Pool")
    _screenshot(page, "reject-confirmation")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    assert company.statuses()[row_email] == "applied"
    contact_row(page, row_email).get_by_role("button", name=f"Reject {row_email}").click()
    page.get_by_role("alertdialog", name="Reject Rhea Row?").get_by_role("button", name="Reject").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.get_by_text("Rejected 1")).to_be_visible()
    assert company.statuses()[row_email] == "rejected"

    # The bulk action names the ticked applicant too.
    contact_row(page, bulk_email).get_by_role("checkbox", name=f"Select {bulk_email}").click()
    page.get_by_role("region", name="Bulk actions").get_by_role("button", name="Reject").click()
    confirm = page.get_by_role("alertdialog", name="Reject Bram Bulk?")
    expect(confirm).to_be_visible()
    assert company.statuses()[bulk_email] == "applied"
    confirm.get_by_role("button", name="Reject").click()
    expect(confirm).to_be_hidden()
    assert _eventually(lambda: company.statuses()[bulk_email] == "rejected")

    # And so does the profile.
    contact_row(page, profile_email).get_by_role("link", name="Pia Profile").click()
    applicant = page.get_by_role("region", name="Applicant")
    applicant.get_by_role("button", name="Reject").click()
    confirm = page.get_by_role("alertdialog", name="Reject Pia Profile?")
    expect(confirm).to_contain_text("Pia Profile will not join your Talent Pool")
    assert company.statuses()[profile_email] == "applied"
    confirm.get_by_role("button", name="Reject").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_text("Rejected Pia Profile")).to_be_visible()
    assert company.statuses()[profile_email] == "rejected"


def test_unconfirmed_applicant_waits_for_email_confirmation_not_approval(page: Page, api_url: str, mail) -> None:
    company = Company(api_url)
    ready, later = f"{unique('rea')}@people.example", f"{unique('lat')}@people.example"
    company.apply("Rea Ready", ready)
    company.apply("Lou Later", later)
    confirm_email(mail, company, ready)
    company.log_in(page)

    # Only the applicant who can be approved is counted as waiting for approval.
    expect(page.get_by_role("link", name=re.compile("1 applicant waiting for approval"))).to_be_visible()
    waiting = contact_row(page, later)
    expect(waiting).to_contain_text("Waiting for email confirmation")
    expect(waiting.get_by_role("button", name=f"Approve {later}")).to_be_disabled()
    expect(waiting.get_by_role("button", name=f"Approve {later}")).to_have_accessible_description(
        "Waiting for email confirmation"
    )
    _screenshot(page, "unconfirmed-applicant-row", 1440)
    _screenshot(page, "unconfirmed-applicant-row", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(contact_row(page, ready).get_by_role("button", name=f"Approve {ready}")).to_be_enabled()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Invitation link").click()
    card = page.get_by_role("dialog", name="Invitation links").get_by_role("group", name="Link Website")
    expect(
        card.get_by_text("2 sign-ups · 1 waiting for approval · 1 waiting for email confirmation · 0 approved")
    ).to_be_visible()
    page.keyboard.press("Escape")

    # The profile says why Approve is not available yet.
    contact_row(page, later).get_by_role("link", name="Lou Later").click()
    applicant = page.get_by_role("region", name="Applicant")
    expect(applicant).to_contain_text("Waiting for email confirmation")
    expect(applicant.get_by_role("button", name="Approve")).to_be_disabled()
    expect(applicant.get_by_role("button", name="Approve")).to_have_accessible_description(
        re.compile("once they confirm their email")
    )
    _screenshot(page, "unconfirmed-applicant-profile")
    assert company.statuses()[later] == "applied"

    # Once they confirm, they wait for approval and can be approved from the row.
    confirm_email(mail, company, later)
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("2 applicants waiting for approval"))).to_be_visible()
    contact_row(page, later).get_by_role("button", name=f"Approve {later}").click()
    expect(page.get_by_text("Approved 1")).to_be_visible()
    assert company.statuses()[later] == "active"
    expect(page.get_by_role("link", name=re.compile("1 applicant waiting for approval"))).to_be_visible()


def test_worker_portal_lists_pending_applications(page: Page, api_url: str, mail) -> None:
    first, second = Company(api_url), Company(api_url)
    email = f"{unique('ari')}@people.example"
    page.goto(first.link_url)
    page.get_by_label("Your name").fill("Ari Applicant")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    # Before the email is confirmed, the portal says what the application waits for.
    page.goto("/worker")
    applications = page.get_by_role("region", name="Your applications")
    expect(applications).to_be_visible()
    expect(applications.get_by_role("listitem")).to_have_count(1)
    expect(applications).to_contain_text(first.name)
    expect(applications).to_contain_text("Waiting for your email confirmation")
    expect(applications).to_contain_text(re.compile(r"Applied on \d{1,2} \w+ \d{4}"))
    _screenshot(page, "portal-application-unconfirmed", 390)

    confirm_email(mail, first, email)
    page.goto(second.link_url)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    page.goto("/worker")
    applications = page.get_by_role("region", name="Your applications")
    expect(applications.get_by_role("listitem")).to_have_count(2)
    for company in (first, second):
        item = applications.get_by_role("listitem").filter(has_text=company.name)
        expect(item).to_contain_text("Waiting for the company's approval")
    _screenshot(page, "portal-applications", 1280)
    _screenshot(page, "portal-applications", 390)

    # Once a company decides, its application leaves the list.
    listed = httpx.get(f"{api_url}/api/contacts", headers=first.headers, timeout=30).json()["items"]
    approved = httpx.post(
        f"{api_url}/api/applicants/approve", json={"ids": [listed[0]["id"]]}, headers=first.headers, timeout=30
    )
    assert approved.json()["done"] == [listed[0]["id"]]
    page.reload()
    applications = page.get_by_role("region", name="Your applications")
    expect(applications.get_by_role("listitem")).to_have_count(1)
    expect(applications).to_contain_text(second.name)
    expect(page.get_by_role("region", name="Your companies")).to_contain_text(first.name)


def test_connection_request_greets_worker_by_account_name(page: Page, api_url: str, mail) -> None:
    first, second = Company(api_url), Company(api_url)
    email = f"{unique('gwen')}@people.example"
    # A worker account named "Gwen Account", made through the first company's invitation.
    invited = httpx.post(
        f"{api_url}/api/invitations", json={"name": "Gwen Typed", "email": email}, headers=first.headers, timeout=30
    )
    assert invited.status_code == 201, invited.text
    message = mail.wait_for_message(to=email, subject_contains=first.name, timeout=EMAIL_TIMEOUT)
    token = link_in(message, "/invite/").rsplit("/", 1)[-1]
    accepted = httpx.post(
        f"{api_url}/api/public/invitations/{token}/accept",
        json={"name": "Gwen Account", "password": PASSWORD},
        timeout=30,
    )
    assert accepted.status_code == 201, accepted.text

    # The second company types another name; its connection request still greets her by her own.
    requested = httpx.post(
        f"{api_url}/api/invitations",
        json={"name": "G. Somebody", "email": email},
        headers=second.headers,
        timeout=30,
    )
    assert requested.status_code == 201, requested.text
    request = mail.wait_for_message(to=email, subject_contains=second.name, timeout=EMAIL_TIMEOUT)
    assert "Hi Gwen Account," in request["text"] and "G. Somebody" not in request["text"]
    assert "Hi Gwen Account," in request["html"] and "G. Somebody" not in request["html"]

    page.goto(link_in(request, "/worker/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hi, Gwen", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Connection requests")).to_contain_text(second.name)
    expect(page.get_by_text("G. Somebody")).to_have_count(0)
