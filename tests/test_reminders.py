"""Reminders of unanswered invitations: the schedule, the stop rules, the original link, the history, and no
reminder twice with several senders at once. The pass takes `now`, so the test moves the clock."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from backend.clock import utcnow
from backend.contacts.tables import Invitation
from backend.email.tables import OutboxEmail
from backend.invitations.service import expire_invitations
from backend.reminders.sending import send_due_reminders
from tests.factories import invite_people
from tests.test_email_delivery import drain, smtp  # noqa: F401  (smtp is a fixture)

PASSWORD = "a-strong-password-1"
MINUTE = timedelta(minutes=1)


def _days(days: float):
    return utcnow() + timedelta(days=days)


async def _invite(client, company, email: str = "nia@example.com", name: str = "Nia Okafor") -> dict:
    response = await client.post("/api/invitations", json={"name": name, "email": email}, headers=company.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _emails(to: str, kind: str | None = None) -> list[dict]:
    query = OutboxEmail.select().where(OutboxEmail.to_email == to).order_by(OutboxEmail.id)
    rows = await query
    return [row for row in rows if kind is None or row["kind"] == kind]


def _link(body: str) -> str:
    return re.search(r"http://testserver\.local/(invite/[A-Za-z0-9_-]+|worker/login)", body).group(0)


async def _history(client, company, contact_id: int) -> list[str]:
    events = (await client.get(f"/api/contacts/{contact_id}/history", headers=company.headers)).json()
    return [event["summary"] for event in events]


async def _set(client, company, reminders: int, first: int, second: int):
    return await client.put(
        "/api/settings/reminders",
        json={"reminders": reminders, "first_after_days": first, "second_after_days": second},
        headers=company.headers,
    )


async def test_send_reminders_default_schedule_after_3_and_7_days_at_most_2(client, company, smtp):
    contact = await _invite(client, company)
    assert await send_due_reminders(_days(3) - MINUTE) == 0
    assert await send_due_reminders(_days(3) + MINUTE) == 1
    assert await send_due_reminders(_days(3) + 2 * MINUTE) == 0
    assert await send_due_reminders(_days(7) - MINUTE) == 0
    assert await send_due_reminders(_days(7) + MINUTE) == 1
    assert await send_due_reminders(_days(12)) == 0

    [original] = await _emails("nia@example.com", "invitation")
    reminders = await _emails("nia@example.com", "invitation_reminder")
    assert len(reminders) == 2 and all(row["contact"] == contact["id"] for row in reminders)
    # Each reminder carries the original invitation's link.
    assert {_link(row["text_body"]) for row in reminders} == {_link(original["text_body"])}
    assert await drain(smtp.port) == 3
    # The sender sends a batch over parallel connections: the order of arrival is not fixed.
    subjects = sorted(str(message["Subject"]) for message in smtp.messages)
    assert subjects == sorted([original["subject"]] + [f"Reminder: {original['subject']}"] * 2)
    history = await _history(client, company, contact["id"])
    assert history[:2] == ["Invitation reminder sent: 2 of 2", "Invitation reminder sent: 1 of 2"]
    # And in the company's activity log, sent by the product (no teammate).
    log = (await client.get("/api/activity", params={"kind": "reminder_sent"}, headers=company.headers)).json()
    lines = [(item["actor_name"], item["subject"], item["detail"]) for item in log["items"]]
    assert lines == [("", "nia@example.com", "Reminder 2 of 2"), ("", "nia@example.com", "Reminder 1 of 2")]


async def test_send_reminders_after_a_pause_sends_only_the_latest_due(client, company):
    await _invite(client, company)
    assert await send_due_reminders(_days(8)) == 1
    assert [row["kind"] for row in await _emails("nia@example.com")] == ["invitation", "invitation_reminder"]
    assert await send_due_reminders(_days(9)) == 0


async def test_send_reminders_company_schedule_and_off(client, company, other_company):
    assert (await _set(client, company, 1, 5, 9)).json() == {
        "reminders": 1,
        "first_after_days": 5,
        "second_after_days": 9,
    }
    assert (await _set(client, other_company, 0, 3, 7)).status_code == 200
    await _invite(client, company, "nia@example.com")
    await _invite(client, other_company, "omar@example.com", name="Omar Haddad")
    assert await send_due_reminders(_days(4)) == 0
    assert await send_due_reminders(_days(5) + MINUTE) == 1
    assert await send_due_reminders(_days(13)) == 0
    assert len(await _emails("nia@example.com", "invitation_reminder")) == 1
    assert await _emails("omar@example.com", "invitation_reminder") == []


async def test_send_reminders_stop_when_accepted_revoked_expired_or_declined(client, company, other_company):
    accepted = await _invite(client, company, "acc@example.com", "Ada Accepts")
    revoked = await _invite(client, company, "rev@example.com", "Rui Revoked")
    expired = await _invite(client, company, "exp@example.com", "Eve Expires")
    token = _link((await _emails("acc@example.com"))[0]["text_body"]).rsplit("/", 1)[1]
    used = await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Ada", "password": PASSWORD})
    assert used.status_code in (200, 201), used.text
    profile = await client.get(f"/api/contacts/{accepted['id']}", headers=company.headers)
    assert profile.json()["status"] == "active"
    revoke = await client.post(f"/api/contacts/{revoked['id']}/invitation/revoke", headers=company.headers)
    assert revoke.status_code == 204
    await Invitation.update({Invitation.expires_at: utcnow() - MINUTE}).where(Invitation.contact == expired["id"])
    await expire_invitations()

    # Ada, now a worker, gets a connection request from another company and declines it.
    request = await _invite(client, other_company, "acc@example.com", "Ada Accepts")
    login = await client.post("/api/worker/auth/login", json={"email": "acc@example.com", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    declined = await client.post(f"/api/worker/connections/{request['id']}/decline", headers=headers)
    assert declined.status_code == 200, declined.text

    assert await send_due_reminders(_days(4)) == 0
    for address in ("acc@example.com", "rev@example.com", "exp@example.com"):
        assert [row for row in await _emails(address) if "reminder" in row["kind"]] == []


async def test_send_reminders_connection_request_points_to_worker_login(client, company, other_company):
    await _invite(client, company, "acc@example.com", "Ada Accepts")
    token = _link((await _emails("acc@example.com"))[0]["text_body"]).rsplit("/", 1)[1]
    await client.post(f"/api/public/invitations/{token}/accept", json={"name": "Ada", "password": PASSWORD})
    request = await _invite(client, other_company, "acc@example.com", "Ada Accepts")
    assert await send_due_reminders(_days(3) + MINUTE) == 1
    [reminder] = await _emails("acc@example.com", "connection_reminder")
    assert _link(reminder["text_body"]) == "http://testserver.local/worker/login"
    history = await _history(client, other_company, request["id"])
    assert history[0] == "Invitation reminder sent: 1 of 2"


async def test_send_reminders_two_senders_at_once_send_each_once(company):
    people = [(f"Person {n}", f"person{n}@example.com") for n in range(40)]
    await invite_people(company.principal, people)
    now = _days(3) + MINUTE
    counts = await asyncio.gather(*(send_due_reminders(now) for _ in range(3)))
    assert sum(counts) == 40
    rows = await OutboxEmail.select(OutboxEmail.to_email).where(OutboxEmail.kind == "invitation_reminder")
    assert sorted(row["to_email"] for row in rows) == sorted(email for _, email in people)
    assert {row["reminders_sent"] for row in await Invitation.select(Invitation.reminders_sent)} == {1}


async def test_update_reminder_settings_bad_input_is_refused(client, company, other_company):
    default = await client.get("/api/settings/reminders", headers=company.headers)
    assert default.status_code == 200
    assert default.json() == {"reminders": 2, "first_after_days": 3, "second_after_days": 7}
    too_many = await _set(client, company, 3, 3, 7)
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "reminders"
    assert too_many.json()["errors"][0]["code"] == "out_of_range"
    zero_days = await _set(client, company, 2, 0, 7)
    assert zero_days.status_code == 422 and zero_days.json()["errors"][0]["code"] == "out_of_range"
    backwards = await _set(client, company, 2, 7, 3)
    assert backwards.status_code == 422
    assert backwards.json()["errors"] == [
        {
            "field": "second_after_days",
            "message": "The second reminder must come after the first.",
            "code": "not_after_first",
        }
    ]
    negative = await _set(client, company, -1, 3, 7)
    assert negative.status_code == 422
    extra = await client.put(
        "/api/settings/reminders",
        json={"reminders": 1, "first_after_days": 3, "second_after_days": 7, "company": 2},
        headers=company.headers,
    )
    assert extra.status_code == 422
    anonymous = await client.put(
        "/api/settings/reminders", json={"reminders": 0, "first_after_days": 3, "second_after_days": 7}
    )
    assert anonymous.status_code == 401
    assert (await client.get("/api/settings/reminders", headers=company.headers)).json()["reminders"] == 2
    # One company's schedule is its own.
    assert (await _set(client, company, 0, 3, 7)).status_code == 200
    assert (await client.get("/api/settings/reminders", headers=other_company.headers)).json()["reminders"] == 2


async def _schedule_lines(client, company) -> list[tuple[str, str, str]]:
    log = await client.get("/api/activity", params={"kind": "reminder_schedule_changed"}, headers=company.headers)
    assert log.status_code == 200, log.text
    return [(line["actor_name"], line["subject"], line["detail"]) for line in log.json()["items"]]


async def test_update_reminder_settings_change_is_an_activity_line_with_the_old_schedule(
    client, company, other_company
):
    assert (await _set(client, company, 1, 1, 7)).status_code == 200
    # The same schedule again, or a second day a one-reminder schedule does not use, changes nothing.
    assert (await _set(client, company, 1, 1, 7)).status_code == 200
    assert (await _set(client, company, 1, 1, 9)).status_code == 200
    assert (await _set(client, company, 0, 1, 9)).status_code == 200
    # A refused change is not a line either.
    assert (await _set(client, company, 2, 9, 4)).status_code == 422
    assert (await _set(client, company, 2, 4, 9)).status_code == 200

    lines = await _schedule_lines(client, company)
    assert [(subject, detail) for _, subject, detail in lines] == [
        ("2 reminders, after 4 and 9 days", "Was Reminders off"),
        ("Reminders off", "Was 1 reminder, after 1 day"),
        ("1 reminder, after 1 day", "Was 2 reminders, after 3 and 7 days"),
    ]
    assert {actor for actor, _, _ in lines} == {company.principal.user_name}
    assert await _schedule_lines(client, other_company) == []
