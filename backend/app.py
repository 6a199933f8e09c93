"""The Litestar application: routes, error mapping, OpenAPI and the database lifecycle."""

from litestar import Litestar, get
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from piccolo.engine.postgres import PostgresEngine

from backend.accounts.routes import AuthController
from backend.contacts.routes import ContactController
from backend.invitations.routes import InvitationController, PublicInvitationController
from backend.invitations.sweeper import start_sweeper_in_app, stop_sweeper_in_app
from backend.workers.routes import WorkerAuthController, WorkerConnectionController
from backend.database import PooledSQLiteEngine, get_engine
from backend.email.sender import start_sender_in_app, stop_sender_in_app
from backend.errors import EXCEPTION_HANDLERS
from backend.settings import get_settings


@get("/health", include_in_schema=False)
async def health() -> dict[str, str]:
    """Liveness and database reachability."""
    await get_engine().run_ddl("SELECT 1")
    return {"status": "ok"}


async def _open_pool() -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine) and get_settings().database_pool:
        await engine.start_connection_pool(min_size=2, max_size=20)


async def _close_pool() -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle_connections()


def create_app() -> Litestar:
    """Build the BFF."""
    settings = get_settings()
    return Litestar(
        route_handlers=[
            health,
            AuthController,
            ContactController,
            InvitationController,
            PublicInvitationController,
            WorkerAuthController,
            WorkerConnectionController,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[_open_pool, start_sender_in_app, start_sweeper_in_app],
        on_shutdown=[stop_sweeper_in_app, stop_sender_in_app, _close_pool],
        request_max_body_size=settings.max_json_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Talent Pool BFF",
            version="1.0.0",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=False,
    )


app = create_app()
