"""`GET /_ready` for the load balancer: a web app process is ready when its Redis and the BFF answer.

Redis is checked only when Reflex keeps its states there (REFLEX_REDIS_URL); the BFF through its `/health`
(TP_API_URL). Each check has its own short timeout and they run side by side, so an answer comes in about
`CHECK_TIMEOUT_SECONDS` at worst.
"""

from __future__ import annotations

import asyncio

import httpx
import msgspec
import reflex as rx
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.problems import FieldError, Problem

from .api import api_base_url

READY_PATH = "/_ready"
CHECK_TIMEOUT_SECONDS = 2.0


async def redis_problem(redis_url: str | None) -> FieldError | None:
    """Why Redis is not usable (None when it answers a PING, or when no Redis is configured)."""
    if not redis_url:
        return None
    try:
        client = Redis.from_url(
            redis_url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
    except ValueError:
        return FieldError(field="redis", message="The Redis URL is not valid", code="invalid_url")
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await client.ping()
    except (RedisError, OSError, TimeoutError, ValueError):
        return FieldError(field="redis", message="Redis did not answer", code="unreachable")
    finally:
        await client.aclose()
    return None


async def api_problem(api_url: str) -> FieldError | None:
    """Why the BFF is not usable (None when its /health answers 200)."""
    try:
        # httpx's timeout is per phase (connect, read, ...): the outer one bounds the whole call.
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as http:
            response = await http.get(f"{api_url}/health")
    except httpx.InvalidURL:
        return FieldError(field="api", message="TP_API_URL is not a valid URL", code="invalid_url")
    except (httpx.HTTPError, TimeoutError):
        return FieldError(field="api", message="The API did not answer", code="unreachable")
    if response.status_code != 200:
        return FieldError(field="api", message=f"The API answered {response.status_code}", code="unhealthy")
    return None


async def readiness_problems(redis_url: str | None, api_url: str) -> list[FieldError]:
    """Every reason this process cannot serve users now (empty when it can)."""
    found = await asyncio.gather(redis_problem(redis_url), api_problem(api_url))
    return [problem for problem in found if problem is not None]


async def ready(_request: Request) -> Response:
    """200 when Redis (if configured) and the BFF answer, else a 503 problem naming what did not."""
    problems = await readiness_problems(rx.config.get_config().redis_url, api_base_url())
    headers = {"Cache-Control": "no-store"}
    if not problems:
        return Response(b'{"status":"ready"}', media_type="application/json", headers=headers)
    problem = Problem(title="Not ready", status=503, code="not_ready", errors=problems)
    return Response(
        msgspec.json.encode(problem), status_code=503, media_type="application/problem+json", headers=headers
    )


def readiness_api() -> Starlette:
    """The readiness route, to mount on the Reflex backend with `rx.App(api_transformer=...)`."""
    return Starlette(routes=[Route(READY_PATH, ready, methods=["GET"])])
