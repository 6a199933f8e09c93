"""Input a fuzzer or an attacker sends gets a 4xx problem with a clear code, never a 500, and changes nothing."""

from __future__ import annotations

import pytest

from backend.contacts.tables import Contact
from backend.imports import csv_parser
from backend.imports.tables import CsvImport
from backend.validation import text_problem
from tests.factories import PASSWORD, make_contact

PROBLEM = "application/problem+json"
TOO_BIG_ID = 2**31


def assert_problem(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is an RFC 9457 problem with this status and code (and an error on `field`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    if field is None:
        assert problem["code"] == code, problem
    else:
        assert any(error["field"] == field and error["code"] == code for error in problem["errors"]), problem
    return problem


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/contacts/{id}"),
        ("PATCH", "/api/contacts/{id}"),
        ("DELETE", "/api/contacts/{id}"),
        ("GET", "/api/contacts/{id}/history"),
        ("GET", "/api/contacts/1/files/{id}"),
        ("POST", "/api/contacts/{id}/invitation/resend"),
        ("GET", "/api/contacts/{id}/offers"),
        ("POST", "/api/offers/{id}/withdraw"),
        ("POST", "/api/links/{id}/revoke"),
        ("GET", "/api/imports/{id}"),
        ("GET", "/api/imports/{id}/rows"),
    ],
)
@pytest.mark.parametrize("big", [TOO_BIG_ID, 10**30])
async def test_request_path_id_too_large_refused(client, company, method, path, big):
    response = await client.request(method, path.format(id=big), json={}, headers=company.headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"][0]["field"].endswith("_id")
    assert problem["errors"][0]["code"] == "out_of_range"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/contacts/bulk-delete", {"ids": [TOO_BIG_ID]}, "ids"),
        ("/api/invitations/resend", {"ids": [1, 10**30]}, "ids"),
        ("/api/applicants/approve", {"ids": [0]}, "ids"),
        ("/api/links", {"label": "Big", "max_signups": TOO_BIG_ID}, "max_signups"),
    ],
)
async def test_send_body_id_out_of_range_refused(client, company, path, body, field):
    contact = await make_contact(company)
    response = await client.post(path, json=body, headers=company.headers)
    assert_problem(response, 422, "out_of_range", field)
    assert await Contact.count().where(Contact.id == contact.id) == 1


async def test_select_import_line_too_large_refused(client, company):
    upload = await client.post("/api/imports", content=b"Name,Email\nAda,ada@example.com\n", headers=company.headers)
    response = await client.post(
        f"/api/imports/{upload.json()['id']}/selection", json={"deselect": [TOO_BIG_ID]}, headers=company.headers
    )
    assert_problem(response, 422, "out_of_range", "deselect")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/contacts", {"q": "ada\x00"}, "q"),
        ("/api/contacts", {"tag": ["python", "py\x00thon"]}, "tag"),
        ("/api/tags", {"q": "\x00"}, "q"),
    ],
)
async def test_search_with_nul_refused(client, company, path, params, field):
    await make_contact(company, tags=["python"])
    response = await client.get(path, params=params, headers=company.headers)
    assert_problem(response, 422, "invalid_characters", field)


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/worker/auth/login"])
async def test_log_in_email_with_nul_refused(client, company, path):
    response = await client.post(path, json={"email": company.email + "\x00", "password": PASSWORD})
    assert_problem(response, 422, "invalid_characters", "email")


async def test_create_contact_fields_with_nul_refused(client, company):
    body = {"name": "Ada", "email": "ada@example.com", "tags": ["ok", "n\x00l"], "notes": "a\x00b"}
    response = await client.post("/api/contacts", json=body, headers=company.headers)
    assert_problem(response, 422, "invalid_characters", "tags")
    assert await Contact.count() == 0


@pytest.mark.parametrize("body", [b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000])
async def test_send_deeply_nested_json_refused(client, company, body):
    response = await client.post(
        "/api/contacts", content=body, headers={**company.headers, "content-type": "application/json"}
    )
    assert_problem(response, 400, "malformed_request")
    assert await Contact.count() == 0


@pytest.mark.parametrize("body", [b'{"email": "\xff\xfe", "password": "x"}', b"\xc3\x28", b'{"name": "\xed\xa0\x80"}'])
async def test_send_invalid_utf8_json_refused(client, company, body):
    response = await client.post("/api/auth/login", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 400, "malformed_request")


async def test_send_json_not_json_refused(client, company):
    response = await client.post(
        "/api/contacts", content=b'{"name": ', headers={**company.headers, "content-type": "application/json"}
    )
    problem = assert_problem(response, 400, "malformed_request")
    assert problem["detail"].startswith("The body is not valid JSON")


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/contacts", "/api/contacts/bulk-delete"])
async def test_send_empty_body_refused_with_field(client, company, path):
    response = await client.post(path, headers={**company.headers, "content-type": "application/json"})
    problem = assert_problem(response, 422, "required", "body")
    assert problem["errors"][0]["message"] == "The request needs a JSON body."


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\ufeff\u200b\u200c", "\u202e", " \u2066\u2069 ", "Ada\u202eecalvoL", "\u3164", "\u200b \u200b"],
)
async def test_create_contact_invisible_or_bidi_name_refused(client, company, name):
    response = await client.post(
        "/api/contacts", json={"name": name, "email": "x@example.com"}, headers=company.headers
    )
    assert_problem(response, 422, "invalid_characters", "name")
    assert await Contact.count() == 0


