"""The trigram search index without per-row token counts (only ranking needs them, and search does not rank).

FTS5 otherwise keeps a row per contact in a second table, written with every contact: a bulk
import of 300,000 contacts spends about a second on it.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-11-24T04:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Search index without column sizes"


def _index(options: str) -> list[str]:
    return [
        "DROP TRIGGER contact_search_update",
        "DROP TRIGGER contact_search_delete",
        "DROP TRIGGER contact_search_insert",
        "DROP TABLE contact_search",
        "CREATE VIRTUAL TABLE contact_search USING fts5("
        f"search_text, content='contact', content_rowid='id', tokenize='trigram', detail='full'{options})",
        "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
        "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
        "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
        "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        "CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON contact BEGIN "
        "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
        "INSERT INTO contact_search(contact_search) VALUES ('rebuild')",
    ]


class RawTable(Table):
    """Runs raw SQL."""


def _on_sqlite() -> bool:
    return isinstance(RawTable._meta.db, SQLiteEngine)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def rebuild_without_sizes():
        if _on_sqlite():
            for statement in _index(", columnsize=0"):
                await RawTable.raw(statement)

    async def rebuild_with_sizes():
        if _on_sqlite():
            for statement in _index(""):
                await RawTable.raw(statement)

    manager.add_raw(rebuild_without_sizes)
    manager.add_raw_backwards(rebuild_with_sizes)
    return manager
