"""Flow 3 in a real browser: upload a CSV, review every row's verdict, choose rows, write the message, import."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

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

# A few rows import in about a second; the first import also waits for the runner's first look.
IMPORT_TIMEOUT_MS = 30_000
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _open_upload_dialog(page: Page) -> Locator:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Upload CSV").click()
    dialog = page.get_by_role("dialog", name="Upload contacts from a CSV file")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Upload .CSV file")).to_be_visible()
    return dialog


def _file_input(dialog: Locator) -> Locator:
    return dialog.get_by_label("CSV file", exact=True)


def _review_row(dialog: Locator, line: int) -> Locator:
    """The table row of one line of the file, found by its checkbox's name."""
    box = dialog.page.get_by_role("checkbox", name=f"Select row {line}", exact=True)
    return dialog.get_by_role("row").filter(has=box)


def _assert_dialog_has_no_serious_axe_violations(page: Page) -> None:
    """Axe on the open dialog (the page behind the modal is checked by the Talent Pool tests)."""
    assert_no_serious_axe_violations(page, context="[role=dialog]")


def _add_without_inviting(page: Page, name: str, email: str) -> None:
    page.get_by_role("button", name="Add without inviting").click()
    dialog = page.get_by_role("dialog", name="Add a contact without inviting")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()


