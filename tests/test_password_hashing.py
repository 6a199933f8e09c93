"""Password hashing runs off the event loop: the loop keeps turning while several hashes are checked."""

import asyncio
import time

from backend.security import hash_password, hash_password_off_loop, password_matches, verify_password_off_loop

PASSWORD = "correct-horse-battery"


async def test_verify_password_off_loop_keeps_event_loop_turning():
    stored = hash_password(PASSWORD)
    started = time.perf_counter()
    password_matches(stored, PASSWORD)
    one_check = time.perf_counter() - started
    checks = [asyncio.create_task(verify_password_off_loop(stored, PASSWORD)) for _ in range(6)]
    longest_gap = 0.0
    while not all(check.done() for check in checks):
        tick = time.perf_counter()
        await asyncio.sleep(0.002)
        longest_gap = max(longest_gap, time.perf_counter() - tick)
    assert [check.result() for check in checks] == [True] * 6
    # Checked on the loop, each would hold it for a whole check; off the loop it turns far more often.
    assert longest_gap < max(0.05, one_check / 2), (longest_gap, one_check)


async def test_hash_password_off_loop_matches_and_unknown_account_fails():
    stored = await hash_password_off_loop(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert await verify_password_off_loop(stored, PASSWORD)
    assert not await verify_password_off_loop(stored, "another-password-1")
    assert not await verify_password_off_loop(None, PASSWORD)
    assert not await verify_password_off_loop("not-a-hash", PASSWORD)
