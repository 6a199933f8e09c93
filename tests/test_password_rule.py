"""One password rule at every entry point: common passwords are refused beside the field."""

import re

import pytest

from backend.accounts.tables import CompanyUser
from backend.email.tables import OutboxEmail
from backend.errors import FieldErrors
from backend.validation import check_password
from backend.workers.tables import Worker

COMMON = ["password12", "Password12", "1234567890", "qwertyuiop", "iloveyou12"]


@pytest.mark.parametrize("password", COMMON)
def test_check_password_common_refused(password):
    errors = FieldErrors()
    check_password(password, errors)
    assert [error.code for error in errors.errors] in (["too_common"], ["too_short"])


@pytest.mark.parametrize("password", ["correct-horse-battery", "a-long-secret-1", "Tr0ub4dor&3-extra"])
def test_check_password_uncommon_accepted(password):
    errors = FieldErrors()
    check_password(password, errors)
    assert errors.errors == []


async def test_signup_common_password_refused(client):
    body = {"company_name": "Acme", "name": "Ada", "email": "ada@acme.example", "password": "password12"}
    response = await client.post("/api/auth/signup", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password" and response.json()["errors"][0]["code"] == "too_common"
    assert await CompanyUser.count() == 0


async def test_invitation_accept_common_password_refused(client, company):
    await client.post("/api/invitations", json={"name": "Grace", "email": "grace@example.com"}, headers=company.headers)
    row = await OutboxEmail.select().where(OutboxEmail.to_email == "grace@example.com").first()
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", row["text_body"]).group(1)
    response = await client.post(
        f"/api/public/invitations/{token}/accept", json={"name": "Grace", "password": "password12"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "too_common"
    assert await Worker.count() == 0


async def test_link_signup_common_password_refused(client, company):
    link = (await client.post("/api/links", json={"label": "Signature"}, headers=company.headers)).json()
    token = link["url"].rsplit("/join/", 1)[1]
    body = {"name": "Alex", "email": "alex@example.com", "password": "password12"}
    response = await client.post(f"/api/public/links/{token}/signup", json=body)
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "too_common"
    assert await Worker.count() == 0
