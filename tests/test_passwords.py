"""Forgotten and changed passwords, for company users and workers, through HTTP and under concurrency."""

import asyncio
import re
from datetime import timedelta

import pytest

from backend.accounts import service as accounts
from backend.accounts.service import authenticate
from backend.accounts.tables import CompanyUser, UserSession
from backend.clock import utcnow
from backend.email.tables import OutboxEmail
from backend.errors import DomainError
from backend.passwords import service
from backend.passwords.service import COMPANY_USER, WORKER
from backend.passwords.tables import PasswordReset
from backend.security import hash_password
from backend.workers.tables import Worker, WorkerSession
from shared.accounts import LoginCreate
from shared.passwords import PasswordResetComplete, PasswordResetRequest
from tests.factories import PASSWORD

NEW_PASSWORD = "a-brand-new-secret-7"
WORKER_EMAIL = "wanda@example.com"


async def _reset_token(email: str) -> str:
    rows = await OutboxEmail.select().where((OutboxEmail.to_email == email) & (OutboxEmail.kind == "password_reset"))
    assert rows, f"no reset email to {email}"
    return re.search(r"/reset-password/([A-Za-z0-9_-]+)", rows[-1]["text_body"]).group(1)


async def _worker(confirmed: bool = False) -> int:
    worker = Worker(
        name="Wanda Worker",
        email=WORKER_EMAIL,
        password_hash=hash_password(PASSWORD),
        email_confirmed_at=utcnow() if confirmed else None,
    )
    await worker.save()
    return worker.id


async def _worker_login(client, password=PASSWORD):
    return await client.post("/api/worker/auth/login", json={"email": WORKER_EMAIL, "password": password})


