"""Flow 1 in a real browser: invite by email, sign up from the email's link, connection requests, the worker portal."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from backend.processes import REPO_ROOT
from e2e.helpers import (
    EMAIL_TIMEOUT,
    PASSWORD,
    accept_by_email,
    assert_no_serious_axe_violations,
    contact_row,
    invite,
    invite_link,
    sign_up_company,
    unique,
)

SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def test_invite_new_person_signs_up(page: Page, mail, fresh_context) -> None:
    company = f"Acme {unique('studio')}"
    email = f"{unique('nora')}@people.example"
    sign_up_company(page, company)
    expect(page.get_by_text("Your Talent Pool is empty")).to_be_visible()

    invite(
        page,
        "Nora Example",
        email,
        tags=("illustration",),
        message="Hi Nora,\n\nWe would love to work with you again. This is <b>bold</b> on purpose.",
    )
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    expect(contact_row(page, email)).to_contain_text("invited")

    # The same email again is a field error, and nothing is sent twice.
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    dialog.get_by_label("Name", exact=True).fill("Nora Again")
    dialog.get_by_label("Email", exact=True).fill(email.upper())
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(dialog.get_by_text("already in your Talent Pool")).to_be_visible()
    expect(dialog.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_label("Email", exact=True)).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    message = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    assert company in message["text"]
    assert "This is <b>bold</b> on purpose." in message["text"]
    link = invite_link(message)

    invitee = fresh_context()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name=company, level=1)).to_be_visible()
    expect(invitee.get_by_text(f"Quinn Tester invited you to join {company}'s Talent Pool")).to_be_visible()
    # The message is text: the tags show literally and nothing is rendered bold.
    expect(invitee.get_by_text("This is <b>bold</b> on purpose.")).to_be_visible()
    expect(invitee.locator("b", has_text="bold")).to_have_count(0)
    expect(invitee.get_by_label("Email", exact=True)).to_have_value(email)
    expect(invitee.get_by_label("Email", exact=True)).not_to_be_editable()
    expect(invitee.get_by_label("Your name")).to_have_value("Nora Example")
    assert_no_serious_axe_violations(invitee)

    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee).to_have_url(re.compile(r"/worker$"))
    companies = invitee.get_by_role("region", name="Your companies")
    expect(companies.get_by_text(company)).to_be_visible()
    expect(invitee.get_by_role("button", name="Log out")).to_be_visible()

    page.reload()
    expect(contact_row(page, email)).to_contain_text("active")
    assert len(mail.messages(to=email)) == 1


def test_used_invitation_link_shows_already_accepted_page(page: Page, mail, fresh_context) -> None:
    company = f"Globex {unique('labs')}"
    email = f"{unique('omar')}@people.example"
    sign_up_company(page, company)
    invite(page, "Omar Used", email)
    invitee, link = accept_by_email(mail, fresh_context, email, company, "Omar Used")

    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Invitation already accepted")).to_be_visible()
    expect(invitee.get_by_text("This invitation has already been accepted.")).to_be_visible()
    expect(invitee.get_by_role("button", name="Create account")).to_have_count(0)
    assert_no_serious_axe_violations(invitee)
    # Still logged in from the sign-up: the way on is the portal, not a log-in.
    expect(invitee.get_by_text("You are logged in as Omar Used.")).to_be_visible()
    for width in (390, 1280):
        invitee.set_viewport_size({"width": width, "height": 800})
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        invitee.screenshot(path=str(SCREENSHOTS / f"used-invitation-signed-in-{width}.png"), full_page=True)
    expect(invitee.get_by_role("link", name="Log in")).to_have_count(0)
    invitee.get_by_role("link", name="Go to your portal").click()
    expect(invitee).to_have_url(re.compile(r"/worker$"))
    expect(invitee.get_by_role("region", name="Your companies").get_by_text(company)).to_be_visible()

    # Someone who is not logged in is offered to log in.
    visitor = fresh_context()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Invitation already accepted")).to_be_visible()
    expect(visitor.get_by_role("link", name="Go to your portal")).to_have_count(0)
    visitor.get_by_role("link", name="Log in").click()
    expect(visitor.get_by_role("heading", name="Log in to your worker account")).to_be_visible()

    stranger = fresh_context()
    stranger.goto("/invite/not-a-real-invitation-token")
    expect(stranger.get_by_role("heading", name="Invitation not found")).to_be_visible()


def test_existing_worker_accepts_connection_request(page: Page, mail, fresh_context) -> None:
    company_a = f"Initech {unique('a')}"
    company_b = f"Umbrella {unique('b')}"
    email = f"{unique('pia')}@people.example"
    sign_up_company(page, company_a)
    invite(page, "Pia Worker", email)
    first_session, _ = accept_by_email(mail, fresh_context, email, company_a, "Pia Worker")
    first_session.context.close()

    company_page = fresh_context()
    sign_up_company(company_page, company_b)
    invite(company_page, "Pia W.", email, message="Hello Pia,\nWe need a hand with our launch.")
    # Until Pia answers, the company is not told that her email has a worker account.
    expect(company_page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    expect(contact_row(company_page, email)).to_contain_text("invited")

    request = mail.wait_for_message(to=email, subject_contains=company_b, timeout=EMAIL_TIMEOUT)
    assert "wants to connect" in request["subject"]
    assert any(link.rstrip("/").endswith("/worker/login") for link in request["links"]), request["links"]
    login_link = next(link for link in request["links"] if link.rstrip("/").endswith("/worker/login"))

    worker = fresh_context()
    worker.goto(login_link)
    expect(worker.get_by_role("heading", name="Log in to your worker account")).to_be_visible()
    worker.get_by_label("Email").fill(email)
    worker.get_by_label("Password").fill(PASSWORD)
    worker.get_by_role("button", name="Log in").click()
    expect(worker).to_have_url(re.compile(r"/worker$"))

    requests = worker.get_by_role("region", name="Connection requests")
    expect(requests.get_by_text(company_b)).to_be_visible()
    expect(requests.get_by_text("We need a hand with our launch.")).to_be_visible()
    expect(worker.get_by_role("region", name="Your companies").get_by_text(company_a)).to_be_visible()
    assert_no_serious_axe_violations(worker)

    requests.get_by_role("button", name=re.compile("Accept")).click()
    expect(worker.get_by_text(f"You are now connected with {company_b}")).to_be_visible()
    expect(worker.get_by_role("region", name="Your companies").get_by_text(company_b)).to_be_visible()
    expect(requests.get_by_text("No connection requests")).to_be_visible()

    company_page.reload()
    expect(contact_row(company_page, email)).to_contain_text("active")


def _company_link_over_http(api_url: str, company: str) -> str:
    """A second company with an invitation link, arranged through the BFF; returns the link's URL."""
    signup = httpx.post(
        f"{api_url}/api/auth/signup",
        json={
            "company_name": company,
            "name": "Rita Recruiter",
            "email": f"{unique('rita')}@qa.example",
            "password": PASSWORD,
        },
        timeout=10,
    )
    assert signup.status_code == 201, signup.text
    headers = {"Authorization": f"Bearer {signup.json()['token']}"}
    link = httpx.post(f"{api_url}/api/links", json={"label": "Website"}, headers=headers, timeout=10)
    assert link.status_code == 201, link.text
    return link.json()["url"]


