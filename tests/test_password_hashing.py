"""Password hashing: argon2id with the parameters TP_PASSWORD_HASH_COST selects, run off the event loop."""

import asyncio
import time

import pytest
from argon2 import extract_parameters

from backend.security import hash_password, hash_password_off_loop, password_matches, verify_password_off_loop

PASSWORD = "correct-horse-battery"


async def test_verify_password_off_loop_keeps_event_loop_turning(set_env):
    set_env(TP_PASSWORD_HASH_COST="standard")  # the cost a real log-in pays
    stored = hash_password(PASSWORD)
    started = time.perf_counter()
    password_matches(stored, PASSWORD)
    one_check = time.perf_counter() - started
    checks = [asyncio.create_task(verify_password_off_loop(stored, PASSWORD)) for _ in range(6)]
    longest_gap, turns = 0.0, 0
    while not all(check.done() for check in checks):
        tick = time.perf_counter()
        await asyncio.sleep(0.002)
        longest_gap = max(longest_gap, time.perf_counter() - tick)
        turns += 1
    assert [check.result() for check in checks] == [True] * 6
    # Checked on the loop, each check would hold it for a whole check (a gap of at least `one_check`,
    # and about one turn per check); off the loop it turns many times while the checks run. The
    # margins leave room for a busy machine, where the operating system also pauses the loop.
    assert longest_gap < max(0.05, 0.8 * one_check), (longest_gap, one_check)
    assert turns > 3 * len(checks), turns


async def test_hash_password_off_loop_matches_and_unknown_account_fails():
    stored = await hash_password_off_loop(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert await verify_password_off_loop(stored, PASSWORD)
    assert not await verify_password_off_loop(stored, "another-password-1")
    assert not await verify_password_off_loop(None, PASSWORD)
    assert not await verify_password_off_loop("not-a-hash", PASSWORD)


def test_hash_password_standard_cost_uses_standard_parameters(set_env):
    set_env(TP_PASSWORD_HASH_COST="standard")
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    parameters = extract_parameters(stored)
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (64 * 1024, 3, 4)
    assert password_matches(stored, PASSWORD)


def test_hash_password_low_cost_uses_low_parameters(set_env):
    set_env(TP_PASSWORD_HASH_COST="low")
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    parameters = extract_parameters(stored)
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (8 * 1024, 1, 1)
    assert password_matches(stored, PASSWORD)


def test_verify_password_either_cost_accepts_hashes_of_the_other(set_env):
    set_env(TP_PASSWORD_HASH_COST="standard")
    standard = hash_password(PASSWORD)
    set_env(TP_PASSWORD_HASH_COST="low")
    low = hash_password(PASSWORD)
    assert password_matches(standard, PASSWORD) and not password_matches(standard, "another-password-1")
    set_env(TP_PASSWORD_HASH_COST="standard")
    assert password_matches(low, PASSWORD) and not password_matches(low, "another-password-1")
    assert not password_matches(None, PASSWORD)


def test_read_settings_unknown_password_hash_cost_refused(set_env):
    with pytest.raises(ValueError, match="TP_PASSWORD_HASH_COST"):
        set_env(TP_PASSWORD_HASH_COST="cheap")