async def test_request_reset_known_and_unknown_email_same_answer(client, company):
    known = await client.post("/api/auth/password-reset", json={"email": company.email.upper()})
    unknown = await client.post("/api/auth/password-reset", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert await OutboxEmail.count().where(OutboxEmail.kind == "password_reset") == 1
    token = await _reset_token(company.email)
    stored = await PasswordReset.select().first()
    assert stored["token_hash"] != token and len(stored["token_hash"]) == 64
    assert timedelta(minutes=59) < stored["expires_at"] - utcnow() <= timedelta(hours=1)


async def test_request_reset_invalid_email_field_error(client):
    response = await client.post("/api/auth/password-reset", json={"email": "not an email"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    assert await PasswordReset.count() == 0


async def test_complete_reset_sets_password_and_ends_other_sessions(client, company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    done = await client.post("/api/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200
    assert (await client.get("/api/auth/me", headers=company.headers)).status_code == 401
    new_headers = {"Authorization": f"Bearer {done.json()['token']}"}
    assert (await client.get("/api/auth/me", headers=new_headers)).status_code == 200
    old = await client.post("/api/auth/login", json={"email": company.email, "password": PASSWORD})
    assert old.status_code == 401
    assert (
        await client.post("/api/auth/login", json={"email": company.email, "password": NEW_PASSWORD})
    ).status_code == 200


async def test_complete_reset_link_used_twice_refused(client, company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    first = await client.post("/api/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    assert first.status_code == 200
    again = await client.post(
        "/api/auth/password-reset/complete", json={"token": token, "password": "another-secret-99"}
    )
    assert again.status_code == 410 and again.json()["code"] == "reset_link_invalid"


async def test_complete_reset_expired_or_unknown_link_refused(client, company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    await PasswordReset.update({PasswordReset.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    for bad in (token, "x" * 43, "<script>", "a" * 500):
        response = await client.post("/api/auth/password-reset/complete", json={"token": bad, "password": NEW_PASSWORD})
        assert response.status_code in (410, 422)
        assert response.json()["code"] in ("reset_link_invalid", "validation_failed")
    user = await CompanyUser.select(CompanyUser.password_hash).first()
    assert (
        await client.post("/api/auth/login", json={"email": company.email, "password": PASSWORD})
    ).status_code == 200
    assert user["password_hash"].startswith("$argon2")


async def test_complete_reset_common_password_refused_and_link_kept(client, company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    weak = await client.post("/api/auth/password-reset/complete", json={"token": token, "password": "password12"})
    assert weak.status_code == 422
    assert weak.json()["errors"] == [
        {"field": "password", "message": weak.json()["errors"][0]["message"], "code": "too_common"}
    ]
    assert (
        await client.post("/api/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    ).status_code == 200


async def test_complete_reset_company_link_not_valid_for_workers(client, company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    wrong = await client.post(
        "/api/worker/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD}
    )
    assert wrong.status_code == 410
    right = await client.post("/api/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    assert right.status_code == 200


async def test_complete_reset_worker_proves_email_and_ends_sessions(client):
    worker_id = await _worker(confirmed=False)
    old_session = (await _worker_login(client)).json()["token"]
    response = await client.post("/api/worker/auth/password-reset", json={"email": WORKER_EMAIL})
    assert response.status_code == 202
    token = await _reset_token(WORKER_EMAIL)
    assert "/worker/reset-password/" in (await OutboxEmail.select(OutboxEmail.text_body).first())["text_body"]
    done = await client.post(
        "/api/worker/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD}
    )
    assert done.status_code == 200 and done.json()["worker"]["email"] == WORKER_EMAIL
    worker = await Worker.select().where(Worker.id == worker_id).first()
    assert worker["email_confirmed_at"] is not None
    assert (
        await client.get("/api/worker/auth/me", headers={"Authorization": f"Bearer {old_session}"})
    ).status_code == 401
    assert await WorkerSession.count().where(WorkerSession.revoked_at.is_null()) == 1
    assert (await _worker_login(client, NEW_PASSWORD)).status_code == 200


async def test_complete_reset_worker_already_confirmed_keeps_date(client):
    worker_id = await _worker(confirmed=True)
    before = (await Worker.select(Worker.email_confirmed_at).where(Worker.id == worker_id).first())[
        "email_confirmed_at"
    ]
    await client.post("/api/worker/auth/password-reset", json={"email": WORKER_EMAIL})
    token = await _reset_token(WORKER_EMAIL)
    assert (
        await client.post("/api/worker/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    ).status_code == 200
    after = (await Worker.select(Worker.email_confirmed_at).where(Worker.id == worker_id).first())["email_confirmed_at"]
    assert after == before


async def test_complete_reset_one_company_leaves_other_company_alone(client, company, other_company):
    await client.post("/api/auth/password-reset", json={"email": company.email})
    token = await _reset_token(company.email)
    assert (
        await client.post("/api/auth/password-reset/complete", json={"token": token, "password": NEW_PASSWORD})
    ).status_code == 200
    assert (await client.get("/api/auth/me", headers=other_company.headers)).status_code == 200
    other = await client.post("/api/auth/login", json={"email": other_company.email, "password": PASSWORD})
    assert other.status_code == 200


async def test_request_reset_throttled_per_address_same_for_unknown(client, company, set_env):
    set_env(TP_RESET_EMAIL_LIMIT="2")
    for email in (company.email, "nobody@example.com"):
        for _ in range(2):
            assert (await client.post("/api/auth/password-reset", json={"email": email})).status_code == 202
        blocked = await client.post("/api/auth/password-reset", json={"email": email})
        assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"
        assert int(blocked.headers["retry-after"]) >= 1
    assert await PasswordReset.count() == 2


async def test_request_reset_throttled_per_client(client, set_env):
    set_env(TP_AUTH_CLIENT_LIMIT="3")
    for number in range(3):
        assert (
            await client.post("/api/worker/auth/password-reset", json={"email": f"p{number}@example.com"})
        ).status_code == 202
    blocked = await client.post("/api/worker/auth/password-reset", json={"email": "p9@example.com"})
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"


async def test_change_password_requires_current_and_ends_other_sessions(client, company):
    second = (await client.post("/api/auth/login", json={"email": company.email, "password": PASSWORD})).json()["token"]
    wrong = await client.post(
        "/api/auth/password",
        json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        headers=company.headers,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0] == {
        "field": "current_password",
        "message": wrong.json()["errors"][0]["message"],
        "code": "wrong_password",
    }
    weak = await client.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": "password12"}, headers=company.headers
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    ok = await client.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=company.headers
    )
    assert ok.status_code == 204
    assert (await client.get("/api/auth/me", headers=company.headers)).status_code == 200
    assert (await client.get("/api/auth/me", headers={"Authorization": f"Bearer {second}"})).status_code == 401
    assert (
        await client.post("/api/auth/login", json={"email": company.email, "password": NEW_PASSWORD})
    ).status_code == 200


async def test_change_password_worker_and_unauthenticated(client):
    await _worker(confirmed=True)
    headers = {"Authorization": f"Bearer {(await _worker_login(client)).json()['token']}"}
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (await client.post("/api/worker/auth/password", json=body)).status_code == 401
    assert (await client.post("/api/worker/auth/password", json=body, headers=headers)).status_code == 204
    assert (await _worker_login(client, NEW_PASSWORD)).status_code == 200
    assert (await _worker_login(client, PASSWORD)).status_code == 401


@pytest.mark.parametrize("round_", range(8))
async def test_complete_reset_racing_log_in_leaves_no_old_password_session(company, round_):
    """A log-in with the old password that races the reset never leaves a live session behind."""
    await service.request_reset(COMPANY_USER, PasswordResetRequest(email=company.email), client="test")
    token = await _reset_token(company.email)
    await UserSession.update({UserSession.revoked_at: utcnow()}, force=True)
    login, reset = await asyncio.gather(
        accounts.log_in(LoginCreate(email=company.email, password=PASSWORD), client="test"),
        service.complete_reset(COMPANY_USER, PasswordResetComplete(token=token, password=NEW_PASSWORD), client="test"),
        return_exceptions=True,
    )
    assert not isinstance(reset, Exception), reset
    live = await UserSession.select(UserSession.token_hash).where(UserSession.revoked_at.is_null())
    assert len(live) == 1  # only the session the reset opened
    if not isinstance(login, Exception):
        with pytest.raises(DomainError):
            await authenticate(login.token)
    else:
        assert getattr(login, "code", "") == "invalid_credentials"


async def test_complete_reset_racing_worker_log_in_leaves_no_old_password_session(client):
    await _worker()
    await service.request_reset(WORKER, PasswordResetRequest(email=WORKER_EMAIL), client="test")
    token = await _reset_token(WORKER_EMAIL)
    from backend.workers.service import log_in_worker
    from shared.invitations import WorkerLogin

    results = await asyncio.gather(
        *[log_in_worker(WorkerLogin(email=WORKER_EMAIL, password=PASSWORD), client="test") for _ in range(3)],
        service.complete_reset(WORKER, PasswordResetComplete(token=token, password=NEW_PASSWORD), client="test"),
        return_exceptions=True,
    )
    assert not isinstance(results[-1], Exception), results[-1]
    assert await WorkerSession.count().where(WorkerSession.revoked_at.is_null()) == 1