def test_invite_owner_takes_back_email_someone_else_signed_up_with(page: Page, mail, fresh_context, api_url) -> None:
    company = f"Hooli {unique('owner')}"
    email = f"{unique('tess')}@people.example"
    sign_up_company(page, company)
    invite(page, "Tess Owner", email)
    link_url = _company_link_over_http(api_url, f"Squatters {unique('inc')}")

    # Someone else signs up through another company's link with Tess's email: they cannot confirm it.
    squatter = fresh_context()
    squatter.goto(link_url)
    squatter.get_by_label("Your name").fill("Mallory")
    squatter.get_by_label("Email").fill(email)
    squatter.get_by_label("Password").fill("mallory-password-1")
    squatter.get_by_role("button", name="Sign up").click()
    expect(squatter.get_by_role("heading", name="Check your email")).to_be_visible()
    squatter.goto("/worker")
    notice = squatter.get_by_role("region", name="Confirm your email address")
    expect(notice).to_be_visible()
    expect(notice.get_by_text(email)).to_be_visible()
    expect(squatter.get_by_role("region", name="Your companies")).to_have_count(0)
    expect(squatter.get_by_text(company)).to_have_count(0)
    assert_no_serious_axe_violations(squatter)
    notice.get_by_role("button", name="Resend confirmation email").click()
    expect(notice.get_by_role("alert")).to_contain_text("Try again in")

    # Tess opens her personal invitation: it proves the address, so the account becomes hers.
    invitee, _ = accept_by_email(mail, fresh_context, email, company, "Tess Owner")
    expect(invitee.get_by_role("region", name="Your companies").get_by_text(company)).to_be_visible()
    expect(invitee.get_by_role("region", name="Confirm your email address")).to_have_count(0)

    # The squatter's session has ended.
    squatter.reload()
    expect(squatter).to_have_url(re.compile(r"/worker/login"))

    page.reload()
    expect(contact_row(page, email)).to_contain_text("active")


def test_invitation_email_failure_shows_on_row_and_is_fixed(page: Page, mail) -> None:
    company = f"Stark {unique('ops')}"
    bounced = f"{unique('ghost')}@bounce.example"
    fixed = f"{unique('gina')}@people.example"
    sign_up_company(page, company)
    invite(page, "Gina Ghost", bounced)
    expect(page.get_by_text(f"Invitation sent to {bounced}")).to_be_visible()

    # The sender tries within about a second; the page shows what it found when it loads.
    row = page.get_by_role("row").filter(has_text=bounced)
    for _ in range(30):
        page.reload()
        if row.get_by_text("Invitation email failed").count():
            break
        page.wait_for_timeout(500)
    expect(row).to_contain_text("Invitation email failed: recipient rejected: 550")
    failed_filter = page.get_by_role("checkbox", name="Email failed")
    expect(failed_filter).to_be_visible()
    failed_filter.click()
    expect(page.get_by_role("button", name="Remove filter Email failed")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=bounced)).to_have_count(1)
    page.screenshot(path="test-results/email-failed-row.png", full_page=True)

    row.get_by_role("button", name="Correct address and resend for Gina Ghost").click()
    dialog = page.get_by_role("dialog", name="Correct the email address")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Email")).to_have_value(bounced)
    dialog.get_by_label("Email").fill("not an address")
    dialog.get_by_role("button", name="Save and resend").click()
    expect(dialog.get_by_text("Enter a valid email address")).to_be_visible()
    expect(dialog.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    assert_no_serious_axe_violations(page)
    dialog.get_by_label("Email").fill(fixed)
    dialog.get_by_role("button", name="Save and resend").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Invitation sent to {fixed}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=bounced)).to_have_count(0)

    page.get_by_role("button", name="Remove filter Email failed").click()
    expect(page.get_by_role("checkbox", name="Email failed")).to_have_count(0)
    fixed_row = contact_row(page, fixed)
    expect(fixed_row).to_contain_text("invited")
    expect(fixed_row.get_by_text("Invitation email failed")).to_have_count(0)
    message = mail.wait_for_message(to=fixed, subject_contains=company, timeout=EMAIL_TIMEOUT)
    assert invite_link(message)
