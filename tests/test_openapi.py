"""The BFF's OpenAPI schema documents each route's problems, the bearer scheme and the id bounds."""

from __future__ import annotations

import pytest

from shared.fields import ID_MAX

PROBLEM_REF = "#/components/schemas/Problem"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
async def schema(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


async def test_get_openapi_every_error_is_a_documented_problem(schema):
    for path, method, operation in operations(schema):
        errors = {
            status: response for status, response in operation["responses"].items() if status.startswith(("4", "5"))
        }
        assert errors or (method, path) == ("get", "/api/imports/template.csv"), (method, path)
        for status, response in errors.items():
            content = response["content"]
            assert list(content) == ["application/problem+json"], (method, path, status)
            assert content["application/problem+json"]["schema"] == {"$ref": PROBLEM_REF}, (method, path, status)
            assert response["description"], (method, path, status)
    problem = schema["components"]["schemas"]["Problem"]
    assert {"title", "status", "code"} <= set(problem["required"])
    assert "errors" in problem["properties"]


async def test_get_openapi_session_routes_need_bearer_and_document_401(schema):
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    secured = {(method, path) for path, method, operation in operations(schema) if operation.get("security")}
    public = {(method, path) for path, method, operation in operations(schema) if not operation.get("security")}
    for path, method, operation in operations(schema):
        if (method, path) in secured:
            assert operation["security"] == [{"bearer": []}]
            assert "401" in operation["responses"], (method, path)
    assert ("get", "/api/contacts") in secured
    assert ("get", "/api/worker/offers") in secured
    assert ("post", "/api/public/links/{token}/apply") in secured
    assert {("post", "/api/auth/login"), ("post", "/api/auth/signup"), ("get", "/api/public/links/{token}")} <= public


async def test_get_openapi_documents_statuses_from_params_and_guards(schema):
    paths = schema["paths"]
    assert set(paths["/api/contacts/{contact_id}"]["get"]["responses"]) == {"200", "400", "401", "404", "422"}
    assert set(paths["/api/auth/me"]["get"]["responses"]) == {"200", "401"}
    assert {"409", "413", "422"} <= set(paths["/api/contacts"]["post"]["responses"])
    assert "410" in paths["/api/public/invitations/{token}"]["get"]["responses"]
    for path in ("/api/public/links/{token}", "/api/public/links/{token}/signup", "/api/public/confirm-email/{token}"):
        for operation in paths[path].values():
            assert "429" in operation["responses"], path
    assert "429" not in paths["/api/contacts"]["get"]["responses"]


async def test_get_openapi_ids_bounded(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                assert parameter["schema"]["minimum"] == 1, (method, path)
                assert parameter["schema"]["maximum"] == ID_MAX, (method, path)
    ids = schema["components"]["schemas"]["ContactIds"]["properties"]["ids"]
    assert ids["items"] == {"type": "integer", "minimum": 1, "maximum": ID_MAX}


async def test_options_contacts_lists_every_method(client, company):
    for path, methods in (("/api/contacts", "GET, OPTIONS, POST"), ("/api/contacts/1", "DELETE, GET, OPTIONS, PATCH")):
        response = await client.options(path)
        assert response.status_code == 204
        assert response.headers["allow"] == methods
