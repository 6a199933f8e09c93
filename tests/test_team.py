"""The team through HTTP: invitations (single use, expiry, Resend, Revoke, hashed), roles, the last Owner, removal, tenancy."""

import asyncio
import re
from datetime import timedelta

import pytest

from backend.accounts.tables import CompanyUser, UserSession
from backend.clock import utcnow
from backend.email.tables import OutboxEmail
from backend.errors import Conflict
from backend.security import hash_token
from backend.team import join, service
from backend.team.tables import TeamInvitation
from shared.team import RoleChange, TeamJoin, TeamRole
from tests.factories import PASSWORD, make_contact, make_teammate

JOIN = {"name": "Nina Newcomer", "password": "a-long-secret-42"}


async def _join_token(email: str) -> str:
    rows = await OutboxEmail.select().where((OutboxEmail.to_email == email) & (OutboxEmail.kind == "team_invitation"))
    assert rows, f"no team invitation to {email}"
    return re.search(r"/team/join/([A-Za-z0-9_-]+)", rows[-1]["text_body"]).group(1)


async def _invite(client, company, email="nina@example.com", role="member", **extra):
    return await client.post(
        "/api/team/invitations", json={"email": email, "role": role, **extra}, headers=company.headers
    )


async def test_invite_teammate_join_signs_in_with_role(client, company):
    response = await _invite(client, company, email=" Nina@Example.com ", role="admin", name="Nina")
    assert response.status_code == 201
    assert response.json()["email"] == "nina@example.com" and response.json()["role"] == "admin"
    token = await _join_token("nina@example.com")
    stored = await TeamInvitation.select().first()
    assert stored["token_hash"] == hash_token(token) and token not in stored["token_hash"]
    email = await OutboxEmail.select().where(OutboxEmail.kind == "team_invitation").first()
    assert "Acme Ltd" in email["text_body"] and "an Admin" in email["text_body"]

    preview = await client.get(f"/api/public/team-invitations/{token}")
    assert preview.status_code == 200
    assert preview.json()["company_name"] == "Acme Ltd" and preview.json()["role"] == "admin"

    joined = await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)
    assert joined.status_code == 201
    session = joined.json()
    assert session["user"]["role"] == "admin" and session["company"]["id"] == company.principal.company_id
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {session['token']}"})
    assert me.json()["user"] == {
        "id": session["user"]["id"],
        "name": "Nina Newcomer",
        "email": "nina@example.com",
        "role": "admin",
    }
    login = await client.post("/api/auth/login", json={"email": "nina@example.com", "password": JOIN["password"]})
    assert login.status_code == 200


async def test_join_team_invitation_twice_refused(client, company):
    await _invite(client, company)
    token = await _join_token("nina@example.com")
    assert (await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)).status_code == 201
    again = await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)
    assert again.status_code == 410 and again.json()["code"] == "team_invitation_used"
    assert await CompanyUser.count().where(CompanyUser.email == "nina@example.com") == 1


async def test_join_team_invitation_expired_refused(client, company):
    await _invite(client, company)
    token = await _join_token("nina@example.com")
    await TeamInvitation.update({TeamInvitation.expires_at: utcnow() - timedelta(seconds=1)}).where(
        TeamInvitation.id > 0
    )
    preview = await client.get(f"/api/public/team-invitations/{token}")
    assert preview.status_code == 410 and preview.json()["code"] == "team_invitation_expired"
    joined = await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)
    assert joined.status_code == 410 and joined.json()["code"] == "team_invitation_expired"
    assert not await CompanyUser.exists().where(CompanyUser.email == "nina@example.com")


async def test_join_team_unknown_token_not_found(client):
    response = await client.get("/api/public/team-invitations/not-a-real-token")
    assert response.status_code == 404 and response.json()["code"] == "team_invitation_not_found"


async def test_join_team_weak_password_field_error(client, company):
    await _invite(client, company)
    token = await _join_token("nina@example.com")
    response = await client.post(f"/api/public/team-invitations/{token}/join", json={"name": "", "password": "short"})
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"name", "password"}
    assert await TeamInvitation.exists().where(TeamInvitation.accepted_at.is_null())


