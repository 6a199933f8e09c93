"""Flow 2 in a real browser: an invitation link, sign-up through it, email confirmation, approval; rotating a link."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.helpers import (
    EMAIL_TIMEOUT,
    PASSWORD,
    assert_no_serious_axe_violations,
    contact_row,
    link_in,
    sign_up_company,
    unique,
)


def _open_links_dialog(page: Page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Invitation link").click()
    dialog = page.get_by_role("dialog", name="Invitation links")
    expect(dialog).to_be_visible()
    return dialog


def _create_link(page: Page, label: str, *, tags: tuple[str, ...] = ()) -> tuple[object, str]:
    """Create a link through the dialog; returns the dialog and the link's URL from its read-only input."""
    dialog = _open_links_dialog(page)
    dialog.get_by_label("Label").fill(label)
    for tag in tags:
        dialog.get_by_label("Tags for applicants").fill(tag)
        dialog.get_by_label("Tags for applicants").press("Enter")
    dialog.get_by_role("button", name="Create link").click()
    card = dialog.get_by_role("group", name=f"Link {label}")
    expect(card).to_be_visible()
    expect(card.get_by_text("Active")).to_be_visible()
    expect(card.get_by_text("0 sign-ups · 0 waiting for approval · 0 approved")).to_be_visible()
    url_input = card.get_by_label(f"Link URL for {label}")
    expect(url_input).to_have_value(re.compile(r"/join/"))
    expect(url_input).not_to_be_editable()
    return dialog, url_input.input_value()


def test_applicant_signs_up_confirms_and_is_approved(page: Page, mail, fresh_context) -> None:
    company = f"Hooli {unique('design')}"
    email = f"{unique('ada')}@people.example"
    sign_up_company(page, company)
    dialog, url = _create_link(page, "Spring meetup", tags=("meetup",))
    dialog.get_by_role("group", name="Link Spring meetup").get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Link copied")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    applicant = fresh_context()
    applicant.goto(url)
    expect(applicant.get_by_role("heading", name=f"Join {company}'s Talent Pool", level=1)).to_be_visible()
    expect(applicant.get_by_text("Spring meetup")).to_be_visible()
    expect(applicant.get_by_text("At least 10 characters.")).to_be_visible()
    assert_no_serious_axe_violations(applicant)
    applicant.get_by_label("Your name").fill("Ada Applicant")
    applicant.get_by_label("Email").fill(email)
    applicant.get_by_label("Password").fill(PASSWORD)
    applicant.get_by_role("button", name="Sign up").click()
    expect(applicant.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(applicant.get_by_text(f"We sent a confirmation link to {email}.")).to_be_visible()
    # Until the email is confirmed, the worker portal shows nothing sent to it and says why.
    applicant.goto("/worker")
    expect(applicant.get_by_role("region", name="Confirm your email address")).to_be_visible()
    expect(applicant.get_by_role("region", name="Job offers")).to_have_count(0)

    page.reload()
    # Not yet waiting for approval: they cannot be approved before they confirm their email.
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("applicant waiting"))).to_have_count(0)
    row = contact_row(page, email)
    expect(row).to_contain_text("applied")
    expect(row).to_contain_text("Waiting for email confirmation")
    expect(row.get_by_role("button", name=f"Approve {email}")).to_be_disabled()
    expect(row).to_contain_text("meetup")

    message = mail.wait_for_message(to=email, subject_contains="Confirm your email", timeout=EMAIL_TIMEOUT)
    applicant.goto(link_in(message, "/confirm-email/"))
    expect(applicant.get_by_role("heading", name="Email confirmed")).to_be_visible()
    expect(applicant.get_by_text(company)).to_be_visible()
    expect(applicant.get_by_role("link", name="Go to your worker account")).to_be_visible()
    applicant.get_by_role("link", name="Go to your worker account").click()
    expect(applicant.get_by_role("region", name="Job offers")).to_be_visible()
    expect(applicant.get_by_role("region", name="Confirm your email address")).to_have_count(0)

    page.reload()
    expect(page.get_by_role("link", name=re.compile("1 applicant waiting for approval"))).to_be_visible()
    row = contact_row(page, email)
    expect(row).to_contain_text("Email confirmed")
    row.get_by_role("checkbox", name=f"Select {email}").click()
    bulk = page.get_by_role("region", name="Bulk actions")
    expect(bulk).to_be_visible()
    bulk.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved 1")).to_be_visible()
    expect(contact_row(page, email)).to_contain_text("active")
    expect(page.get_by_role("link", name=re.compile("applicant waiting"))).to_have_count(0)

    approved = mail.wait_for_message(to=email, subject_contains="approved you", timeout=EMAIL_TIMEOUT)
    assert company in approved["subject"]
    assert any(link.rstrip("/").endswith("/worker/login") for link in approved["links"]), approved["links"]

    dialog = _open_links_dialog(page)
    expect(
        dialog.get_by_role("group", name="Link Spring meetup").get_by_text(
            "1 sign-up · 0 waiting for approval · 1 approved"
        )
    ).to_be_visible()