def test_upload_csv_review_choose_and_import(page: Page, mail, fresh_context, tmp_path: Path) -> None:
    company = f"Vandelay {unique('csv')}"
    worker_company = f"Kramerica {unique('w')}"
    new_1 = ("Ada Csv", f"{unique('ada')}@people.example")
    new_2 = ("Ben Csv", f"{unique('ben')}@people.example")
    left_out = ("Cleo Csv", f"{unique('cleo')}@people.example")
    in_pool = ("Dora Pool", f"{unique('dora')}@people.example")
    worker = ("Eli Worker", f"{unique('eli')}@people.example")
    tag_1, tag_2 = unique("python"), unique("design")
    message = f"Hello from the CSV test {unique('note')}: we would love you on our bench."

    # An existing worker account: another company invites Eli, who signs up from the email.
    worker_company_page = fresh_context()
    sign_up_company(worker_company_page, worker_company)
    invite(worker_company_page, worker[0], worker[1])
    worker_page, _ = accept_by_email(mail, fresh_context, worker[1], worker_company, worker[0])
    worker_page.context.close()

    sign_up_company(page, company)
    _add_without_inviting(page, *in_pool)
    expect(page.get_by_role("cell", name=in_pool[0])).to_be_visible()

    # Spreadsheet-style headers (aliases, any order), tags split on ; and |, and one row of each kind.
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text(
        "E-mail,Full name,Skills\n"
        f'{new_1[1]},{new_1[0]},"{tag_1}; writing"\n'
        f"{new_2[1]},{new_2[0]},{tag_2}|illustration\n"
        f"{left_out[1]},{left_out[0]},{tag_1}\n"
        f"{in_pool[1].upper()},{in_pool[0]},\n"
        f"{worker[1]},{worker[0]},{tag_2}\n"
        "not-an-email,Fay Broken,\n"
        f"{new_1[1]},Ada Twice,{tag_1}\n",
        encoding="utf-8",
    )

    dialog = _open_upload_dialog(page)
    _file_input(dialog).set_input_files(csv_file)
    expect(dialog.get_by_text("contacts.csv", exact=True)).to_be_visible()
    expect(dialog.get_by_text("UTF-8 · comma-separated · 7 rows")).to_be_visible()

    verdicts = {
        2: "New",
        3: "New",
        4: "New",
        5: "Already in your Talent Pool",
        # An email with a worker account reads like any new person's.
        6: "New",
        7: "Invalid email",
        8: "Duplicate in file",
    }
    for line, verdict in verdicts.items():
        expect(_review_row(dialog, line)).to_contain_text(verdict)
    expect(_review_row(dialog, 3)).to_contain_text("illustration")
    for line in (2, 6):
        expect(_review_row(dialog, line)).to_contain_text("Will be invited")
    expect(_review_row(dialog, 8)).to_contain_text("Same email as row 2")
    for line in (2, 3, 4, 6):
        expect(dialog.get_by_role("checkbox", name=f"Select row {line}", exact=True)).to_be_checked()
    for line in (5, 7, 8):
        expect(dialog.get_by_role("checkbox", name=f"Select row {line}", exact=True)).to_be_disabled()
    filters = dialog.get_by_role("group", name="Show rows by verdict")
    expect(filters.get_by_role("button", name="All 7")).to_be_visible()
    expect(filters.get_by_role("button", name="New 4")).to_be_visible()
    expect(filters.get_by_role("button", name="Invalid email 1")).to_be_visible()
    expect(dialog.get_by_text("4 selected", exact=True)).to_be_visible()

    # Filters narrow the table; All brings every row back.
    filters.get_by_role("button", name="Invalid email 1").click()
    expect(filters.get_by_role("button", name="Invalid email 1")).to_have_attribute("aria-pressed", "true")
    expect(dialog.get_by_role("checkbox", name=re.compile(r"^Select row \d+$"))).to_have_count(1)
    expect(_review_row(dialog, 7)).to_be_visible()
    filters.get_by_role("button", name="All 7").click()
    expect(dialog.get_by_role("checkbox", name=re.compile(r"^Select row \d+$"))).to_have_count(7)

    # Leave Cleo out: the BFF keeps the choice and counts it.
    cleo = dialog.get_by_role("checkbox", name="Select row 4", exact=True)
    cleo.click()
    expect(cleo).not_to_be_checked()
    expect(dialog.get_by_text("3 selected", exact=True)).to_be_visible()
    _assert_dialog_has_no_serious_axe_violations(page)

    message_box = dialog.get_by_label("Invitation message")
    expect(message_box).to_have_value(re.compile(f"{re.escape(company)}'s Talent Pool"))
    message_box.fill(message)
    expect(dialog.get_by_text(f"{len(message)} / 5,000")).to_be_visible()
    dialog.get_by_role("button", name="Preview email").click()
    preview = dialog.get_by_role("region", name="Email preview")
    expect(preview).to_contain_text(new_1[1])
    expect(preview).to_contain_text(company)
    expect(dialog.frame_locator("iframe[title='Email preview']").get_by_text(message)).to_be_visible()

    expect(dialog.get_by_text("3 people will be added to your Talent Pool and emailed.")).to_be_visible()
    dialog.get_by_role("button", name="Import selected", exact=True).click()
    expect(dialog.get_by_role("heading", name="Imported 3 contacts")).to_be_visible(timeout=IMPORT_TIMEOUT_MS)
    expect(dialog.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(dialog.get_by_text("Imported 3 of 3")).to_be_visible()
    expect(dialog.get_by_role("group", name="Invited", exact=True)).to_contain_text("3")
    expect(dialog.get_by_role("group", name="Connection requests sent")).to_have_count(0)
    expect(dialog.get_by_role("group", name="Skipped")).to_contain_text("0")
    expect(dialog.get_by_role("group", name="Rows not imported")).to_contain_text("4")

    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Download rows not imported").click()
    download = download_info.value
    assert download.suggested_filename == "contacts-not-imported.csv"
    not_imported = Path(download.path()).read_text(encoding="utf-8-sig")
    assert f"4,{left_out[0]},{left_out[1]},{tag_1},Not selected" in not_imported
    assert "Invalid email" in not_imported and "Duplicate in file" in not_imported

    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("4 trusted contacts")).to_be_visible()
    for (name, email), tags, status in (
        (new_1, (tag_1, "writing"), "invited"),
        (new_2, (tag_2, "illustration"), "invited"),
        (worker, (tag_2,), "invited"),
    ):
        row = contact_row(page, email)
        expect(row).to_contain_text(name)
        expect(row).to_contain_text(status)
        expect(row).to_contain_text("CSV upload")
        for tag in tags:
            expect(row.get_by_text(tag, exact=True)).to_be_visible()
    page.get_by_label("Search contacts").fill(left_out[1])
    expect(page.get_by_text("No contacts match")).to_be_visible()
    # Searching by a tag finds exactly the imported people who have it.
    page.get_by_label("Search contacts").fill(tag_2)
    expect(page.get_by_role("row").filter(has_text="@people.example")).to_have_count(2)

    for email in (new_1[1], new_2[1]):
        invitation = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)
        assert message in invitation["text"]
    request = mail.wait_for_message(to=worker[1], subject_contains=company, timeout=EMAIL_TIMEOUT)
    assert "wants to connect" in request["subject"]
    assert message in request["text"]
    assert mail.messages(to=left_out[1]) == []

    invitee = fresh_context()
    invitee.goto(invite_link(mail.wait_for_message(to=new_2[1], subject_contains=company, timeout=EMAIL_TIMEOUT)))
    expect(invitee.get_by_role("heading", name=company, level=1)).to_be_visible()
    expect(invitee.get_by_text(message)).to_be_visible()
    expect(invitee.get_by_label("Your name")).to_have_value(new_2[0])
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee).to_have_url(re.compile(r"/worker$"))
    expect(invitee.get_by_role("region", name="Your companies").get_by_text(company)).to_be_visible()


