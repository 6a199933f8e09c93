"""What a screen reader meets: toasts that pass axe, detail labels read as written, one button per file picker."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_serious_axe_violations, contact_row, invite, sign_up_company, unique


def _accessible_names(page: Page, role: str) -> list[str]:
    """The names Chromium's own accessibility tree gives every node of `role` that it exposes."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    return [
        node.get("name", {}).get("value", "")
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == role and not node.get("ignored")
    ]


def test_show_toast_passes_axe_colour_contrast(page: Page) -> None:
    sign_up_company(page, f"Contrast {unique('co')}")
    email = f"{unique('tia')}@people.example"
    invite(page, "Tia Toast", email)
    toast = page.locator("[data-sonner-toast]").filter(has_text=f"Invitation sent to {email}")
    expect(toast).to_be_visible()
    expect(toast).to_have_attribute("data-mounted", "true")
    page.wait_for_timeout(600)  # sonner's entry animation (400 ms) fades the toast in
    assert_no_serious_axe_violations(page)


def test_open_profile_detail_labels_have_plain_names(page: Page) -> None:
    sign_up_company(page, f"Labels {unique('co')}")
    email = f"{unique('lu')}@people.example"
    invite(page, "Lu Labels", email)
    page.goto("/")
    # Opened by its address: what is read aloud on the profile is this test's business, not the click.
    page.goto(contact_row(page, email).get_by_role("link", name="Lu Labels").get_attribute("href") or "")
    expect(page.get_by_role("heading", name="Lu Labels", level=1)).to_be_visible()
    expect(page.get_by_text("Added by")).to_be_visible()
    terms = _accessible_names(page, "term")
    assert {"Source", "Added", "Added by"} <= set(terms), terms
    assert all(name == name.strip().lstrip("\u200b\u200c\u200d\u2060\ufeff") for name in terms), terms
    assert_no_serious_axe_violations(page)


def test_open_invite_form_file_picker_is_one_button(page: Page) -> None:
    sign_up_company(page, f"Picker {unique('co')}")
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog.get_by_role("button", name="choose files")).to_be_visible()
    buttons = _accessible_names(page, "button")
    assert "Files" not in buttons, buttons
    assert buttons.count("choose files") == 1, buttons
    # The input itself still takes files (tests and the label's click reach it).
    dialog.get_by_label("Files", exact=True).set_input_files(
        [{"name": "cv.txt", "mimeType": "text/plain", "buffer": b"Curriculum vitae"}]
    )
    expect(dialog.get_by_role("list", name="Chosen files")).to_contain_text("cv.txt")
