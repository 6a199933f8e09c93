"""The Talent Pool page's header and row actions."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.helpers import sign_up_company, unique


def test_open_empty_pool_header_keeps_menu_beside_invite(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_up_company(page, unique("Empty Pool Co"))
    expect(page.get_by_role("heading", name="Your Talent Pool is empty")).to_be_visible()

    invite = page.get_by_role("button", name="Invite", exact=True)
    menu = page.get_by_role("button", name="More actions")
    expect(invite).to_have_count(1)
    expect(menu).to_be_visible()
    invite_box, menu_box = invite.bounding_box(), menu.bounding_box()
    assert invite_box and menu_box
    # Side by side in the header: the menu right of Invite, on the same line, a small gap between.
    assert abs((invite_box["y"] + invite_box["height"] / 2) - (menu_box["y"] + menu_box["height"] / 2)) < 4
    assert 0 <= menu_box["x"] - (invite_box["x"] + invite_box["width"]) < 24
    heading_box = page.get_by_role("heading", name="Talent Pool", level=1).bounding_box()
    assert heading_box and invite_box["y"] < heading_box["y"] + heading_box["height"] + 40

    invite.click()
    expect(page.get_by_role("dialog", name="Invite a trusted contact")).to_be_visible()
