"""Flow 1 from the company's side: files on the Invite form, resend and revoke from the table and the profile."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.helpers import EMAIL_TIMEOUT, contact_row, invite_link, sign_up_company, unique

CV_BYTES = b"%PDF-1.4\n% a tiny CV for the browser test\n" + b"0" * 2048


def _tick(page: Page, email: str) -> None:
    """Tick a row; the box is controlled by the server, so wait for the round trip."""
    box = contact_row(page, email).get_by_role("checkbox")
    box.click()
    expect(box).to_be_checked()


def test_invite_with_files_then_resend_and_revoke(page: Page, mail, fresh_context) -> None:
    company = f"Hooli {unique('files')}"
    email = f"{unique('rui')}@people.example"
    sign_up_company(page, company)

    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    dialog.get_by_label("Name", exact=True).fill("Rui Files")
    dialog.get_by_label("Email", exact=True).fill(email)
    dialog.get_by_label("Links").fill("https://portfolio.example/rui")
    files = dialog.get_by_label("Files", exact=True)
    files.set_input_files(
        [
            {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": CV_BYTES},
            {"name": "notes.md", "mimeType": "text/markdown", "buffer": b"# Rui\nGreat at print design."},
        ]
    )
    chosen = dialog.get_by_role("list", name="Chosen files").get_by_role("listitem")
    expect(chosen).to_have_count(2)
    # A type the BFF does not take is refused in the browser, with the reason beside Files.
    files.set_input_files([{"name": "setup.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ..."}])
    expect(dialog.get_by_text("“setup.exe” is not an accepted type")).to_be_visible()
    expect(chosen).to_have_count(2)
    dialog.get_by_role("button", name="Remove notes.md").click()
    expect(chosen).to_have_count(1)
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    first = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)

    # Resend from the table: a fresh link, and the first one stops working.
    _tick(page, email)
    page.get_by_role("region", name="Bulk actions").get_by_role("button", name="Resend").click()
    expect(page.get_by_text("Resent 1 invitation")).to_be_visible()
    second = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT, ignore={first["id"]})
    assert invite_link(second) != invite_link(first)
    invitee = fresh_context()
    invitee.goto(invite_link(first))
    expect(invitee.get_by_role("heading", name="A newer invitation was sent")).to_be_visible()

    # The profile: invitation card, files, links, history.
    contact_row(page, email).get_by_role("link", name="Rui Files").click()
    expect(page.get_by_role("heading", name="Rui Files", level=1)).to_be_visible()
    invitation = page.get_by_role("region", name="Invitation")
    expect(invitation).to_contain_text("expires on")
    expect(page.get_by_role("list", name="History")).to_contain_text("Invitation resent")
    expect(page.get_by_role("list", name="History")).to_contain_text("Invitation sent")
    link = page.get_by_role("link", name="https://portfolio.example/rui")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download cv.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "cv.pdf"
    assert Path(download.path()).read_bytes() == CV_BYTES

    invitation.get_by_role("button", name="Revoke").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Revoke the invitation to Rui Files?")
    confirm.get_by_role("button", name="Revoke").click()
    expect(invitation).to_contain_text("revoked")
    expect(page.get_by_role("list", name="History")).to_contain_text("Invitation revoked")
    invitee.goto(invite_link(second))
    expect(invitee.get_by_role("heading", name="Invitation withdrawn")).to_be_visible()

    # Revoking again from the table skips it and says why.
    page.get_by_role("link", name="Back to Talent Pool").click()
    _tick(page, email)
    page.get_by_role("region", name="Bulk actions").get_by_role("button", name="Revoke").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Revoke").click()
    expect(
        page.get_by_text("Revoked 0 invitations; 1 skipped: Only pending invitations can be revoked.")
    ).to_be_visible()
