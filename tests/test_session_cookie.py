"""The web app's session cookies: the cookie and ticket helpers, and the /_session routes' refusals."""

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from talent_pool.session_cookie import (
    CLOSE_PATH,
    COMPANY,
    OPEN_PATH,
    TICKET_TTL_SECONDS,
    WORKER,
    cookie_value,
    expired_cookie_header,
    hash_ticket,
    new_ticket,
    open_script,
    same_origin,
    secure_cookies,
    session_cookie_header,
    ticket_is_sealed,
    ticket_key,
    ticket_matches,
)
from talent_pool.session_routes import session_api

KEY = b"k" * 32
CLIENT = "6f1c2a9e-5b7d-4c3e-9a1f-2d8e7b6c5a40"
TOKEN = "0001a2b3c4d5e6_" + "A" * 43
NOW = 1_800_000_000.0
ORIGIN = {"Origin": "http://testserver"}


def test_parse_cookie_value_finds_named_cookie():
    header = f"theme=dark; tp_worker_session=other; tp_session={TOKEN}; x=1"
    assert cookie_value(header, COMPANY.cookie_name) == TOKEN
    assert cookie_value(header, WORKER.cookie_name) == "other"


@pytest.mark.parametrize(
    "header",
    [
        "",
        "tp_session=",
        "tp_session",
        "xtp_session=abc",
        "tp_session=a b",
        'tp_session="<script>"',
        "tp_session=" + "a" * 201,
    ],
)
def test_parse_cookie_value_missing_or_malformed_is_empty(header):
    assert cookie_value(header, COMPANY.cookie_name) == ""


def test_build_session_cookie_http_only_lax_until_session_expiry():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    header = session_cookie_header(COMPANY, TOKEN, now + timedelta(days=14), now=now, secure=False)
    parts = header.split("; ")
    assert parts[0] == f"tp_session={TOKEN}"
    assert "HttpOnly" in parts and "SameSite=Lax" in parts and "Path=/" in parts
    assert f"Max-Age={14 * 24 * 3600}" in parts
    assert "Expires=Mon, 14 Dec 2026 12:00:00 GMT" in parts
    assert "Secure" not in parts


def test_build_session_cookie_secure_in_production(monkeypatch):
    monkeypatch.setenv("TP_ENV", "production")
    assert secure_cookies() is True
    now = datetime(2026, 11, 30, tzinfo=UTC)
    assert session_cookie_header(WORKER, TOKEN, now + timedelta(hours=1), now=now, secure=secure_cookies()).endswith(
        "; Secure"
    )
    monkeypatch.setenv("TP_ENV", "development")
    assert secure_cookies() is False


def test_build_session_cookie_not_a_token_is_refused():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        session_cookie_header(COMPANY, "a;b", now, now=now, secure=False)


def test_build_expired_cookie_removes_it():
    parts = expired_cookie_header(WORKER, secure=True).split("; ")
    assert parts[0] == 'tp_worker_session=""'
    assert "Max-Age=0" in parts and "HttpOnly" in parts and "SameSite=Lax" in parts and "Secure" in parts


def test_seal_ticket_valid_for_its_tab_and_kind():
    ticket, ticket_hash, expires = new_ticket(COMPANY, CLIENT, now=NOW, key=KEY)
    assert expires == NOW + TICKET_TTL_SECONDS
    assert ticket_hash == hash_ticket(ticket) and ticket not in ticket_hash
    assert ticket_is_sealed(ticket, COMPANY, CLIENT, now=NOW + TICKET_TTL_SECONDS, key=KEY)


def test_seal_ticket_other_tab_kind_key_or_tampered_is_refused():
    ticket, _, _ = new_ticket(COMPANY, CLIENT, now=NOW, key=KEY)
    expires, nonce, seal = ticket.split(".")
    assert not ticket_is_sealed(ticket, WORKER, CLIENT, now=NOW, key=KEY)
    assert not ticket_is_sealed(ticket, COMPANY, CLIENT.replace("6", "7"), now=NOW, key=KEY)
    assert not ticket_is_sealed(ticket, COMPANY, CLIENT, now=NOW, key=b"x" * 32)
    assert not ticket_is_sealed(f"{int(expires) + 3600}.{nonce}.{seal}", COMPANY, CLIENT, now=NOW, key=KEY)
    assert not ticket_is_sealed(f"{expires}.{nonce}x.{seal}", COMPANY, CLIENT, now=NOW, key=KEY)


@pytest.mark.parametrize("ticket", ["", "1.2", "x.y.z", "99999999999999.a.b", "1.a.b" + "c" * 200, "1.ä.b", "-1.a.b"])
def test_seal_ticket_malformed_is_refused(ticket):
    assert not ticket_is_sealed(ticket, COMPANY, CLIENT, now=0, key=KEY)