async def test_revoke_team_invitation_link_stops(client, company):
    invitation = (await _invite(client, company)).json()
    token = await _join_token("nina@example.com")
    revoked = await client.post(f"/api/team/invitations/{invitation['id']}/revoke", headers=company.headers)
    assert revoked.status_code == 204
    joined = await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)
    assert joined.status_code == 410 and joined.json()["code"] == "team_invitation_revoked"
    team = (await client.get("/api/team", headers=company.headers)).json()
    assert team["invitations"] == []


async def test_resend_team_invitation_new_link_old_stops(client, company):
    invitation = (await _invite(client, company)).json()
    first = await _join_token("nina@example.com")
    await TeamInvitation.update({TeamInvitation.expires_at: utcnow() - timedelta(days=1)}).where(
        TeamInvitation.id == invitation["id"]
    )
    resent = await client.post(f"/api/team/invitations/{invitation['id']}/resend", headers=company.headers)
    assert resent.status_code == 200
    second = await _join_token("nina@example.com")
    assert second != first
    assert await OutboxEmail.count().where(OutboxEmail.kind == "team_invitation") == 2
    old = await client.post(f"/api/public/team-invitations/{first}/join", json=JOIN)
    assert old.status_code == 404
    assert (await client.post(f"/api/public/team-invitations/{second}/join", json=JOIN)).status_code == 201


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("nina@example.com", "already_invited"),
        ("owner-of-globex", "email_in_other_company"),
        ("self", "already_member"),
    ],
)
async def test_invite_teammate_taken_email_conflict(client, company, other_company, email, code):
    await _invite(client, company)
    email = {"owner-of-globex": other_company.email, "self": company.email}.get(email, email)
    response = await _invite(client, company, email=email)
    assert response.status_code == 409 and response.json()["code"] == code
    assert response.json()["errors"][0]["field"] == "email"


async def test_invite_teammate_bad_email_field_error(client, company):
    response = await _invite(client, company, email="not-an-email")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "email"
    bad_role = await _invite(client, company, role="emperor")
    assert bad_role.status_code == 422
    assert await TeamInvitation.count() == 0


async def test_invite_owner_by_admin_refused(client, company):
    admin = await make_teammate(company, TeamRole.ADMIN)
    response = await _invite(client, admin, role="owner")
    assert response.status_code == 403 and response.json()["code"] == "role_required"
    assert (await _invite(client, admin, role="admin")).status_code == 201


async def test_change_role_last_owner_refused(client, company):
    response = await client.post(
        f"/api/team/members/{company.principal.user_id}/role", json={"role": "admin"}, headers=company.headers
    )
    assert response.status_code == 409 and response.json()["code"] == "last_owner"
    second = await make_teammate(company, TeamRole.OWNER)
    demoted = await client.post(
        f"/api/team/members/{company.principal.user_id}/role", json={"role": "member"}, headers=second.headers
    )
    assert demoted.status_code == 200 and demoted.json()["role"] == "member"
    last = await client.post(f"/api/team/members/{second.principal.user_id}/remove", headers=second.headers)
    assert last.status_code == 422 and last.json()["code"] == "cannot_remove_self"
    assert await CompanyUser.count().where(CompanyUser.role == "owner") == 1


async def test_change_role_owner_by_admin_refused(client, company):
    admin = await make_teammate(company, TeamRole.ADMIN)
    member = await make_teammate(company, TeamRole.MEMBER)
    promote = await client.post(
        f"/api/team/members/{member.principal.user_id}/role", json={"role": "owner"}, headers=admin.headers
    )
    assert promote.status_code == 403 and promote.json()["code"] == "role_required"
    demote = await client.post(
        f"/api/team/members/{company.principal.user_id}/role", json={"role": "member"}, headers=admin.headers
    )
    assert demote.status_code == 403
    remove_owner = await client.post(f"/api/team/members/{company.principal.user_id}/remove", headers=admin.headers)
    assert remove_owner.status_code == 403
    ok = await client.post(
        f"/api/team/members/{member.principal.user_id}/role", json={"role": "admin"}, headers=admin.headers
    )
    assert ok.status_code == 200
    # The new role counts from the next request of the same session.
    assert (await client.get("/api/team", headers=member.headers)).status_code == 200


