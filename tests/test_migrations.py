"""The migrations build exactly the schema the tables and the product's queries expect (SQLite and PostgreSQL).

The session's database was migrated from empty by the real migrations (see conftest), so these
tests read what a fresh `python -m backend migrate` leaves behind.
"""

from pathlib import Path

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.sqlite import SQLiteEngine

from backend.piccolo_app import APP_CONFIG

# Every index the product's queries, uniqueness rules and bulk loads rely on (beyond column indexes).
INDEXES = {
    "contact_company_email",
    "contact_company_name",
    "contact_company_status_name",
    "contact_company_created",
    "contact_company_activity",
    "contact_company_updated",
    "contact_company_engaged",
    "contact_company_email_failed",
    "contact_worker_set",
    "contact_invitation_link_set",
    "tag_company_name",
    "contact_tag_pair",
    "contact_tag_tag",
    "rate_limit_window_key",
    "outbox_email_contact",
    "outbox_email_due",
    "invitation_pending_created",
    "activity_company_created",
    "outbox_email_company_sent",
}
UNIQUE_INDEXES = {"contact_company_email", "tag_company_name", "contact_tag_pair", "rate_limit_window_key"}
SQLITE_SEARCH_TRIGGERS = {"contact_search_insert", "contact_search_delete", "contact_search_update"}


def _engine():
    return APP_CONFIG.table_classes[0]._meta.db


def _on_sqlite() -> bool:
    return isinstance(_engine(), SQLiteEngine)


async def _rows(sql: str) -> list[dict]:
    return await _engine().run_ddl(sql)


async def _tables() -> set[str]:
    if _on_sqlite():
        rows = await _rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        rows = await _rows(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    # The FTS5 search table and its shadow tables are checked on their own.
    return {row["name"] for row in rows if not row["name"].startswith("contact_search")}


async def _columns(tablename: str) -> set[str]:
    if _on_sqlite():
        return {row["name"] for row in await _rows(f"PRAGMA table_info('{tablename}')")}
    rows = await _rows(
        "SELECT column_name FROM information_schema.columns "
        f"WHERE table_schema = 'public' AND table_name = '{tablename}'"
    )
    return {row["column_name"] for row in rows}


async def _indexes() -> dict[str, bool]:
    """Every index by name, with whether it is unique."""
    if _on_sqlite():
        found = {}
        for table in await _tables():
            for row in await _rows(f"PRAGMA index_list('{table}')"):
                found[row["name"]] = bool(row["unique"])
        return found
    rows = await _rows(
        "SELECT c.relname AS name, i.indisunique AS is_unique FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public'"
    )
    return {row["name"]: bool(row["is_unique"]) for row in rows}


async def test_migrate_fresh_database_creates_exactly_app_tables():
    expected = {table._meta.tablename for table in APP_CONFIG.table_classes}
    assert await _tables() == expected | {"migration"}


async def test_migrate_fresh_database_creates_every_table_column():
    for table in APP_CONFIG.table_classes:
        expected = {column._meta.db_column_name for column in table._meta.columns}
        assert await _columns(table._meta.tablename) == expected, table._meta.tablename


async def test_migrate_fresh_database_creates_product_indexes():
    found = await _indexes()
    assert INDEXES <= found.keys(), INDEXES - found.keys()
    assert {name for name in INDEXES if found[name]} == UNIQUE_INDEXES


async def test_migrate_fresh_database_creates_search_index():
    if _on_sqlite():
        search = await _rows("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contact_search'")
        assert "tokenize='trigram'" in search[0]["sql"] and "columnsize=0" in search[0]["sql"]
        triggers = await _rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact'")
        assert {row["name"] for row in triggers} == SQLITE_SEARCH_TRIGGERS
    else:
        assert len(await _rows("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")) == 1
        rows = await _rows("SELECT indexdef FROM pg_indexes WHERE indexname = 'contact_search_trgm'")
        assert "gin" in rows[0]["indexdef"] and "gin_trgm_ops" in rows[0]["indexdef"]


async def test_migrate_fresh_database_records_every_migration_once():
    folder = Path(APP_CONFIG.migrations_folder_path)
    files = sorted(path.stem for path in folder.glob("talent_pool_*.py"))
    applied = await _rows("SELECT name FROM migration WHERE app_name = 'talent_pool' ORDER BY id")
    assert len(applied) == len(files) and len({row["name"] for row in applied}) == len(files)
    result = await run_forwards(app_name="talent_pool")
    assert result.success
    assert len(await _rows("SELECT name FROM migration WHERE app_name = 'talent_pool'")) == len(files)
