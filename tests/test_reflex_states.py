"""Every Reflex state of the web app survives the pickling Reflex uses to keep it in Redis.

With several web app processes, Reflex keeps each tab's state in Redis (pickled, one key per state class)
and the next event may run in another process. A state that does not pickle, or comes back different, logs
the user out or loses their work there. The states are found by walking `rx.State`'s subclasses, so a new
one is covered without touching this file; each field gets a realistic value built from its annotation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import pickle
import types
import typing
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import pytest
import reflex as rx
from reflex.istate.manager import StateManager

import talent_pool.talent_pool  # noqa: F401  (registers every page and state of the app)
from shared.accounts import SessionPublic
from shared.invitations import WorkerSessionPublic
from talent_pool.states.session import SessionState
from talent_pool.states.worker_session import WorkerSessionState
from tests.redis_server import redis_url  # noqa: F401  (the fixture)

MOMENT = dt.datetime(2026, 11, 30, 9, 15, 30, tzinfo=dt.UTC)
# States every part of the app needs; the walk must find at least these.
KNOWN_STATES = {
    "SessionState",
    "WorkerSessionState",
    "PoolState",
    "ProfileState",
    "CsvImportState",
    "InviteState",
    "WorkerPortalState",
    "OfferPreferencesState",
}
# Words that must not name a state field: passwords travel in form data only, never in a state.
SECRET_WORDS = ("password", "secret")


def app_states() -> list[type[rx.State]]:
    """Every state class of the `talent_pool` package in the app's state tree, parents before children.

    The tree holds what Reflex stores; mixins (fields and handlers shared by states) are not in it.
    """
    found: list[type[rx.State]] = []
    pending = sorted(rx.State.get_substates(), key=lambda cls: cls.get_full_name())
    while pending:
        cls = pending.pop(0)
        pending.extend(sorted(cls.get_substates(), key=lambda sub: sub.get_full_name()))
        if cls.__module__.startswith("talent_pool."):
            found.append(cls)
    return found


def own_fields(cls: type[rx.State]) -> dict[str, Any]:
    """The fields a state class keeps in its own Redis key, with their full annotations."""
    hints = typing.get_type_hints(cls)
    return {name: hints[name] for name, field in cls.__fields__.items() if field._owner is cls}


def sample(annotation: Any, hint: str) -> Any:
    """A realistic, non-default value of a type: text with markup and accents, several items, nested data."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return sample(next(arg for arg in args if arg is not type(None)), hint)
    if origin is typing.Literal:
        return args[-1]
    if origin is list:
        return [sample(args[0], f"{hint} one"), sample(args[0], f"{hint} two")]
    if origin is tuple:
        return tuple(sample(arg, f"{hint} {i}") for i, arg in enumerate(args) if arg is not Ellipsis)
    if origin is dict:
        return {sample(args[0], f"{hint} a"): sample(args[1], "a"), sample(args[0], f"{hint} b"): sample(args[1], "b")}
    if isinstance(annotation, type):
        return _sample_of_class(annotation, hint)
    raise TypeError(f"no sample for {annotation!r} ({hint}): add one to sample()")


def _sample_of_class(cls: type, hint: str) -> Any:
    if issubclass(cls, enum.Enum):
        return list(cls)[-1]
    if cls is bool:
        return True
    if cls is int:
        return 4242
    if cls is float:
        return 1_800_000_123.5
    if cls is str:
        return f"{hint} · Zoë O'Brien <b>&amp;</b> ✓"
    if cls is dt.datetime:
        return MOMENT
    if cls is dt.date:
        return MOMENT.date()
    if cls is Decimal:
        return Decimal("1234.50")
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        return cls(**{f.name: sample(hints[f.name], f.name) for f in dataclasses.fields(cls) if f.init})
    if issubclass(cls, msgspec.Struct):
        return cls(**{f.name: sample(f.type, f.name) for f in msgspec.structs.fields(cls)})
    raise TypeError(f"no sample for {cls!r} ({hint}): add one to sample()")


def sample_fields(cls: type[rx.State]) -> dict[str, Any]:
    """A value for each of a state's own fields, each different from the field's default."""
    values = {}
    for name, annotation in own_fields(cls).items():
        value = sample(annotation, name)
        default = cls.__fields__[name].default_value()
        if value == default and isinstance(value, bool):
            value = not value
        assert value != default, f"{cls.__name__}.{name}: the sample equals the default"
        values[name] = value
    return values


