"""PostgreSQL's trigram index for search-as-you-type (SQLite has its FTS5 trigram table).

`pg_trgm`'s GIN index answers `search_text LIKE '%abc%'` without reading every contact.
pg_trgm is a trusted extension: the database's owner may create it.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-30T04:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "pg_trgm GIN index on contact.search_text (PostgreSQL only)"

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
TRIGRAMS = "CREATE INDEX contact_search_trgm ON contact USING gin (search_text gin_trgm_ops)"


class RawTable(Table):
    """Runs raw SQL."""


def _on_postgres() -> bool:
    return isinstance(RawTable._meta.db, PostgresEngine)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create_index():
        if _on_postgres():
            await RawTable.raw(EXTENSION)
            await RawTable.raw(TRIGRAMS)

    async def drop_index():
        if _on_postgres():
            await RawTable.raw("DROP INDEX contact_search_trgm")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