def test_seal_ticket_expired_is_refused():
    ticket, _, _ = new_ticket(WORKER, CLIENT, now=NOW, key=KEY)
    assert not ticket_is_sealed(ticket, WORKER, CLIENT, now=NOW + TICKET_TTL_SECONDS + 1, key=KEY)


def test_match_ticket_only_the_pending_one_in_time():
    ticket, ticket_hash, expires = new_ticket(COMPANY, CLIENT, now=NOW, key=KEY)
    other, _, _ = new_ticket(COMPANY, CLIENT, now=NOW, key=KEY)
    assert ticket_matches(ticket, ticket_hash, expires, now=NOW)
    assert not ticket_matches(other, ticket_hash, expires, now=NOW)
    assert not ticket_matches(ticket, ticket_hash, expires, now=expires + 1)
    # Once used, the state holds no hash: the same ticket matches nothing.
    assert not ticket_matches(ticket, "", 0.0, now=NOW)


def test_derive_ticket_key_from_secret_shared_by_processes(monkeypatch):
    monkeypatch.setenv("TP_SECRET_KEY", "one secret")
    first = ticket_key()
    assert first == ticket_key() and first != b"one secret"
    monkeypatch.setenv("TP_SECRET_KEY", "another secret")
    assert ticket_key() != first


def test_check_origin_same_host_or_frontend_only():
    assert same_origin({"origin": "http://localhost:3000", "host": "localhost:3000"})
    assert same_origin({"origin": "http://localhost:3000", "host": "localhost:8001"}, ("http://localhost:3000/",))
    assert not same_origin({"origin": "https://evil.example", "host": "localhost:3000"})
    assert not same_origin({"origin": "null", "host": "localhost:3000"})
    assert not same_origin({"host": "localhost:3000"})


def test_build_open_script_quotes_values_as_json():
    script = open_script(COMPANY, CLIENT, 'a"b</script>', "http://localhost:8001")
    assert OPEN_PATH in script and json.dumps('a"b</script>') in script
    assert "credentials: 'include'" in script and script.startswith("(() =>")


def _unreachable_app():
    raise AssertionError("a refused request must not touch any state")


@pytest.fixture
async def routes():
    """The /_session routes over ASGI, with no Reflex app behind them."""
    transport = httpx.ASGITransport(app=session_api(_unreachable_app))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def _open(routes, form, headers=ORIGIN):
    return await routes.post(OPEN_PATH, data=form, headers=headers)


async def test_open_session_cross_origin_is_forbidden(routes):
    response = await _open(routes, {"kind": "company"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "cross_origin"
    assert "set-cookie" not in response.headers


async def test_open_session_without_origin_is_forbidden(routes):
    assert (await _open(routes, {"kind": "company"}, headers={})).status_code == 403


async def test_open_session_unknown_kind_is_field_error(routes):
    response = await _open(routes, {"kind": "admin", "client": CLIENT, "ticket": "1.a.b"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_kind"
    assert [error["field"] for error in body["errors"]] == ["kind"]


@pytest.mark.parametrize("body", [b"kind=company&x=" + b"a" * 3000, "kind=compañía".encode(), b"a=1&" * 20])
async def test_open_session_oversized_or_bad_form_is_refused(routes, body):
    response = await routes.post(
        OPEN_PATH, content=body, headers={**ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_form"


async def test_open_session_forged_ticket_is_refused(routes):
    forged, _, _ = new_ticket(COMPANY, CLIENT, now=9_999_999_999.0, key=b"not the key" * 3)
    response = await _open(routes, {"kind": "company", "client": CLIENT, "ticket": forged})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_ticket"
    assert "set-cookie" not in response.headers


async def test_open_session_get_is_not_allowed(routes):
    assert (await routes.get(OPEN_PATH)).status_code == 405


async def test_close_session_without_cookie_expires_it(routes):
    response = await routes.post(CLOSE_PATH, data={"kind": "worker"}, headers=ORIGIN)
    assert response.status_code == 204
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith('tp_worker_session=""') and "Max-Age=0" in set_cookie and "HttpOnly" in set_cookie


async def test_close_session_cross_origin_keeps_cookie(routes):
    response = await routes.post(CLOSE_PATH, data={"kind": "company"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_mount_session_routes_production_without_secret_is_refused(monkeypatch):
    monkeypatch.setenv("TP_ENV", "production")
    monkeypatch.delenv("TP_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="TP_SECRET_KEY"):
        session_api(_unreachable_app)
    monkeypatch.setenv("TP_SECRET_KEY", "a production secret")
    assert session_api(_unreachable_app).routes
