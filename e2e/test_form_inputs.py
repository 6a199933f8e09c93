"""The tag box and the file picker of the Invite form in a real browser: fast typing, paste, adding, limits."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from e2e.helpers import assert_no_serious_axe_violations, contact_row, sign_up_company, unique
from shared.limits import MAX_FILES

PDF = b"%PDF-1.4\n% a CV\n" + b"0" * 1500
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results" / "screenshots"


def _open_invite(page: Page):
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog).to_be_visible()
    return dialog


def _pick(page: Page, files: Locator, items: list[dict]) -> None:
    """Choose files and wait until their upload has finished (the page sends one upload at a time)."""
    with page.expect_response(lambda response: "/_upload" in response.url) as upload:
        files.set_input_files(items)
    upload.value.finished()


def _pdf(name: str, extra: bytes = b"") -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF + extra}


def test_type_tags_fast_each_chip_whole(page: Page) -> None:
    sign_up_company(page, f"Chips {unique('co')}")
    email = f"{unique('tags')}@people.example"
    dialog = _open_invite(page)
    dialog.get_by_label("Name", exact=True).fill("Fast Typist")
    dialog.get_by_label("Email", exact=True).fill(email)
    box = dialog.get_by_label("Skills / tags")
    box.click()
    # Typed without pauses: every separator commits at once, nothing lands in the wrong chip.
    page.keyboard.type("alpha,beta,gamma-ray", delay=0)
    page.keyboard.press("Enter")
    page.keyboard.type("delta,epsilon", delay=0)
    expect(box).to_have_value("epsilon")
    assert_no_serious_axe_violations(page, context="[role=dialog]")
    for tag in ("alpha", "beta", "gamma-ray", "delta"):
        expect(dialog.get_by_role("button", name=f"Remove tag {tag}", exact=True)).to_be_visible()
    # Backspace in an empty box removes the last chip; a paste with separators becomes chips.
    box.fill("")
    box.press("Backspace")
    expect(dialog.get_by_role("button", name="Remove tag delta", exact=True)).to_have_count(0)
    box.fill("zeta; eta")
    expect(dialog.get_by_role("button", name="Remove tag zeta", exact=True)).to_be_visible()
    expect(box).to_have_value(" eta")
    # What is still typed is sent with the form.
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    contact_row(page, email).get_by_role("link", name="Fast Typist").click()
    expect(page.get_by_role("heading", name="Fast Typist", level=1)).to_be_visible()
    for tag in ("alpha", "beta", "gamma-ray", "zeta", "eta"):
        expect(page.get_by_text(tag, exact=True)).to_be_visible()
    expect(page.get_by_text("delta", exact=True)).to_have_count(0)
    expect(page.get_by_text("epsilon", exact=True)).to_have_count(0)


def test_choose_files_adds_once_and_keeps_limit(page: Page) -> None:
    sign_up_company(page, f"Picker {unique('co')}")
    email = f"{unique('files')}@people.example"
    dialog = _open_invite(page)
    dialog.get_by_label("Name", exact=True).fill("Five Files")
    dialog.get_by_label("Email", exact=True).fill(email)
    files = dialog.get_by_label("Files", exact=True)
    chosen = dialog.get_by_role("list", name="Chosen files").get_by_role("listitem")
    _pick(page, files, [_pdf("cv.pdf"), _pdf("portfolio.pdf", b"1")])
    expect(chosen).to_have_count(2)
    expect(chosen.first).to_contain_text("1 KB")
    dialog.get_by_role("list", name="Chosen files").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "invite-two-files.png"))
    # Each pick adds to the others; the same file again is listed once; at most MAX_FILES in all.
    _pick(page, files, [_pdf("cv.pdf"), _pdf("extra-0.pdf", b"0")])
    expect(chosen).to_have_count(3)
    _pick(page, files, [_pdf(f"extra-{n}.pdf", bytes([n])) for n in range(1, MAX_FILES)])
    expect(dialog.get_by_text(f"Attach at most {MAX_FILES} files.")).to_be_visible()
    expect(chosen).to_have_count(MAX_FILES)
    expect(files).to_have_attribute("aria-invalid", "true")
    assert_no_serious_axe_violations(page, context="[role=dialog]")
    dialog.get_by_role("button", name="Remove portfolio.pdf").click()
    expect(chosen).to_have_count(MAX_FILES - 1)
    dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    contact_row(page, email).get_by_role("link", name="Five Files").click()
    for name in ("cv.pdf", "extra-0.pdf", "extra-1.pdf", "extra-2.pdf"):
        expect(page.get_by_role("button", name=f"Download {name}")).to_be_visible()
    expect(page.get_by_role("button", name="Download portfolio.pdf")).to_have_count(0)
