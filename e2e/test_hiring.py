"""Hire and re-hire in a real browser: Invite and offer job, the worker's Accept / Decline, Re-hire, Withdraw."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from e2e.helpers import (
    EMAIL_TIMEOUT,
    PASSWORD,
    assert_no_serious_axe_violations,
    contact_row,
    link_in,
    sign_up_company,
    unique,
)

JOB = "Data pipeline rebuild"


def _open_invite(page: Page, name: str, email: str) -> Locator:
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Email", exact=True).fill(email)
    return dialog


def _choose(page: Page, select: Locator, option: str) -> None:
    """Pick an option of a Radix select (its list opens in a portal outside the dialog)."""
    select.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(select).to_have_text(option)


def _open_profile(page: Page, name: str, email: str) -> None:
    page.goto("/")
    contact_row(page, email).get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _assert_no_serious_axe_violations(page: Page) -> None:
    """Checks the whole page, toasts included."""
    assert_no_serious_axe_violations(page)


def test_invite_and_offer_job_hire_and_rehire(page: Page, mail, fresh_context) -> None:
    company = f"Hirewell {unique('studio')}"
    email = f"{unique('hana')}@people.example"
    other = f"{unique('ian')}@people.example"
    sign_up_company(page, company)

    # A plain invitation still goes out with Invite alone.
    dialog = _open_invite(page, "Ian Other", other)
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Invitation sent to {other}")).to_be_visible()

    # Invite and offer job: the job offer step, a field error beside End date, then the send.
    dialog = _open_invite(page, "Hana Hire", email)
    dialog.get_by_role("button", name="Invite and offer job").click()
    offer = dialog.get_by_role("group", name="Job offer")
    expect(offer.get_by_label("Job title")).to_be_focused()
    expect(offer.get_by_text(f"Hana Hire · {email}")).to_be_visible()
    offer.get_by_label("Job title").fill(JOB)
    offer.get_by_label("Description").fill("Move our nightly ETL to a streaming pipeline.")
    offer.get_by_label("Start date").fill("2027-03-01")
    offer.get_by_label("End date").fill("2027-02-01")
    offer.get_by_label("Rate", exact=True).fill("85")
    _choose(page, offer.get_by_label("Rate unit"), "per day")
    _choose(page, offer.get_by_label("Currency"), "USD")
    offer.get_by_label("Location").fill("Berlin")
    _assert_no_serious_axe_violations(page)
    dialog.get_by_role("button", name="Invite and offer job").click()
    end_date = offer.get_by_label("End date")
    expect(end_date).to_have_attribute("aria-invalid", "true")
    end_date_error = page.locator(f"#{end_date.get_attribute('id')}-error")
    expect(end_date_error).to_have_text(re.compile("end date", re.IGNORECASE))
    expect(offer.get_by_label("Start date")).to_have_attribute("aria-invalid", "false")
    end_date.fill("2027-04-30")
    expect(end_date).to_have_attribute("aria-invalid", "false")
    dialog.get_by_role("button", name="Invite and offer job").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Invitation and job offer sent to {email}")).to_be_visible()
    expect(contact_row(page, email)).to_contain_text("invited")

    # An invited contact cannot be hired yet; the offer waits for the invitation.
    _open_profile(page, "Hana Hire", email)
    expect(page.get_by_role("button", name="Hire", exact=True)).to_be_disabled()
    expect(page.get_by_text("You can hire Hana once they accept your invitation.")).to_be_visible()
    jobs = page.get_by_role("region", name="Jobs")
    expect(jobs.get_by_role("listitem", name=JOB)).to_contain_text("Waiting for the invitation")

    # The person signs up from the email and finds the offer in the portal at once.
    invitation = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
    worker = fresh_context()
    worker.goto(link_in(invitation, "/invite/"))
    worker.get_by_label("Password").fill(PASSWORD)
    worker.get_by_role("button", name="Create account").click()
    expect(worker).to_have_url(re.compile(r"/worker$"))
    offers = worker.get_by_role("region", name="Job offers")
    card = offers.get_by_role("listitem").filter(has_text=JOB)
    expect(card).to_contain_text(company)
    expect(card).to_contain_text("1 Mar 2027 – 30 Apr 2027")
    expect(card).to_contain_text("85.00 USD per day")
    expect(card).to_contain_text("Berlin")
    expect(card).to_contain_text("Move our nightly ETL to a streaming pipeline.")
    _assert_no_serious_axe_violations(worker)
    card.get_by_role("button", name=f"Accept {JOB}").click()
    expect(worker.get_by_text(f"You accepted “{JOB}”")).to_be_visible()
    expect(card.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Accept"))).to_have_count(0)

    # The company sees the hire on the profile and in the Talent Pool.
    page.reload()
    expect(page.get_by_role("heading", name="Hana Hire", level=1)).to_be_visible()
    expect(page.get_by_text("active", exact=True).first).to_be_visible()
    expect(jobs.get_by_role("listitem", name=JOB)).to_contain_text("Hired")
    expect(page.get_by_role("button", name="Re-hire")).to_be_enabled()
    _assert_no_serious_axe_violations(page)

    page.goto("/")
    expect(contact_row(page, email)).to_contain_text(JOB)
    page.get_by_label("Search contacts").fill("")
    expect(page.get_by_role("row").filter(has_text=other)).to_have_count(1)
    page.get_by_role("checkbox", name="Worked with before").click()
    expect(page.get_by_role("row").filter(has_text=other)).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text(JOB)
    page.get_by_role("button", name="Remove filter Worked with before").click()
    expect(page.get_by_role("row").filter(has_text=other)).to_have_count(1)

    # Re-hire starts from the last job; the worker logs in from the offer email and declines.
    _open_profile(page, "Hana Hire", email)
    page.get_by_role("button", name="Re-hire").click()
    rehire = page.get_by_role("dialog", name="Re-hire Hana Hire")
    expect(rehire.get_by_label("Job title")).to_have_value(JOB)
    expect(rehire.get_by_label("Rate", exact=True)).to_have_value("85.00")
    expect(rehire.get_by_label("Currency")).to_have_text("USD")
    expect(rehire.get_by_label("Rate unit")).to_have_text("per day")
    expect(rehire.get_by_label("Location")).to_have_value("Berlin")
    rehire.get_by_label("Start date").fill("2027-06-01")
    rehire.get_by_label("End date").fill("2027-07-31")
    rehire.get_by_role("button", name="Send job offer").click()
    expect(rehire).to_be_hidden()
    expect(page.get_by_text("Job offer sent to Hana Hire")).to_be_visible()
    expect(jobs.get_by_role("listitem")).to_have_count(2)
    expect(jobs.get_by_role("listitem").first).to_contain_text("1 Jun 2027 – 31 Jul 2027")
    expect(jobs.get_by_role("listitem").first).to_contain_text("Offered")

    offer_email = mail.wait_for_message(to=email, subject_contains="offers you a job", timeout=EMAIL_TIMEOUT)
    assert JOB in offer_email["subject"] and company in offer_email["text"]
    worker.context.close()
    worker = fresh_context()
    worker.goto(link_in(offer_email, "/worker"))
    expect(worker.get_by_role("heading", name="Log in to your worker account")).to_be_visible()
    worker.get_by_label("Email").fill(email)
    worker.get_by_label("Password").fill(PASSWORD)
    worker.get_by_role("button", name="Log in").click()
    expect(worker).to_have_url(re.compile(r"/worker/?$"))
    open_card = (
        worker.get_by_role("region", name="Job offers")
        .get_by_role("listitem")
        .filter(has_text="1 Jun 2027 – 31 Jul 2027")
    )
    open_card.get_by_role("button", name=f"Decline {JOB}").click()
    expect(worker.get_by_text(f"You declined “{JOB}”")).to_be_visible()
    expect(open_card.get_by_text("Declined", exact=True)).to_be_visible()

    page.reload()
    expect(jobs.get_by_role("listitem").first).to_contain_text("Declined")
    expect(jobs.get_by_role("listitem").nth(1)).to_contain_text("Hired")

    # An offer withdrawn while the worker looks at it cannot be accepted, and the portal says why.
    page.get_by_role("button", name="Re-hire").click()
    rehire.get_by_label("Job title").fill("Streaming on-call")
    rehire.get_by_role("button", name="Send job offer").click()
    expect(rehire).to_be_hidden()
    worker.reload()
    late_card = (
        worker.get_by_role("region", name="Job offers").get_by_role("listitem").filter(has_text="Streaming on-call")
    )
    expect(late_card.get_by_role("button", name="Accept Streaming on-call")).to_be_visible()
    jobs.get_by_role("button", name="Withdraw the offer Streaming on-call").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Offer withdrawn: Streaming on-call", exact=True)).to_be_visible()
    expect(jobs.get_by_role("listitem").first).to_contain_text("Withdrawn")
    late_card.get_by_role("button", name="Accept Streaming on-call").click()
    expect(worker.get_by_role("alert").filter(has_text="withdrew the offer")).to_be_visible()
    expect(late_card.get_by_text("Withdrawn", exact=True)).to_be_visible()


def test_connection_request_with_offer_shows_the_offer_after_accept(page: Page, mail, fresh_context) -> None:
    first_company = f"Initial {unique('co')}"
    second_company = f"Remote First {unique('co')}"
    email = f"{unique('rita')}@people.example"
    sign_up_company(page, first_company)
    dialog = _open_invite(page, "Rita Remote", email)
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(dialog).to_be_hidden()
    invitation = mail.wait_for_message(to=email, subject_contains=first_company, timeout=EMAIL_TIMEOUT)
    worker = fresh_context()
    worker.goto(link_in(invitation, "/invite/"))
    worker.get_by_label("Password").fill(PASSWORD)
    worker.get_by_role("button", name="Create account").click()
    expect(worker).to_have_url(re.compile(r"/worker$"))
    expect(worker.get_by_role("region", name="Job offers").get_by_text("No job offers yet")).to_be_visible()

    # A second company invites the same person with a remote job: a connection request.
    other = fresh_context()
    sign_up_company(other, second_company)
    dialog = _open_invite(other, "Rita R.", email)
    dialog.get_by_role("button", name="Invite and offer job").click()
    offer = dialog.get_by_role("group", name="Job offer")
    offer.get_by_label("Job title").fill("Design system audit")
    offer.get_by_label("Start date").fill("2027-05-03")
    offer.get_by_label("Rate", exact=True).fill("4000")
    _choose(other, offer.get_by_label("Rate unit"), "for the project")
    offer.get_by_label("Remote").click()
    expect(offer.get_by_label("Location")).to_be_disabled()
    dialog.get_by_role("button", name="Invite and offer job").click()
    expect(dialog).to_be_hidden()
    # The second company is not told that the email has a worker account.
    expect(other.get_by_text(f"Invitation and job offer sent to {email}")).to_be_visible()

    worker.reload()
    requests = worker.get_by_role("region", name="Connection requests")
    offers = worker.get_by_role("region", name="Job offers")
    expect(requests.get_by_role("heading", name=second_company)).to_be_visible()
    expect(offers.get_by_text("Design system audit")).to_have_count(0)
    requests.get_by_role("button", name=f"Accept {second_company}").click()
    expect(worker.get_by_text(f"You are now connected with {second_company}")).to_be_visible()
    card = offers.get_by_role("listitem").filter(has_text="Design system audit")
    expect(card).to_contain_text(second_company)
    expect(card).to_contain_text("From 3 May 2027")
    expect(card).to_contain_text("4,000.00 EUR for the project")
    expect(card).to_contain_text("Remote")
    expect(card.get_by_role("button", name="Accept Design system audit")).to_be_visible()
