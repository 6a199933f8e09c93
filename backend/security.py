"""Passwords and opaque tokens: argon2 hashes, 256-bit random tokens stored as SHA-256."""

import asyncio
import base64
import contextlib
import functools
import hashlib
import os
import secrets
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.settings import get_settings

# TP_PASSWORD_HASH_COST picks the parameters of new hashes: "standard" (argon2-cffi's defaults,
# RFC 9106's low-memory choice: t=3, m=64 MiB, p=4) or "low" (t=1, m=8 MiB, p=1), for test suites
# only. A hash carries its own parameters, so either setting verifies hashes made with the other.
_HASHERS = {
    "standard": PasswordHasher(),
    "low": PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
}
TOKEN_MAX_LENGTH = 200
HASHING_NICENESS = 10


def _hasher() -> PasswordHasher:
    return _HASHERS[get_settings().password_hash_cost]


@functools.cache
def _dummy_hash(cost: str) -> str:
    """Verified against when an account is unknown, so both paths cost the same."""
    return _HASHERS[cost].hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of the password, with the parameters TP_PASSWORD_HASH_COST selects."""
    return _hasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; costs the same when there is no account."""
    stored = password_hash or _dummy_hash(get_settings().password_hash_cost)
    try:
        return _hasher().verify(stored, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _lower_priority() -> None:
    """On Linux, where niceness is per thread: hash below the event loop's priority, so it answers first."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


@functools.cache
def _hashing_pool() -> ThreadPoolExecutor:
    """The bounded pool argon2 runs in (it releases the GIL), so the event loop keeps serving meanwhile."""
    return ThreadPoolExecutor(
        max_workers=get_settings().password_hash_workers,
        thread_name_prefix="password-hash",
        initializer=_lower_priority,
    )


async def hash_password_off_loop(password: str) -> str:
    """`hash_password` in the hashing pool."""
    return await asyncio.get_running_loop().run_in_executor(_hashing_pool(), hash_password, password)


async def verify_password_off_loop(password_hash: str | None, password: str) -> bool:
    """`password_matches` in the hashing pool."""
    return await asyncio.get_running_loop().run_in_executor(_hashing_pool(), password_matches, password_hash, password)


# A token starts with a 14-hex-digit counter (microseconds, strictly increasing in a process), then
# "_" and 256 random bits. The stored hash keeps the counter in front of 200 bits of the SHA-256, so
# new hashes land at the end of their unique index instead of at random pages: bulk invitations
# write their index in order. Any other string (a mistyped or forged token) hashes to the plain SHA-256,
# so it can never match a stored hash by its prefix alone.
_PREFIX_DIGITS = 14
_ORDERED_LENGTH = _PREFIX_DIGITS + 1 + 43
_last_prefix = 0


def _next_prefix() -> str:
    global _last_prefix
    _last_prefix = max(_last_prefix + 1, time.time_ns() // 1000)
    return f"{_last_prefix:0{_PREFIX_DIGITS}x}"


def hash_token(token: str) -> str:
    """The stored form of an opaque token (64 characters)."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    if len(token) == _ORDERED_LENGTH and token[_PREFIX_DIGITS] == "_":
        return token[:_PREFIX_DIGITS] + digest[: 64 - _PREFIX_DIGITS]
    return digest


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token with 256 random bits, and its hash."""
    token = f"{_next_prefix()}_{secrets.token_urlsafe(32)}"
    return token, hash_token(token)


def new_tokens(count: int) -> list[tuple[str, str]]:
    """`count` fresh tokens and their hashes (one read of the system's random source for all)."""
    global _last_prefix
    first = max(_last_prefix + 1, time.time_ns() // 1000)
    _last_prefix = first + count - 1
    secrets_text = base64.urlsafe_b64encode(secrets.token_bytes(33 * count)).decode()
    sha256 = hashlib.sha256
    tokens = []
    for index in range(count):
        prefix = f"{first + index:0{_PREFIX_DIGITS}x}"
        token = f"{prefix}_{secrets_text[44 * index : 44 * index + 43]}"
        # hash_token's ordered form, inlined: this runs for every row of a bulk import.
        tokens.append((token, prefix + sha256(token.encode()).hexdigest()[: 64 - _PREFIX_DIGITS]))
    return tokens


def plausible_token(token: str | None) -> TypeGuard[str]:
    """Cheap shape check before any lookup: present, not absurdly long, URL-safe characters."""
    return token is not None and 0 < len(token) <= TOKEN_MAX_LENGTH and all(c.isalnum() or c in "-_" for c in token)
