"""Apply the Piccolo migrations to the configured database."""

from piccolo.apps.migrations.commands.forwards import run_forwards

from backend.database import get_engine, is_sqlite


async def migrate() -> None:
    """Bring the schema up to date; on SQLite also switch the file to WAL mode."""
    if is_sqlite():
        await get_engine().run_ddl("PRAGMA journal_mode=WAL")
    result = await run_forwards(app_name="talent_pool")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
