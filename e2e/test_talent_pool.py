"""The Talent Pool in a real browser: account, contacts, search, edit, log out, accessibility."""

import re
import uuid

from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD, assert_no_serious_axe_violations, sign_up_company


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
    sign_up_company(page, "QA Studio", email)
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
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("cell", name="Linus Torvalds")).to_be_visible()


def test_duplicate_email_shows_field_error(page: Page) -> None:
    sign_up_company(page, "Dupes Inc", f"dupes-{uuid.uuid4().hex[:8]}@qa.example")
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
    assert_no_serious_axe_violations(page)


def test_add_contact_by_hand_then_invite_from_row_and_profile(page: Page, mail) -> None:
    company = f"Handpicked {uuid.uuid4().hex[:6]}"
    sign_up_company(page, company, f"hand-{uuid.uuid4().hex[:8]}@qa.example")
    row_email, profile_email = (f"{who}-{uuid.uuid4().hex[:8]}@people.example" for who in ("rowan", "petra"))

    # The add form has no status: a contact added by hand is "not invited" and gets no email.
    _open_add_without_inviting(page, pool_is_empty=True)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Status")).to_have_count(0)
    dialog.get_by_label("Name").fill("Rowan Row")
    dialog.get_by_label("Email").fill(row_email)
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()
    _open_add_without_inviting(page, pool_is_empty=False)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Petra Profile")
    dialog.get_by_label("Email").fill(profile_email)
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()

    row = page.get_by_role("row").filter(has_text=row_email)
    expect(row).to_contain_text("not invited")
    page.get_by_role("button", name="Filter by status").click()
    expect(page.get_by_role("checkbox", name="not invited")).to_be_visible()
    page.keyboard.press("Escape")
    assert mail.messages(to=row_email) == []

    # Invite on the row sends Flow 1's personal invitation.
    row.get_by_role("button", name=f"Invite {row_email}").click()
    expect(page.get_by_text("Invitation sent", exact=True)).to_be_visible()
    expect(row).to_contain_text("invited")
    expect(row).not_to_contain_text("not invited")
    expect(row.get_by_role("button", name=f"Invite {row_email}")).to_have_count(0)
    invitation = mail.wait_for_message(to=row_email, subject_contains=company, timeout=30)
    assert any("/invite/" in link for link in invitation["links"]), invitation["links"]

    # On the profile: Hire is disabled with the reason, and Invite sends the invitation.
    page.get_by_role("row").filter(has_text=profile_email).get_by_role("link", name="Petra Profile").click()
    expect(page.get_by_role("heading", name="Petra Profile", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Hire", exact=True)).to_be_disabled()
    expect(page.get_by_text("Invite Petra first: you can hire them once they accept.")).to_be_visible()
    card = page.get_by_role("region", name="Invitation", exact=True)
    expect(card).to_contain_text("has had no email from you")
    card.get_by_role("button", name="Invite Petra Profile").click()
    expect(page.get_by_text(f"Invitation sent to {profile_email}")).to_be_visible()
    expect(card).to_contain_text("has not accepted yet")
    expect(card.get_by_role("button", name="Revoke")).to_be_visible()
    expect(page.get_by_text("You can hire Petra once they accept your invitation.")).to_be_visible()
    mail.wait_for_message(to=profile_email, subject_contains=company, timeout=30)

    # While the invitation is out, the email cannot change: the field says how to start over.
    page.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("dialog")
    edit.get_by_label("Email").fill(f"other-{profile_email}")
    edit.get_by_role("button", name="Save").click()
    expect(edit.get_by_text("revoke the invitation, change the email, then resend")).to_be_visible()
    expect(edit.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