async def test_remove_member_ends_sessions_keeps_history(client, company):
    member = await make_teammate(company, TeamRole.MEMBER, name="Mia Member")
    contact = await make_contact(member, name="Grace Hopper")
    assert (await client.get("/api/contacts", headers=member.headers)).status_code == 200
    removed = await client.post(f"/api/team/members/{member.principal.user_id}/remove", headers=company.headers)
    assert removed.status_code == 204

    after = await client.get("/api/contacts", headers=member.headers)
    assert after.status_code == 401 and after.json()["code"] == "session_expired"
    assert (
        await UserSession.count().where(
            (UserSession.user == member.principal.user_id) & UserSession.revoked_at.is_null()
        )
        == 0
    )
    login = await client.post("/api/auth/login", json={"email": member.email, "password": PASSWORD})
    assert login.status_code == 401
    reset = await client.post("/api/auth/password-reset", json={"email": member.email})
    assert reset.status_code == 202
    assert await OutboxEmail.count().where(OutboxEmail.kind == "password_reset") == 0
    # The row stays, so what they did is still theirs.
    row = await CompanyUser.select().where(CompanyUser.id == member.principal.user_id).first()
    assert row["removed_at"] is not None and row["name"] == "Mia Member"
    history = await client.get(f"/api/contacts/{contact.id}", headers=company.headers)
    assert history.status_code == 200
    team = (await client.get("/api/team", headers=company.headers)).json()
    assert [m["email"] for m in team["members"]] == [company.email]


async def test_invite_removed_member_again_restores_user(client, company):
    member = await make_teammate(company, TeamRole.MEMBER)
    await client.post(f"/api/team/members/{member.principal.user_id}/remove", headers=company.headers)
    assert (await _invite(client, company, email=member.email, role="admin")).status_code == 201
    token = await _join_token(member.email)
    joined = await client.post(f"/api/public/team-invitations/{token}/join", json=JOIN)
    assert joined.status_code == 201 and joined.json()["user"]["id"] == member.principal.user_id
    assert joined.json()["user"]["role"] == "admin"


async def test_team_other_company_cannot_see_or_touch(client, company, other_company):
    member = await make_teammate(company, TeamRole.MEMBER)
    invitation = (await _invite(client, company)).json()
    theirs = (await client.get("/api/team", headers=other_company.headers)).json()
    assert [m["email"] for m in theirs["members"]] == [other_company.email] and theirs["invitations"] == []
    calls = [
        ("post", f"/api/team/members/{member.principal.user_id}/role", {"role": "owner"}),
        ("post", f"/api/team/members/{member.principal.user_id}/remove", None),
        ("post", f"/api/team/members/{company.principal.user_id}/remove", None),
        ("post", f"/api/team/invitations/{invitation['id']}/resend", None),
        ("post", f"/api/team/invitations/{invitation['id']}/revoke", None),
    ]
    for method, url, body in calls:
        response = await getattr(client, method)(url, json=body, headers=other_company.headers)
        assert response.status_code == 404, url
    row = await CompanyUser.select().where(CompanyUser.id == member.principal.user_id).first()
    assert row["role"] == "member" and row["removed_at"] is None
    assert await TeamInvitation.exists().where(
        (TeamInvitation.id == invitation["id"]) & TeamInvitation.revoked_at.is_null()
    )
    assert await OutboxEmail.count().where(OutboxEmail.kind == "team_invitation") == 1


async def test_member_cannot_manage_links_but_sees_applicant_counts(client, company):
    member = await make_teammate(company, TeamRole.MEMBER)
    created = await client.post("/api/links", json={"label": "Signature"}, headers=member.headers)
    assert created.status_code == 403 and created.json()["code"] == "role_required"
    assert (await client.get("/api/links", headers=member.headers)).status_code == 403
    assert (await client.get("/api/applicants/counts", headers=member.headers)).status_code == 200
    assert (await client.post("/api/links", json={"label": "Signature"}, headers=company.headers)).status_code == 201


