"""Sessions when the web app runs as several processes sharing Redis: the next request may land on another one.

Each "process" here has its own Reflex state manager (its own connections and local caches) on one real
Redis, as two web app processes do; `/_session/open` runs the real route against the second.
"""

import contextlib
import time
import uuid

import httpx
import pytest
import reflex as rx
from reflex.istate.data import HeaderData, RouterData, SessionData
from reflex.istate.manager import StateManager

from talent_pool.session_cookie import COMPANY, OPEN_PATH, WORKER, new_ticket, ticket_key
from talent_pool.session_routes import session_api
from talent_pool.states.session import SessionState
from talent_pool.states.worker_session import WorkerSessionState
from tests.redis_server import redis_url  # noqa: F401  (the fixture)

TOKEN = "0001a2b3c4d5e6_" + "A" * 43
ORIGIN = {"Origin": "http://testserver"}


class WebProcess:
    """What the session routes need of the Reflex app, backed by this process's own state manager."""

    def __init__(self) -> None:
        self.manager = StateManager.create()

    @contextlib.asynccontextmanager
    async def modify_state(self, token):
        """Exclusive access to a tab's states, through Redis."""
        async with self.manager.modify_state(token) as root:
            yield root


@pytest.fixture
async def processes(redis_url, monkeypatch):  # noqa: F811
    """Two web app processes on one Redis, with the shared TP_SECRET_KEY a cluster sets."""
    config = rx.config.get_config()
    monkeypatch.setattr(config, "redis_url", redis_url)
    monkeypatch.setattr(config, "state_manager_mode", config.state_manager_mode)
    monkeypatch.setenv("TP_SECRET_KEY", "a secret every web app process shares")
    first, second = WebProcess(), WebProcess()
    yield first, second
    await first.manager.close()
    await second.manager.close()


async def _log_in(process: WebProcess, state_cls, client: str) -> str:
    """What a log-in leaves in the tab's state on `process`: the token and a pending ticket for the cookie."""
    kind = COMPANY if state_cls is SessionState else WORKER
    prefix = "_" if state_cls is SessionState else "_worker_"
    ticket, ticket_hash, expires = new_ticket(kind, client, now=time.time(), key=ticket_key())
    async with process.modify_state(rx.BaseStateToken(ident=client, cls=state_cls)) as root:
        state = await root.get_state(state_cls)
        setattr(state, f"{prefix}session_token", TOKEN)
        setattr(state, f"{prefix}session_expires", time.time() + 3600)
        setattr(state, f"{prefix}session_sid", "socket-on-first-process")
        setattr(state, f"{prefix}ticket_hash", ticket_hash)
        setattr(state, f"{prefix}ticket_expires", expires)
    return ticket


async def _post_open(process: WebProcess, kind: str, client: str, ticket: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=session_api(lambda: process))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
        return await web.post(OPEN_PATH, data={"kind": kind, "client": client, "ticket": ticket}, headers=ORIGIN)


@pytest.mark.parametrize(
    ("state_cls", "kind", "cookie"),
    [(SessionState, "company", "tp_session"), (WorkerSessionState, "worker", "tp_worker_session")],
)
async def test_open_session_ticket_from_other_process_sets_cookie_once(processes, state_cls, kind, cookie):
    first, second = processes
    client = str(uuid.uuid4())
    ticket = await _log_in(first, state_cls, client)
    response = await _post_open(second, kind, client, ticket)
    assert response.status_code == 204
    assert response.headers["set-cookie"].startswith(f"{cookie}={TOKEN};")
    # Single use across processes: the ticket is used up in Redis, not in one process's memory.
    again = await _post_open(first, kind, client, ticket)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_ticket"


async def test_read_session_on_other_process_after_reconnect_uses_cookie(processes):
    first, second = processes
    client = str(uuid.uuid4())
    await _log_in(first, SessionState, client)
    # The first process died: the tab reconnects to the second with a new socket, carrying the cookie.
    async with second.modify_state(rx.BaseStateToken(ident=client, cls=SessionState)) as root:
        root.router = RouterData(
            session=SessionData(client_token=client, session_id="socket-on-second-process"),
            headers=HeaderData(cookie=f"theme=dark; tp_session={TOKEN}"),
        )
        assert (await root.get_state(SessionState)).token == TOKEN


async def test_read_session_on_other_process_without_cookie_is_signed_out(processes):
    first, second = processes
    client = str(uuid.uuid4())
    await _log_in(first, SessionState, client)
    async with second.modify_state(rx.BaseStateToken(ident=client, cls=SessionState)) as root:
        root.router = RouterData(session=SessionData(client_token=client, session_id="socket-on-second-process"))
        # Another socket without the cookie does not inherit the token held in Redis.
        assert (await root.get_state(SessionState)).token == ""


async def test_read_session_logged_out_on_one_process_is_ended_on_other(processes):
    first, second = processes
    client = str(uuid.uuid4())
    await _log_in(first, SessionState, client)
    async with first.modify_state(rx.BaseStateToken(ident=client, cls=SessionState)) as root:
        (await root.get_state(SessionState))._forget_session()
    # A stale cookie still carrying the ended token is not taken up again by the other process.
    async with second.modify_state(rx.BaseStateToken(ident=client, cls=SessionState)) as root:
        root.router = RouterData(
            session=SessionData(client_token=client, session_id="socket-on-second-process"),
            headers=HeaderData(cookie=f"tp_session={TOKEN}"),
        )
        state = await root.get_state(SessionState)
        assert state.token == ""
        assert state.user_name == ""


def test_mount_session_routes_with_redis_without_secret_is_refused(redis_url, monkeypatch):  # noqa: F811
    config = rx.config.get_config()
    monkeypatch.setattr(config, "redis_url", redis_url)
    monkeypatch.delenv("TP_SECRET_KEY", raising=False)
    monkeypatch.delenv("TP_ENV", raising=False)
    # Each process would seal tickets with a key of its own: a ticket would fail at the next process.
    with pytest.raises(RuntimeError, match="TP_SECRET_KEY"):
        session_api(lambda: None)
    monkeypatch.setenv("TP_SECRET_KEY", "a secret every web app process shares")
    assert session_api(lambda: None).routes