def test_rotated_link_old_url_shows_neutral_page(page: Page, fresh_context) -> None:
    company = f"Pied Piper {unique('ops')}"
    sign_up_company(page, company)
    dialog, old_url = _create_link(page, "Referrals")
    card = dialog.get_by_role("group", name="Link Referrals")
    card.get_by_role("button", name="Rotate").click()
    confirm = page.get_by_role("alertdialog", name="Rotate this link?")
    expect(confirm).to_contain_text("old URL stops working")
    confirm.get_by_role("button", name="Rotate").click()
    expect(confirm).to_be_hidden()
    url_input = card.get_by_label("Link URL for Referrals")
    expect(url_input).not_to_have_value(old_url)
    new_url = url_input.input_value()

    visitor = fresh_context()
    visitor.goto(old_url)
    expect(visitor.get_by_role("heading", name="This invitation link is not available")).to_be_visible()
    expect(visitor.get_by_role("button", name="Sign up")).to_have_count(0)

    visitor.goto(new_url)
    expect(visitor.get_by_role("heading", name=f"Join {company}'s Talent Pool")).to_be_visible()
    expect(visitor.get_by_role("button", name="Sign up")).to_be_visible()


def test_existing_worker_logs_in_from_link_and_applies(page: Page, mail, fresh_context) -> None:
    company_a = f"Vandelay {unique('import')}"
    company_b = f"Kramerica {unique('labs')}"
    email = f"{unique('cy')}@people.example"
    sign_up_company(page, company_a)
    _, url_a = _create_link(page, "Newsletter")

    first = fresh_context()
    first.goto(url_a)
    first.get_by_label("Your name").fill("Cy Worker")
    first.get_by_label("Email").fill(email)
    first.get_by_label("Password").fill(PASSWORD)
    first.get_by_role("button", name="Sign up").click()
    expect(first.get_by_role("heading", name="Check your email")).to_be_visible()
    message = mail.wait_for_message(to=email, subject_contains="Confirm your email", timeout=EMAIL_TIMEOUT)
    first.goto(link_in(message, "/confirm-email/"))
    expect(first.get_by_role("heading", name="Email confirmed")).to_be_visible()
    first.context.close()

    company_page = fresh_context()
    sign_up_company(company_page, company_b)
    _, url_b = _create_link(company_page, "Careers page")

    worker = fresh_context()
    worker.goto(url_b)
    expect(worker.get_by_role("heading", name=f"Join {company_b}'s Talent Pool")).to_be_visible()
    worker.get_by_role("link", name="Log in").click()
    expect(worker.get_by_role("heading", name="Log in to your worker account")).to_be_visible()
    worker.get_by_label("Email").fill(email)
    worker.get_by_label("Password").fill(PASSWORD)
    worker.get_by_role("button", name="Log in").click()
    expect(worker).to_have_url(re.compile(r"/join/"))
    expect(worker.get_by_text("You are logged in as Cy Worker")).to_be_visible()
    worker.get_by_role("button", name="Apply").click()
    expect(worker.get_by_role("heading", name="Application sent")).to_be_visible()

    # Applying twice is answered in the page, not with a new application.
    worker.goto(url_b)
    worker.get_by_role("button", name="Apply").click()
    expect(worker.get_by_role("alert").filter(has_text=re.compile("already", re.I))).to_be_visible()

    company_page.reload()
    expect(company_page.get_by_role("dialog", name="Invitation links")).to_be_hidden()
    row = contact_row(company_page, email)
    expect(row).to_contain_text("applied")
    expect(row).to_contain_text("Email confirmed")
