"""JSON routes accept only JSON bodies: text/plain and form posts from foreign pages get 415."""

import json

import pytest

from backend.accounts.tables import CompanyUser
from backend.contacts.tables import Contact

SIGNUP = {"company_name": "Acme Ltd", "name": "Ada Owner", "email": "ada@acme.example", "password": "a-long-secret-1"}


def _assert_unsupported(response) -> None:
    assert response.status_code == 415, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""]
)
async def test_signup_non_json_body_unsupported(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/auth/signup", content=json.dumps(SIGNUP), headers=headers)
    _assert_unsupported(response)
    assert await CompanyUser.count() == 0


async def test_signup_form_data_unsupported(client):
    _assert_unsupported(await client.post("/api/auth/signup", data=SIGNUP))
    _assert_unsupported(await client.post("/api/auth/login", files={"email": (None, "a@b.example")}))
    assert await CompanyUser.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/public/invitations/some-token/accept",
        "/api/public/links/some-token/signup",
        "/api/auth/password-reset",
        "/api/worker/auth/password-reset",
        "/api/worker/auth/login",
    ],
)
async def test_public_json_routes_text_plain_unsupported(client, path):
    _assert_unsupported(
        await client.post(path, content='{"email": "a@b.example"}', headers={"Content-Type": "text/plain"})
    )


async def test_signed_in_json_route_text_plain_unsupported(client, company):
    headers = {**company.headers, "Content-Type": "text/plain"}
    _assert_unsupported(
        await client.post("/api/contacts", content=json.dumps({"name": "A", "email": "a@b.example"}), headers=headers)
    )
    assert await Contact.count() == 0


async def test_json_with_charset_accepted(client):
    response = await client.post(
        "/api/auth/signup", content=json.dumps(SIGNUP), headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 201


async def test_routes_without_json_body_unaffected(client, company):
    assert (
        await client.post("/api/auth/logout", headers={**company.headers, "Content-Type": "text/plain"})
    ).status_code == 204


async def test_signup_without_body_required_not_unsupported(client):
    response = await client.post("/api/auth/signup")
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("body", "required")]
    assert await CompanyUser.count() == 0


def test_openapi_json_routes_document_unsupported_media_type():
    from backend.app import create_app

    paths = create_app().openapi_schema.to_schema()["paths"]
    assert "415" in paths["/api/auth/signup"]["post"]["responses"]
    assert "415" not in paths["/api/auth/logout"]["post"]["responses"]
    assert "410" in paths["/api/auth/password-reset/complete"]["post"]["responses"]
    assert "403" in paths["/api/worker/offers/{offer_id}/accept"]["post"]["responses"]
