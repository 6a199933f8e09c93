"""Rate limits: counters per client, account and action in the database, shared by all replicas."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from backend.errors import RateLimited
from backend.ratelimit_tables import RateLimitWindow
from backend.settings import get_settings

_KEY_MAX = 200


def _too_many(window_start: int, window: int, now: float) -> RateLimited:
    retry_after = max(1, int(window_start + window - now) + 1)
    return RateLimited(detail=f"Too many attempts. Try again in {retry_after} seconds.", retry_after=retry_after)


async def _count(key: str, window_start: int) -> int:
    rows = await RateLimitWindow.raw(
        "INSERT INTO rate_limit_window (key, window_start, hits) VALUES ({}, {}, 1) "
        "ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_window.hits + 1 RETURNING hits",
        key[:_KEY_MAX],
        window_start,
    )
    return rows[0]["hits"]


async def limit(client: str, action: str) -> None:
    """Count one request of this client (its address) for a public page's `action` (TP_PUBLIC_RATE_*); over → RateLimited."""
    settings = get_settings()
    window = settings.public_rate_window_seconds
    now = time.time()
    window_start = int(now // window) * window
    if await _count(f"{action}:{client}", window_start) > settings.public_rate_limit:
        raise _too_many(window_start, window, now)


def account_key(account: str) -> str:
    """How an account (an email, a token) is named in the counters: a digest, not the value itself."""
    return hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]


@dataclass
class Attempt:
    """Counted hits of one attempt; `forgive` takes them back (a log-in that succeeded)."""

    window_start: int
    keys: list[str] = field(default_factory=list)

    async def forgive(self) -> None:
        """Uncount this attempt, so only failed ones use up the limit."""
        for key in self.keys:
            await RateLimitWindow.raw(
                "UPDATE rate_limit_window SET hits = hits - 1 WHERE key = {} AND window_start = {} AND hits > 0",
                key,
                self.window_start,
            )


async def throttle(
    action: str, client: str, account: str | None = None, *, account_limit: int | None = None
) -> Attempt:
    """Count one attempt at an account action (log-in, sign-up, reset, invitation) per client and per account.

    Over TP_AUTH_CLIENT_LIMIT for the client or the account's limit (TP_AUTH_ACCOUNT_LIMIT unless given)
    in the TP_AUTH_RATE_WINDOW_SECONDS window → RateLimited (429 with Retry-After).
    """
    settings = get_settings()
    window = settings.auth_rate_window_seconds
    now = time.time()
    attempt = Attempt(window_start=int(now // window) * window)
    checks = [(f"{action}:client:{client}"[:_KEY_MAX], settings.auth_client_limit)]
    if account is not None:
        checks.append((f"{action}:account:{account_key(account)}", account_limit or settings.auth_account_limit))
    for key, allowed in checks:
        attempt.keys.append(key)
        if await _count(key, attempt.window_start) > allowed:
            raise _too_many(attempt.window_start, window, now)
    return attempt


async def forget_old_windows() -> None:
    """Drop counters of windows that ended (run by the periodic sweep)."""
    settings = get_settings()
    longest = max(settings.public_rate_window_seconds, settings.auth_rate_window_seconds)
    await RateLimitWindow.delete().where(RateLimitWindow.window_start < int(time.time()) - 2 * longest)
