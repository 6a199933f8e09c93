"""Apply the Piccolo migrations to the configured database."""

from piccolo.apps.migrations.commands.forwards import run_forwards

from backend.db import prepare_sqlite_file


async def migrate() -> None:
    """Bring the schema up to date; on SQLite, first set up the file (page size, WAL mode)."""
    await prepare_sqlite_file()
    result = await run_forwards(app_name="talent_pool")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
