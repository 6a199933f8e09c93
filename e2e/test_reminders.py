"""Delivery status and reminders in the browser: the Settings page's schedule, the invitation email's state on
the row and the profile, and a reminder caught by the mail catcher once its time has come."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import (
    EMAIL_TIMEOUT,
    Company,
    assert_no_serious_axe_violations,
    contact_row,
    invite,
    invite_link,
    unique,
)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _age_invitation(stack, email: str, days: int) -> None:
    """Move the pending invitation of `email` `days` into the past (the clock the test controls)."""
    if not stack.database_url.startswith("sqlite:///"):
        pytest.skip("moves an invitation back in the SQLite database of the `make run` topology")
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        [(invitation_id, created)] = db.execute(
            "SELECT i.id, i.created_at FROM invitation i JOIN contact c ON c.id = i.contact "
            "WHERE c.email = ? AND i.state = 'pending'",
            (email,),
        ).fetchall()
        moved = datetime.fromisoformat(created) - timedelta(days=days)
        stored = moved.isoformat(sep="T" if "T" in created else " ")
        db.execute("UPDATE invitation SET created_at = ? WHERE id = ?", (stored, invitation_id))


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_settings_reminder_schedule_then_reminder_caught_after_its_time(page: Page, api_url, mail, stack):
    company = Company(api_url)
    company.log_in(page)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    first = page.get_by_label("First reminder after (days)")
    second = page.get_by_label("Second reminder after (days)")
    expect(first).to_have_value("3")
    expect(second).to_have_value("7")
    expect(page.get_by_label("Reminders")).to_contain_text("2 reminders")
    assert_no_serious_axe_violations(page)

    first.fill("5")
    second.fill("4")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_text("The second reminder must come after the first.")).to_be_visible()
    expect(second).to_have_attribute("aria-invalid", "true")
    second.fill("9")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_text("Reminder schedule saved.")).to_be_visible()
    _shoot(page, "settings")
    page.reload()
    expect(page.get_by_label("First reminder after (days)")).to_have_value("5")
    expect(page.get_by_label("Second reminder after (days)")).to_have_value("9")
    page.get_by_role("link", name="Activity").click()
    changed = page.get_by_role("list", name="Activity").get_by_role("listitem").filter(has_text="Reminder schedule")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Reminder schedule changed")
    expect(changed).to_contain_text("2 reminders, after 5 and 9 days")
    expect(changed).to_contain_text("Was 2 reminders, after 3 and 7 days")
    _shoot(page, "activity-schedule")

    page.goto("/")
    email = f"{unique('rita')}@qa.example"
    invite(page, "Rita Reminded", email)
    original = mail.wait_for_message(to=email, subject_contains=company.name, timeout=EMAIL_TIMEOUT)
    row = contact_row(page, email)
    expect(row).to_contain_text(re.compile(r"Invitation email sent"))
    _shoot(page, "pool-delivery")

    # Four days on: no reminder yet (the first is due after five).
    _age_invitation(stack, email, 4)
    page.wait_for_timeout(4_000)
    assert [m for m in mail.messages(to=email) if m["subject"].startswith("Reminder")] == []
    _age_invitation(stack, email, 2)
    reminder = mail.wait_for_message(to=email, subject_contains="Reminder:", timeout=EMAIL_TIMEOUT)
    assert invite_link(reminder) == invite_link(original)

    row.get_by_role("link", name="Rita Reminded").click()
    expect(page.get_by_role("heading", name="Rita Reminded", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Invitation email sent"))).to_be_visible()
    expect(page.get_by_text("Invitation reminder sent: 1 of 2")).to_be_visible()
    _shoot(page, "profile-delivery")
    # Only one reminder: the next is due after nine days.
    assert len([m for m in mail.messages(to=email) if m["subject"].startswith("Reminder")]) == 1
