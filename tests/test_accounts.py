"""Company sign-up, login, logout and session handling through HTTP."""

from datetime import timedelta

from backend.accounts.tables import CompanyUser, UserSession
from backend.clock import utcnow

SIGNUP = {"company_name": "Acme Ltd", "name": "Ada Owner", "email": "Ada@Acme.example ", "password": "a-long-secret-1"}


async def test_signup_creates_company_and_session(client):
    response = await client.post("/api/auth/signup", json=SIGNUP)
    assert response.status_code == 201
    body = response.json()
    assert body["company"]["name"] == "Acme Ltd"
    assert body["user"]["email"] == "ada@acme.example"
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["company"]["name"] == "Acme Ltd"


async def test_signup_stores_argon2_hash_and_hashed_token(client):
    body = (await client.post("/api/auth/signup", json=SIGNUP)).json()
    user = await CompanyUser.objects().first()
    assert user.password_hash.startswith("$argon2")
    assert SIGNUP["password"] not in user.password_hash
    session = await UserSession.objects().first()
    assert session.token_hash != body["token"] and len(session.token_hash) == 64


async def test_signup_duplicate_email_any_case_conflict(client):
    assert (await client.post("/api/auth/signup", json=SIGNUP)).status_code == 201
    again = await client.post("/api/auth/signup", json={**SIGNUP, "email": "  ADA@acme.EXAMPLE"})
    assert again.status_code == 409
    assert again.json()["code"] == "email_taken"
    assert again.json()["errors"][0]["field"] == "email"


async def test_signup_invalid_fields_reported_per_field(client):
    response = await client.post(
        "/api/auth/signup", json={"company_name": " ", "name": "", "email": "nope", "password": "short"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {"company_name": "required", "name": "required", "email": "invalid_email", "password": "too_short"}
    assert await CompanyUser.count() == 0


async def test_signup_weak_password_rejected(client):
    response = await client.post("/api/auth/signup", json={**SIGNUP, "password": "aaaaaaaaaaaa"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_weak"


async def test_login_success_and_wrong_password(client):
    await client.post("/api/auth/signup", json=SIGNUP)
    ok = await client.post("/api/auth/login", json={"email": "ADA@acme.example", "password": SIGNUP["password"]})
    assert ok.status_code == 200 and ok.json()["token"]
    wrong = await client.post("/api/auth/login", json={"email": "ada@acme.example", "password": "wrong-password"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"
    unknown = await client.post("/api/auth/login", json={"email": "nobody@acme.example", "password": "whatever123"})
    assert unknown.status_code == 401
    assert unknown.json()["code"] == "invalid_credentials"


async def test_logout_revokes_session(client):
    token = (await client.post("/api/auth/signup", json=SIGNUP)).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
    after = await client.get("/api/auth/me", headers=headers)
    assert after.status_code == 401


async def test_expired_session_rejected(client):
    token = (await client.post("/api/auth/signup", json=SIGNUP)).json()["token"]
    await UserSession.update({UserSession.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


async def test_missing_or_malformed_token_unauthenticated(client):
    assert (await client.get("/api/auth/me")).status_code == 401
    bad = await client.get("/api/contacts", headers={"Authorization": "Bearer " + "x" * 5000})
    assert bad.status_code == 401
    assert bad.json()["code"] == "not_authenticated"
    basic = await client.get("/api/contacts", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert basic.status_code == 401