def test_upload_that_is_not_a_csv_shows_the_problem_beside_the_field(page: Page) -> None:
    sign_up_company(page, f"Pendant {unique('png')}")
    dialog = _open_upload_dialog(page)
    expect(dialog).to_contain_text("a .csv or .txt file of up to 200 MB and 1,000,000 contacts")
    file_input = _file_input(dialog)
    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Download template").click()
    template = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert template.splitlines()[0] == "Name,Email,Tags"

    # The browser refuses a picture outright.
    file_input.set_input_files([{"name": "photo.png", "mimeType": "image/png", "buffer": PNG_BYTES}])
    problem = dialog.get_by_role("alert")
    expect(problem).to_contain_text("“photo.png” is not a CSV file")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(file_input).to_have_attribute("aria-describedby", re.compile("csv-file-input-error"))

    # Named .csv, it reaches the BFF, which reads the bytes and says what is wrong.
    file_input.set_input_files([{"name": "photo.csv", "mimeType": "text/csv", "buffer": PNG_BYTES}])
    expect(problem).to_contain_text("not a CSV file")
    expect(problem).not_to_contain_text("photo.png")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_role("table")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Import selected")).to_have_count(0)

    # A good file afterwards clears the message and shows the review.
    file_input.set_input_files(
        [
            {
                "name": "ok.csv",
                "mimeType": "text/csv",
                "buffer": f"name,email\nGus Good,{unique('gus')}@people.example\n".encode(),
            }
        ]
    )
    expect(_review_row(dialog, 2)).to_contain_text("New")
    expect(dialog.get_by_role("alert")).to_have_count(0)


def test_review_csv_multiline_cells_rows_match_spreadsheet(page: Page, tmp_path: Path) -> None:
    sign_up_company(page, f"Multiline {unique('csv')}")
    ann, bo = f"{unique('ann')}@people.example", f"{unique('bo')}@people.example"
    csv_file = tmp_path / "multiline.csv"
    # Row 2's name and tags cells hold line breaks; the sheet still shows it as one row.
    csv_file.write_bytes(
        (
            "Name,Email,Tags\r\n"
            f'"Ann\nAnders",{ann},"Rust\nWASM"\r\n'
            f"Bo Brink,{bo},go\r\n"
            "Cy Broken,not-an-email,\r\n"
            f"Ann Again,{ann},\r\n"
        ).encode()
    )
    dialog = _open_upload_dialog(page)
    _file_input(dialog).set_input_files(csv_file)
    expect(dialog.get_by_text("UTF-8 · comma-separated · 4 rows")).to_be_visible()
    expect(dialog.get_by_role("checkbox", name=re.compile(r"^Select row \d+$"))).to_have_count(4)
    for line, verdict in {2: "New", 3: "New", 4: "Invalid email", 5: "Duplicate in file"}.items():
        expect(_review_row(dialog, line)).to_contain_text(verdict)
    expect(_review_row(dialog, 2).get_by_text("rust", exact=True)).to_be_visible()
    expect(_review_row(dialog, 2).get_by_text("wasm", exact=True)).to_be_visible()
    expect(_review_row(dialog, 5)).to_contain_text("Same email as row 2")

    dialog.get_by_role("button", name="Import selected", exact=True).click()
    expect(dialog.get_by_role("heading", name="Imported 2 contacts")).to_be_visible(timeout=IMPORT_TIMEOUT_MS)
    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Download rows not imported").click()
    not_imported = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in not_imported[1:]] == ["4", "5"]