async def test_change_role_two_owners_demote_each_other_one_owner_remains(company):
    """Two Owners demoting each other at the same moment take turns: one Owner always remains."""
    second = await make_teammate(company, TeamRole.OWNER)
    results = await asyncio.gather(
        service.change_role(company.principal, second.principal.user_id, RoleChange(role=TeamRole.ADMIN)),
        service.change_role(second.principal, company.principal.user_id, RoleChange(role=TeamRole.ADMIN)),
        return_exceptions=True,
    )
    failures = [result for result in results if isinstance(result, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], Conflict) and failures[0].code == "last_owner"
    assert await CompanyUser.count().where(CompanyUser.role == "owner") == 1


async def test_join_team_same_link_twice_at_once_one_user(client, company):
    """Two joins with one link at the same moment: one user, the other answer says the link is used."""
    await _invite(client, company)
    token = await _join_token("nina@example.com")
    results = await asyncio.gather(
        join.join_team(token, TeamJoin(**JOIN), "a"),
        join.join_team(token, TeamJoin(**JOIN), "b"),
        return_exceptions=True,
    )
    failures = [result for result in results if isinstance(result, Exception)]
    assert len(failures) == 1 and failures[0].code == "team_invitation_used"
    assert await CompanyUser.count().where(CompanyUser.email == "nina@example.com") == 1


async def test_team_changes_logged_by_name(client, company):
    invited = await _invite(client, company, email="lou@example.com", role="member")
    assert invited.status_code == 201
    resent = await client.post(f"/api/team/invitations/{invited.json()['id']}/resend", headers=company.headers)
    assert resent.status_code == 200
    joined = await client.post(f"/api/public/team-invitations/{await _join_token('lou@example.com')}/join", json=JOIN)
    assert joined.status_code == 201
    lou = joined.json()["user"]["id"]
    promoted = await client.post(f"/api/team/members/{lou}/role", json={"role": "admin"}, headers=company.headers)
    assert promoted.status_code == 200
    other = await _invite(client, company, email="ola@example.com", role="member")
    revoked = await client.post(f"/api/team/invitations/{other.json()['id']}/revoke", headers=company.headers)
    assert revoked.status_code == 204
    removed = await client.post(f"/api/team/members/{lou}/remove", headers=company.headers)
    assert removed.status_code == 204

    log = (await client.get("/api/activity", headers=company.headers)).json()["items"]
    lines = [(item["kind"], item["actor_name"], item["subject"], item["detail"]) for item in reversed(log)]
    owner = company.principal.user_name
    assert lines == [
        ("team_invited", owner, "lou@example.com", "As a Member"),
        ("team_invited", owner, "lou@example.com", "Invitation sent again"),
        ("team_joined", "Nina Newcomer", "lou@example.com", "As a Member"),
        ("role_changed", owner, "Nina Newcomer", "a Member → an Admin"),
        ("team_invited", owner, "ola@example.com", "As a Member"),
        ("team_invitation_revoked", owner, "ola@example.com", ""),
        ("member_removed", owner, "Nina Newcomer", "Was an Admin"),
    ]


async def test_rename_company_owner_only_logged(client, company, other_company):
    admin = await make_teammate(company, TeamRole.ADMIN)
    refused = await client.patch("/api/company", json={"name": "Admin Co"}, headers=admin.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"
    blank = await client.patch("/api/company", json={"name": "   "}, headers=company.headers)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "name"

    renamed = await client.patch("/api/company", json={"name": "  Acme Studio "}, headers=company.headers)
    assert renamed.status_code == 200 and renamed.json() == {"id": company.principal.company_id, "name": "Acme Studio"}
    me = (await client.get("/api/auth/me", headers=admin.headers)).json()
    assert me["company"]["name"] == "Acme Studio"
    theirs = (await client.get("/api/auth/me", headers=other_company.headers)).json()
    assert theirs["company"]["name"] == "Globex Corp"
    log = (await client.get("/api/activity", params={"kind": "company_renamed"}, headers=admin.headers)).json()
    assert [(i["actor_name"], i["subject"], i["detail"]) for i in log["items"]] == [
        (company.principal.user_name, "Acme Studio", "Was Acme Ltd")
    ]
