"""Rate limits for public endpoints: a counter per client and action in the database, shared by all replicas."""

from __future__ import annotations

import time

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from backend.auth import bearer_token, needs_session
from backend.errors import RateLimited
from backend.links.tables import RateLimitWindow
from backend.settings import get_settings


def client_address(request: ASGIConnection) -> str:
    """The person's address: the peer, or what a trusted proxy (the web app) forwards for them."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and peer in get_settings().trusted_proxies:
        return forwarded.split(",")[-1].strip()[:100] or peer
    return peer


async def limit(request: ASGIConnection, action: str) -> None:
    """Count one request of this client for `action`; over the limit in the window → 429 with Retry-After."""
    settings = get_settings()
    window = settings.public_rate_window_seconds
    now = time.time()
    window_start = int(now // window) * window
    rows = await RateLimitWindow.raw(
        "INSERT INTO rate_limit_window (key, window_start, hits) VALUES ({}, {}, 1) "
        "ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_window.hits + 1 RETURNING hits",
        f"{action}:{client_address(request)}"[:200],
        window_start,
    )
    if rows[0]["hits"] > settings.public_rate_limit:
        retry_after = max(1, int(window_start + window - now) + 1)
        raise RateLimited(
            detail=f"Too many attempts. Try again in {retry_after} seconds.", headers={"Retry-After": str(retry_after)}
        )


def rate_limited(action: str) -> Guard:
    """A route guard counting each request against `action`'s limit (see `limit`); the OpenAPI schema documents its 429."""

    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        # A session route without a token answers 401 whatever the count; only attempts that could act are counted.
        if needs_session(handler) and bearer_token(connection) is None:
            return
        await limit(connection, action)

    guard.rate_limit_action = action  # type: ignore[attr-defined]
    return guard


async def forget_old_windows() -> None:
    """Drop counters of windows that ended (run by the periodic sweep)."""
    cutoff = int(time.time()) - 2 * get_settings().public_rate_window_seconds
    await RateLimitWindow.delete().where(RateLimitWindow.window_start < cutoff)