@pytest.mark.parametrize("tag", ["\u200b", "\ufeff", "py\u202ethon", "\u2067rtl"])
async def test_create_contact_invisible_or_bidi_tag_refused(client, company, tag):
    body = {"name": "Ada", "email": "x@example.com", "tags": ["python", tag]}
    response = await client.post("/api/contacts", json=body, headers=company.headers)
    assert_problem(response, 422, "invalid_characters", "tags")
    assert await Contact.count() == 0


async def test_sign_up_invisible_company_name_refused(client):
    body = {"company_name": "\u200b\ufeff", "name": "Ada", "email": "ada@example.com", "password": PASSWORD}
    response = await client.post("/api/auth/signup", json=body)
    assert_problem(response, 422, "invalid_characters", "company_name")


@pytest.mark.parametrize("name", ["Zoë Ørsted", "أحمد", "王小明", "Anna\u200dMaria", "Ada 👩\u200d💻"])
async def test_create_contact_visible_unicode_name_accepted(client, company, name):
    response = await client.post(
        "/api/contacts", json={"name": name, "email": "x@example.com"}, headers=company.headers
    )
    assert response.status_code == 201, response.text
    assert text_problem(name) is None


async def test_upload_csv_invisible_names_and_tags_get_verdicts(client, company):
    data = (
        "Name,Email,Tags\n"
        "\u200b,zw@example.com,\n"
        "\ufeff,bom@example.com,\n"
        "Ada\u202eecalvoL,bidi@example.com,\n"
        "Tagged,tag@example.com,python;\u200b\n"
        "Bidi tag,bidi.tag@example.com,\u202epython\n"
        "Fine,fine@example.com,python\n"
    ).encode()
    upload = await client.post("/api/imports", content=data, headers=company.headers)
    assert upload.status_code == 201, upload.text
    rows = (await client.get(f"/api/imports/{upload.json()['id']}/rows", headers=company.headers)).json()["rows"]
    verdicts = {row["email"]: row["verdict"] for row in rows}
    assert verdicts == {
        "zw@example.com": "invalid_name",
        "bom@example.com": "invalid_name",
        "bidi@example.com": "invalid_name",
        "tag@example.com": "invalid_tags",
        "bidi.tag@example.com": "invalid_tags",
        "fine@example.com": "new",
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Name,Email\n" + b"A" * 200_000 + b",a@example.com\n", "cell_too_long"),
        (b"Name,Email\n" + b"x," * (10 * 1024 * 1024 - 10), "line_too_long"),
        (b"Email" + b",c" * 1_000_000 + b"\na@example.com\n", "line_too_long"),
        (b"Email" + b",c" * 1_000 + b"\na@example.com\n", "too_many_columns"),
        (b"Name,Email\nAda,ada@example.com\n" + b"Bo,bo@example.com" + b",x" * 1_000 + b"\n", "too_many_columns"),
        (b'Name,Email\nAda,ada@example.com\n"Bob,bob@example.com\nCarl,carl@example.com\n', "unterminated_quote"),
        (
            b'Name,Email\nAda,ada@example.com\n"Bob,bob@example.com\n' + b"Carl,carl@example.com\n" * 7_000,
            "cell_too_long",
        ),
    ],
    ids=[
        "cell-200KB",
        "line-20MB",
        "million-columns",
        "1001-header-columns",
        "1001-row-columns",
        "open-quote",
        "open-quote-long",
    ],
)
async def test_upload_csv_over_limits_refused(client, company, data, code):
    response = await client.post("/api/imports", content=data, headers=company.headers)
    problem = assert_problem(response, 422, code, "file")
    assert problem["detail"]
    assert await CsvImport.count() == 0


async def test_upload_csv_closed_quote_at_end_accepted(client, company):
    data = b'Name,Email,Tags\nAda,ada@example.com,"math\nengines"\n'
    response = await client.post("/api/imports", content=data, headers=company.headers)
    assert response.status_code == 201, response.text


async def test_upload_csv_too_many_rows_refused(client, company, monkeypatch):
    monkeypatch.setattr(csv_parser, "MAX_ROWS", 100)
    rows = b"".join(b"P%d,p%d@example.com\n" % (i, i) for i in range(101))
    response = await client.post("/api/imports", content=b"Name,Email\n" + rows, headers=company.headers)
    assert_problem(response, 422, "too_many_rows", "file")
    exactly = await client.post(
        "/api/imports", content=b"Name,Email\n" + rows[: rows.index(b"P100,")], headers=company.headers
    )
    assert exactly.status_code == 201, exactly.text
    assert exactly.json()["total_rows"] == 100


async def test_create_link_expiry_without_offset_refused(client, company):
    body = {"label": "Spring", "expires_at": "2030-01-01T00:00:00"}
    response = await client.post("/api/links", json=body, headers=company.headers)
    assert_problem(response, 422, "invalid", "expires_at")
    with_offset = await client.post(
        "/api/links", json={**body, "expires_at": "2030-01-01T00:00:00+01:00"}, headers=company.headers
    )
    assert with_offset.status_code == 201, with_offset.text


async def test_invite_form_deeply_nested_part_refused(client, company):
    files = {"invite": (None, "[" * 10_000 + "]" * 10_000, "application/json")}
    response = await client.post("/api/invitations/form", files=files, headers=company.headers)
    assert_problem(response, 422, "invalid", "invite")
    assert await Contact.count() == 0
