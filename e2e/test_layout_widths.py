"""Every width: laptops show the whole Talent Pool table, phones scroll only down, dialogs keep their actions in sight."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from e2e.helpers import accept_by_email, contact_row, invite, sign_up_company, unique

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots" / "widths"


def _no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]"
    )
    wide = page.evaluate(
        "w => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))",
        widths[1],
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], (what, widths, wide)


def _whole_on_one_line(element: Locator) -> None:
    """Neither cut with an ellipsis nor wrapped: the text fits its column."""
    fits = element.evaluate(
        "e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(e).lineHeight)"
    )
    sizes = element.evaluate(
        "e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().height, getComputedStyle(e).lineHeight, innerWidth]"
    )
    assert fits, (element.text_content(), sizes)


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _open_links_dialog(page: Page) -> Locator:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Invitation link").click()
    dialog = page.get_by_role("dialog", name="Invitation links")
    expect(dialog).to_be_visible()
    return dialog


def test_view_talent_pool_laptop_whole_table(page: Page) -> None:
    sign_up_company(page, f"Widths {unique('co')}")
    # As long as the ones the table cut to "Quinn Probe 7d…" at 1280 and 1440 px.
    name, email = unique("Quinn Probe"), f"{unique('quinn.probe')}@people.example"
    invite(page, name, email)
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        row = contact_row(page, email)
        _no_sideways_scroll(page, f"page at {width}")
        scroller = page.locator(".contacts-table .rt-ScrollAreaViewport")
        sizes = scroller.evaluate("v => [v.scrollWidth, v.clientWidth]")
        assert sizes[0] <= sizes[1], f"the table scrolls sideways at {width}: {sizes}"
        _whole_on_one_line(row.get_by_role("link", name=name))
        _whole_on_one_line(row.get_by_text(email, exact=True))
        for header in ("Tags", "Status", "Source", "Last engagement", "Last activity"):
            box = page.get_by_role("columnheader", name=re.compile(header)).bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (header, box)
        expect(row).to_contain_text("just now")
        _shot(page, f"pool-{width}")

    # The profile and the Invite dialog at the same widths, for looking at.
    contact_row(page, email).get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        _no_sideways_scroll(page, f"profile at {width}")
        _shot(page, f"profile-{width}")
    page.goto("/")
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        expect(dialog.get_by_role("button", name="Invite", exact=True)).to_be_in_viewport()
        _shot(page, f"invite-{width}")


def test_use_pages_on_phone_without_sideways_scroll(page: Page, mail, fresh_context) -> None:
    company = f"Phone {unique('co')}"
    sign_up_company(page, company)
    email = f"{unique('pia')}@people.example"
    invite(page, "Pia Phone", email)
    page.set_viewport_size({"width": 390, "height": 844})

    # The navigation collapses into a Menu.
    page.goto("/")
    expect(page.get_by_role("heading", name="Talent Pool", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    page.get_by_role("button", name=re.compile("^Menu")).click()
    expect(page.get_by_role("menuitem", name="Log out")).to_be_visible()
    page.keyboard.press("Escape")
    row = contact_row(page, email)
    expect(row).to_contain_text("Pia Phone")
    _no_sideways_scroll(page, "Talent Pool")
    _shot(page, "pool-390")

    row.get_by_role("link", name="Pia Phone").click()
    expect(page.get_by_role("heading", name="Pia Phone", level=1)).to_be_visible()
    _no_sideways_scroll(page, "profile")
    _shot(page, "profile-390")

    page.goto("/")
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog).to_be_visible()
    _no_sideways_scroll(page, "Invite form")
    assert dialog.evaluate("d => d.scrollWidth <= d.clientWidth"), "the Invite form scrolls sideways"
    expect(dialog.get_by_role("button", name="Invite", exact=True)).to_be_in_viewport()
    _shot(page, "invite-390")
    page.keyboard.press("Escape")

    dialog = _open_links_dialog(page)
    dialog.get_by_label("Label").fill("Phone link")
    dialog.get_by_role("button", name="Create link").click()
    link_url = dialog.get_by_label("Link URL for Phone link").input_value()
    applicant = fresh_context()
    applicant.set_viewport_size({"width": 390, "height": 844})
    applicant.goto(link_url)
    expect(applicant.get_by_role("heading", name=company, level=1)).to_be_visible()
    _no_sideways_scroll(applicant, "link page")

    invitee, _ = accept_by_email(mail, fresh_context, email, company, "Pia Phone")
    invitee.set_viewport_size({"width": 390, "height": 844})
    expect(invitee.get_by_role("region", name="Your companies").get_by_text(company)).to_be_visible()
    _shot(invitee, "worker-portal-390")
    _no_sideways_scroll(invitee, "worker portal")
    invitee.goto(link_url.replace("/join/", "/invite/"))
    expect(invitee.get_by_role("heading", level=1)).to_be_visible()
    _no_sideways_scroll(invitee, "invitation page")


def test_open_invite_dialog_small_laptop_actions_in_sight(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    sign_up_company(page, f"Sticky {unique('co')}")
    page.get_by_role("button", name="Invite", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Invite a trusted contact")
    expect(dialog).to_be_visible()
    for name in ("Cancel", "Invite and offer job", "Invite"):
        button = dialog.get_by_role("button", name=name, exact=True)
        expect(button).to_be_in_viewport(ratio=1)
        box = button.bounding_box()
        assert box is not None
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.textContent",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top == name, (name, on_top)
    _shot(page, "invite-1280x720")


def _uncovered(page: Page, button: Locator) -> None:
    """Every part of the button answers a click: no toast lies over it."""
    box = button.bounding_box()
    assert box is not None
    points = [
        (box["x"] + dx, box["y"] + dy)
        for dx in (3, box["width"] / 2, box["width"] - 3)
        for dy in (3, box["height"] / 2, box["height"] - 3)
    ]
    hits = page.evaluate(
        "points => points.map(([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-sonner-toast]'))", points
    )
    toasts = [toast.bounding_box() for toast in page.locator("[data-sonner-toast]").all()]
    assert not any(hits), (button, box, toasts)


def test_create_link_toast_leaves_link_actions_uncovered(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_up_company(page, f"Toasts {unique('co')}")
    dialog = _open_links_dialog(page)
    dialog.get_by_label("Label").fill("Newest")
    dialog.get_by_role("button", name="Create link").click()
    expect(page.get_by_text("Link “Newest” created")).to_be_visible()
    card = dialog.get_by_role("group", name="Link Newest")
    for name in ("Copy", "Rotate", "Revoke"):
        button = card.get_by_role("button", name=re.compile(name))
        button.scroll_into_view_if_needed()
        expect(page.get_by_text("Link “Newest” created")).to_be_visible()
        _uncovered(page, button)
    card.get_by_role("button", name=re.compile("Copy")).click()
    expect(page.locator("[data-sonner-toast]").first).to_be_visible()
    for name in ("Rotate", "Revoke"):
        _uncovered(page, card.get_by_role("button", name=re.compile(name)))
