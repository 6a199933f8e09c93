"""Log-ins, sign-ups and public invitation pages: limits per client and per account, answered with 429."""

import re

from backend.accounts.tables import CompanyUser
from backend.email.tables import OutboxEmail
from backend.security import hash_password
from backend.workers.tables import Worker
from tests.factories import PASSWORD

SIGNUP = {"company_name": "Acme Ltd", "name": "Ada Owner", "email": "ada@acme.example", "password": "a-long-secret-1"}
INVITE = {"name": "Grace Hopper", "email": "grace@example.com"}


def _assert_rate_limited(response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


async def _login(client, email, password, path="/api/auth/login", **kwargs):
    return await client.post(path, json={"email": email, "password": password}, **kwargs)


async def test_login_wrong_passwords_then_right_one_rate_limited(client, company, set_env):
    limit = set_env().auth_account_limit
    for _ in range(limit):
        assert (await _login(client, company.email, "wrong-password-0")).status_code == 401
    _assert_rate_limited(await _login(client, company.email, "wrong-password-0"))
    _assert_rate_limited(await _login(client, company.email, PASSWORD))


async def test_login_successes_do_not_use_up_limit(client, company, set_env):
    set_env(TP_AUTH_ACCOUNT_LIMIT="3", TP_AUTH_CLIENT_LIMIT="3")
    for _ in range(8):
        assert (await _login(client, company.email, PASSWORD)).status_code == 200


async def test_login_failures_counted_per_client_across_accounts(client, set_env):
    set_env(TP_AUTH_CLIENT_LIMIT="5")
    for number in range(5):
        assert (await _login(client, f"nobody{number}@example.com", "wrong-password-0")).status_code == 401
    _assert_rate_limited(await _login(client, "someone-else@example.com", "wrong-password-0"))


async def test_login_forwarded_header_from_untrusted_peer_ignored(client, company, set_env):
    set_env(TP_AUTH_CLIENT_LIMIT="3")
    for number in range(3):
        headers = {"X-Forwarded-For": f"203.0.113.{number}"}
        assert (await _login(client, f"x{number}@example.com", "wrong-password-0", headers=headers)).status_code == 401
    _assert_rate_limited(
        await _login(client, "x9@example.com", "wrong-password-0", headers={"X-Forwarded-For": "198.51.100.1"})
    )


async def test_worker_login_wrong_passwords_rate_limited(client, set_env):
    await Worker(name="Wanda", email="wanda@example.com", password_hash=hash_password(PASSWORD)).save()
    set_env(TP_AUTH_ACCOUNT_LIMIT="2")
    for _ in range(2):
        assert (
            await _login(client, "wanda@example.com", "wrong-password-0", "/api/worker/auth/login")
        ).status_code == 401
    _assert_rate_limited(await _login(client, "Wanda@example.com", PASSWORD, "/api/worker/auth/login"))


async def test_signup_throttled_per_email(client, set_env):
    set_env(TP_AUTH_ACCOUNT_LIMIT="2")
    assert (await client.post("/api/auth/signup", json=SIGNUP)).status_code == 201
    assert (await client.post("/api/auth/signup", json=SIGNUP)).status_code == 409
    _assert_rate_limited(await client.post("/api/auth/signup", json={**SIGNUP, "email": "ADA@acme.example"}))
    assert (await client.post("/api/auth/signup", json={**SIGNUP, "email": "bob@acme.example"})).status_code == 201
    assert await CompanyUser.count() == 2


async def test_invitation_preview_and_accept_throttled_per_invitation(client, company, set_env):
    set_env(TP_AUTH_ACCOUNT_LIMIT="3")
    assert (await client.post("/api/invitations", json=INVITE, headers=company.headers)).status_code == 201
    row = await OutboxEmail.select().where(OutboxEmail.to_email == INVITE["email"]).first()
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", row["text_body"]).group(1)
    for _ in range(3):
        assert (await client.get(f"/api/public/invitations/{token}")).status_code == 200
    _assert_rate_limited(await client.get(f"/api/public/invitations/{token}"))
    accept = {"name": "Grace Hopper", "password": "weak"}
    for _ in range(3):
        assert (await client.post(f"/api/public/invitations/{token}/accept", json=accept)).status_code == 422
    _assert_rate_limited(await client.post(f"/api/public/invitations/{token}/accept", json=accept))


async def test_invitation_preview_throttled_per_client_across_tokens(client, set_env):
    set_env(TP_AUTH_CLIENT_LIMIT="4")
    for number in range(4):
        assert (await client.get(f"/api/public/invitations/unknown-token-{number}")).status_code == 404
    _assert_rate_limited(await client.get("/api/public/invitations/unknown-token-9"))
