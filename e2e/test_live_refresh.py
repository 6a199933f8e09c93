"""An open Talent Pool page follows what happens elsewhere, without a reload: a worker accepting, an
applicant confirming their email, an import finishing."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from e2e.helpers import EMAIL_TIMEOUT, PASSWORD, Company, confirm_email, link_in, unique

# Longer than a few of the page's checks for changes.
LIVE_TIMEOUT = 20_000


def _row(page: Page, email: str):
    """The row of `email` on the page as it is: no search, which would fetch the rows itself."""
    return page.get_by_role("row").filter(has_text=email)


def test_open_pool_page_follows_changes_made_elsewhere(page: Page, api_url: str, mail) -> None:
    company = Company(api_url)
    invitee, applicant = f"{unique('ivy')}@people.example", f"{unique('app')}@people.example"
    invited = httpx.post(
        f"{api_url}/api/invitations",
        json={"name": "Ivy Invitee", "email": invitee},
        headers=company.headers,
        timeout=30,
    )
    assert invited.status_code == 201, invited.text
    company.apply("Al Applicant", applicant)
    company.log_in(page)
    expect(page.get_by_text("2 trusted contacts")).to_be_visible()
    expect(_row(page, invitee)).to_contain_text("invited")
    expect(page.get_by_role("link", name=re.compile("waiting for approval"))).to_have_count(0)
    # Set on this page only: a reload or a navigation would lose it.
    page.evaluate("window.__sameDocument = true")

    # The invitee accepts in their own browser (here: over the API).
    message = mail.wait_for_message(to=invitee, subject_contains=company.name, timeout=EMAIL_TIMEOUT)
    token = link_in(message, "/invite/").rsplit("/", 1)[-1]
    accepted = httpx.post(
        f"{api_url}/api/public/invitations/{token}/accept",
        json={"name": "Ivy Invitee", "password": PASSWORD},
        timeout=30,
    )
    assert accepted.status_code == 201, accepted.text
    expect(_row(page, invitee)).to_contain_text("active", timeout=LIVE_TIMEOUT)

    # The applicant confirms their email: now they wait for approval, and Approve is enabled.
    confirm_email(mail, company, applicant)
    expect(page.get_by_role("link", name=re.compile("1 applicant waiting for approval"))).to_be_visible(
        timeout=LIVE_TIMEOUT
    )
    expect(_row(page, applicant).get_by_role("button", name=f"Approve {applicant}")).to_be_enabled()

    # A teammate's import finishes: its people appear, and the total follows.
    imported = [f"{unique('imp')}@people.example" for _ in range(2)]
    csv = "Name,Email\r\n" + "".join(f"Imp Person {n},{email}\r\n" for n, email in enumerate(imported, 1))
    upload = httpx.post(
        f"{api_url}/api/imports", params={"filename": "team.csv"}, content=csv, headers=company.headers, timeout=30
    )
    assert upload.status_code == 201, upload.text
    started = httpx.post(
        f"{api_url}/api/imports/{upload.json()['id']}/start",
        json={"message": ""},
        headers=company.headers,
        timeout=30,
    )
    assert started.status_code == 202, started.text
    expect(page.get_by_text("4 trusted contacts")).to_be_visible(timeout=LIVE_TIMEOUT)
    for email in imported:
        expect(_row(page, email)).to_contain_text("invited")

    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def _add_contacts(company: Company, count: int, first: int = 1) -> list[str]:
    """`count` contacts added without inviting, over the API ("Person 01", …); their emails, in name order."""
    emails = []
    for n in range(first, first + count):
        email = f"{unique(f'p{n:02d}')}@people.example"
        added = httpx.post(
            f"{company.api_url}/api/contacts",
            json={"name": f"Person {n:02d}", "email": email},
            headers=company.headers,
            timeout=30,
        )
        assert added.status_code == 201, added.text
        emails.append(email)
    return emails


def test_page_past_the_end_moves_back_and_the_address_follows(page: Page, api_url: str) -> None:
    company = Company(api_url)
    emails = _add_contacts(company, 26)
    company.log_in(page)
    page.get_by_role("button", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))

    # Deleting the one row of the last page shows the page before, and the address says so.
    last = emails[-1]
    _row(page, last).get_by_role("checkbox", name=f"Select {last}").click()
    page.get_by_role("region", name="Bulk actions").get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Page 1 of 1")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))

    # A teammate adds one and later deletes it while this page shows it: the page and address follow.
    (extra,) = _add_contacts(company, 1, first=99)
    expect(page.get_by_text("Page 1 of 2")).to_be_visible(timeout=LIVE_TIMEOUT)
    page.get_by_role("button", name="Next page").click()
    expect(_row(page, extra)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    contact_id = _row(page, extra).get_by_role("link").get_attribute("href").rsplit("/", 1)[-1]
    deleted = httpx.delete(f"{api_url}/api/contacts/{contact_id}", headers=company.headers, timeout=30)
    assert deleted.status_code == 204, deleted.text
    expect(page.get_by_text("Page 1 of 1")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("25 trusted contacts")).to_be_visible()
