"""The web app's `GET /_ready` for the load balancer: a real Redis and a real BFF, or the 503 naming what is missing."""

import asyncio
import socket
import time

import httpx
import pytest
import reflex as rx
import uvicorn

from backend.app import create_app
from talent_pool.readiness import CHECK_TIMEOUT_SECONDS, READY_PATH, readiness_api
from tests.redis_server import redis_url  # noqa: F401  (the fixture)


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web_config(monkeypatch):
    """The web app's Reflex config; its redis URL is restored after the test."""
    config = rx.config.get_config()
    monkeypatch.setattr(config, "redis_url", None)
    return config


@pytest.fixture
async def bff_url():
    """The real BFF served over HTTP on a free local port."""
    port = _closed_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the BFF did not start"
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def silent_server():
    """A TCP server that accepts connections and never answers, like a hung process."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()


async def _get_ready() -> httpx.Response:
    transport = httpx.ASGITransport(app=readiness_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://web") as web:
        return await web.get(READY_PATH)


async def test_get_ready_redis_and_api_answer_is_200(web_config, redis_url, bff_url, monkeypatch):
    web_config.redis_url = redis_url
    monkeypatch.setenv("TP_API_URL", bff_url)
    response = await _get_ready()
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert response.headers["cache-control"] == "no-store"


async def test_get_ready_without_redis_configured_checks_only_api(web_config, bff_url, monkeypatch):
    monkeypatch.setenv("TP_API_URL", bff_url)
    assert (await _get_ready()).status_code == 200


async def test_get_ready_api_down_is_503_problem(web_config, redis_url, monkeypatch):
    web_config.redis_url = redis_url
    monkeypatch.setenv("TP_API_URL", f"http://127.0.0.1:{_closed_port()}")
    response = await _get_ready()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_ready"
    assert [(error["field"], error["code"]) for error in body["errors"]] == [("api", "unreachable")]


async def test_get_ready_redis_down_is_503_problem(web_config, bff_url, monkeypatch):
    web_config.redis_url = f"redis://127.0.0.1:{_closed_port()}/0"
    monkeypatch.setenv("TP_API_URL", bff_url)
    response = await _get_ready()
    assert response.status_code == 503
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [("redis", "unreachable")]


async def test_get_ready_api_unhealthy_is_503_problem(web_config, bff_url, monkeypatch):
    # A server that answers, but not the BFF's /health (404): not ready either.
    monkeypatch.setenv("TP_API_URL", f"{bff_url}/no-such-prefix")
    response = await _get_ready()
    assert response.status_code == 503
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [("api", "unhealthy")]


async def test_get_ready_hung_redis_and_api_answers_503_within_timeout(web_config, silent_server, monkeypatch):
    web_config.redis_url = f"redis://127.0.0.1:{silent_server}/0"
    monkeypatch.setenv("TP_API_URL", f"http://127.0.0.1:{silent_server}")
    started = time.monotonic()
    response = await _get_ready()
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert {error["field"] for error in response.json()["errors"]} == {"redis", "api"}
    # Both checks run side by side, each cut off after its own timeout.
    assert CHECK_TIMEOUT_SECONDS <= elapsed < 2 * CHECK_TIMEOUT_SECONDS


async def test_get_ready_invalid_redis_url_is_503_problem(web_config, bff_url, monkeypatch):
    web_config.redis_url = "redis://:not-a-port:x/0"
    monkeypatch.setenv("TP_API_URL", bff_url)
    response = await _get_ready()
    assert response.status_code == 503
    assert [error["field"] for error in response.json()["errors"]] == ["redis"]


@pytest.mark.parametrize("api_url", ["not a url", "ftp://127.0.0.1:1", "http://[::1"])
async def test_get_ready_invalid_api_url_is_503_problem(web_config, monkeypatch, api_url):
    monkeypatch.setenv("TP_API_URL", api_url)
    response = await _get_ready()
    assert response.status_code == 503
    assert [error["field"] for error in response.json()["errors"]] == ["api"]


async def test_post_ready_is_not_allowed(web_config, monkeypatch):
    monkeypatch.setenv("TP_API_URL", f"http://127.0.0.1:{_closed_port()}")
    transport = httpx.ASGITransport(app=readiness_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://web") as web:
        assert (await web.post(READY_PATH)).status_code == 405
        assert (await web.head(READY_PATH)).status_code == 503