def plain(value: Any) -> Any:
    """A state's value as it was stored (Reflex hands out lists and dicts wrapped to track changes)."""
    return value.__wrapped__ if hasattr(value, "__wrapped__") else value


STATES = app_states()
STATE_IDS = [cls.__name__ for cls in STATES]


def test_find_states_covers_the_app():
    names = {cls.__name__ for cls in STATES}
    assert KNOWN_STATES <= names
    assert len(STATES) >= 20


@pytest.mark.parametrize("state_cls", STATES, ids=STATE_IDS)
def test_pickle_state_round_trip_keeps_values(state_cls):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(state_cls.get_full_name().split("."))
    values = sample_fields(state_cls)
    for name, value in values.items():
        setattr(state, name, value)
    # Plain pickle, as Reflex tries first: no fallback to a more permissive serialiser.
    restored = pickle.loads(pickle.dumps(state))
    assert type(restored) is state_cls
    assert {name: plain(getattr(restored, name)) for name in values} == values


@pytest.mark.parametrize("state_cls", STATES, ids=STATE_IDS)
def test_declare_state_fields_no_passwords(state_cls):
    assert not [name for name in own_fields(state_cls) if any(word in name.lower() for word in SECRET_WORDS)]


def _pickled_tree(root: rx.State) -> list[bytes]:
    """Each app state of a tab as Reflex stores it: one pickle per state."""
    return [pickle.dumps(root.get_substate(cls.get_full_name().split("."))) for cls in STATES]


def test_pickle_session_states_hold_token_once_and_forget_it():
    token, worker_token = "0001a2b3c4d5e6_" + "T" * 43, "0002a2b3c4d5e6_" + "W" * 43
    root = rx.State(_reflex_internal_init=True)
    session = root.get_substate(SessionState.get_full_name().split("."))
    worker = root.get_substate(WorkerSessionState.get_full_name().split("."))
    session._remember_session(msgspec.structs.replace(sample(SessionPublic, "session"), token=token))
    worker._remember_worker_session(msgspec.structs.replace(sample(WorkerSessionPublic, "worker"), token=worker_token))
    assert (session.token, worker.worker_token) == (token, worker_token)
    # One copy each, where the BFF calls need it; the caches keep only hashes.
    pickles = b"".join(_pickled_tree(root))
    assert pickles.count(token.encode()) == 1 and pickles.count(worker_token.encode()) == 1
    session._forget_session()
    worker._forget_worker()
    pickles = b"".join(_pickled_tree(root))
    assert token.encode() not in pickles and worker_token.encode() not in pickles


@pytest.fixture
def redis_config(redis_url, monkeypatch):
    """The web app's Reflex config pointed at the test Redis, as REFLEX_REDIS_URL does; restored afterwards."""
    config = rx.config.get_config()
    monkeypatch.setattr(config, "redis_url", redis_url)
    # StateManager.create() switches the mode to Redis when a redis URL is set; put it back after the test.
    monkeypatch.setattr(config, "state_manager_mode", config.state_manager_mode)
    return config


async def test_store_states_in_redis_other_process_reads_same_values(redis_config):
    writer = StateManager.create()
    assert type(writer).__name__ == "StateManagerRedis"
    ident = str(uuid.uuid4())
    expected: dict[type[rx.State], dict[str, Any]] = {}
    try:
        for state_cls in STATES:
            expected[state_cls] = sample_fields(state_cls)
            async with writer.modify_state(rx.BaseStateToken(ident=ident, cls=state_cls)) as root:
                state = await root.get_state(state_cls)
                for name, value in expected[state_cls].items():
                    setattr(state, name, value)
    finally:
        await writer.close()
    # A second manager stands for another web app process: nothing is shared with the first but Redis.
    reader = StateManager.create()
    try:
        for state_cls, values in expected.items():
            root = await reader.get_state(rx.BaseStateToken(ident=ident, cls=state_cls))
            state = await root.get_state(state_cls)
            stored = {name: plain(getattr(state, name)) for name in values}
            assert stored == values, state_cls.__name__
    finally:
        await reader.close()


async def test_store_session_in_redis_other_tab_starts_signed_out(redis_config):
    manager = StateManager.create()
    session_cls = next(cls for cls in STATES if cls.__name__ == "SessionState")
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        async with manager.modify_state(rx.BaseStateToken(ident=first, cls=session_cls)) as root:
            (await root.get_state(session_cls))._session_token = "tab-one-token"
        root = await manager.get_state(rx.BaseStateToken(ident=second, cls=session_cls))
        assert (await root.get_state(session_cls))._session_token == ""
    finally:
        await manager.close()
