"""A trigram full-text index over contacts' search text, on SQLite (PostgreSQL scans with LIKE)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-11-23T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Trigram search index for search-as-you-type on SQLite"

CREATE = [
    "CREATE VIRTUAL TABLE contact_search USING fts5("
    "search_text, content='contact', content_rowid='id', tokenize='trigram', detail='full')",
    "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO contact_search(contact_search) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER contact_search_update",
    "DROP TRIGGER contact_search_delete",
    "DROP TRIGGER contact_search_insert",
    "DROP TABLE contact_search",
]


class RawTable(Table):
    """Runs raw SQL."""


def _on_sqlite() -> bool:
    return isinstance(RawTable._meta.db, SQLiteEngine)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create():
        if _on_sqlite():
            for statement in CREATE:
                await RawTable.raw(statement)

    async def drop():
        if _on_sqlite():
            for statement in DROP:
                await RawTable.raw(statement)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
