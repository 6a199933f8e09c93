"""The local mail catcher in a real browser: a long email is shown whole, footer included."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from e2e.helpers import EMAIL_TIMEOUT, invite, sign_up_company, unique


def test_open_caught_long_email_shows_it_whole(page: Page, mail) -> None:
    company = f"Longmail {unique('co')}"
    email = f"{unique('lola')}@people.example"
    sign_up_company(page, company)
    message = "\n".join(f"Line {number} of a long, friendly invitation." for number in range(1, 61))
    invite(page, "Lola Long", email, message=message)
    caught = mail.wait_for_message(to=email, subject_contains=company, timeout=EMAIL_TIMEOUT)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{mail.url}/messages/{caught['id']}")
    frame_element = page.locator("iframe[title='HTML part of the email']")
    frame = page.frame_locator("iframe[title='HTML part of the email']")
    footer = frame.get_by_text("uses Talent Pool to work with the people it trusts")
    expect(frame.get_by_text("copy this address into your browser")).to_be_attached()
    expect(footer).to_be_attached()
    # The frame grows to the email's height: its last line lies inside the frame, nothing scrolls within it.
    deadline = time.monotonic() + 5
    while True:
        frame_box, footer_box = frame_element.bounding_box(), footer.bounding_box()
        assert frame_box is not None and footer_box is not None
        inside = footer_box["y"] + footer_box["height"] <= frame_box["y"] + frame_box["height"]
        if inside or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert inside, ("the frame clips the email", footer_box, frame_box)
    inner_frame = frame_element.element_handle().content_frame()
    assert inner_frame is not None
    inner = inner_frame.evaluate("() => [document.documentElement.scrollHeight, document.documentElement.clientHeight]")
    assert inner[0] <= inner[1], inner
    page.screenshot(path="var/screenshots/mail-catcher-long-email.png", full_page=True)
