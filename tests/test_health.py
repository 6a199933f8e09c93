"""Liveness and readiness for the load balancer: /health, /ready and the shutting-down answer."""

from __future__ import annotations

import pytest

from backend import health
from backend.errors import NotReady
from backend.problems import status_of


async def test_get_health_answers_ok(client):
    response = await client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_get_ready_answers_ok_when_database_answers(client):
    response = await client.get("/ready")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


async def test_get_ready_while_shutting_down_answers_503_not_ready(client, monkeypatch):
    monkeypatch.setattr(health, "_shutting_down", False)
    health.begin_shutdown()
    assert health.is_shutting_down()
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_ready"
    # Still alive: requests in flight finish, and liveness says so.
    assert (await client.get("/health")).status_code == 200


async def test_check_ready_database_too_slow_raises_not_ready():
    with pytest.raises(NotReady) as raised:
        await health.check_ready(timeout=0)
    assert status_of(raised.value) == 503 and raised.value.code == "not_ready"


async def test_get_ready_many_times_is_not_rate_limited(client, set_env):
    set_env(TP_PUBLIC_RATE_LIMIT="2", TP_AUTH_CLIENT_LIMIT="2")
    for _ in range(10):
        assert (await client.get("/ready")).status_code == 200
        assert (await client.get("/health")).status_code == 200


async def test_get_schema_leaves_out_health_and_ready(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert "/health" not in paths and "/ready" not in paths
