"""What the table classes do not express: composite, unique, partial and expression indexes, and search.

Runs after the initial schema (migrations run in the order of their IDs).

- Per company: contacts are unique by email and listed by name, status, creation, activity, hire and
  delivery failure; tags are unique by name.
- Partial indexes hold only the rows a lookup asks for (contacts with a worker account, an invitation
  link, a hire or a failed email; outbox emails written to a contact), so a bulk import of contacts
  pays nothing for them.
- The email sender claims due outbox emails by status and next attempt.
- Search as you type: on SQLite an FTS5 trigram table over `contact.search_text`, kept in step by
  three triggers (without per-row token counts: only ranking needs them, and search does not rank);
  on PostgreSQL pg_trgm's GIN index answers `search_text LIKE '%abc%'` (pg_trgm is a trusted
  extension: the database's owner may create it).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-11-30T08:16:38:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes (unique, partial, expression, per company) and the search index with its triggers"

INDEXES = [
    "CREATE UNIQUE INDEX contact_company_email ON contact (company, email)",
    "CREATE INDEX contact_company_name ON contact (company, lower(name), id)",
    "CREATE INDEX contact_company_status_name ON contact (company, status, lower(name), id)",
    "CREATE INDEX contact_company_created ON contact (company, created_at, id)",
    "CREATE INDEX contact_company_activity ON contact (company, last_activity_at, id)",
    # The live refresh's stamp (backend.contacts.changes) reads the latest change of a company's contacts.
    "CREATE INDEX contact_company_updated ON contact (company, updated_at)",
    "CREATE UNIQUE INDEX tag_company_name ON tag (company, name)",
    "CREATE UNIQUE INDEX contact_tag_pair ON contact_tag (contact, tag)",
    "CREATE INDEX contact_tag_tag ON contact_tag (tag, contact)",
    "CREATE UNIQUE INDEX rate_limit_window_key ON rate_limit_window (key, window_start)",
    "CREATE INDEX contact_worker_set ON contact (worker) WHERE worker IS NOT NULL",
    "CREATE INDEX contact_invitation_link_set ON contact (invitation_link) WHERE invitation_link IS NOT NULL",
    "CREATE INDEX contact_company_engaged ON contact (company, last_engaged_at, id) "
    "WHERE last_engaged_at IS NOT NULL",
    "CREATE INDEX contact_company_email_failed ON contact (company, email_failed_at, id) "
    "WHERE email_failed_at IS NOT NULL",
    "CREATE INDEX outbox_email_contact ON outbox_email (contact) WHERE contact IS NOT NULL",
    "CREATE INDEX outbox_email_due ON outbox_email (status, next_attempt_at, id)",
]

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE contact_search USING fts5("
    "search_text, content='contact', content_rowid='id', tokenize='trigram', detail='full', columnsize=0)",
    "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON contact BEGIN "
    "INSERT INTO contact_search(contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contact_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER contact_search_update",
    "DROP TRIGGER contact_search_delete",
    "DROP TRIGGER contact_search_insert",
    "DROP TABLE contact_search",
]

POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX contact_search_trgm ON contact USING gin (search_text gin_trgm_ops)",
]
POSTGRES_SEARCH_DROP = ["DROP INDEX contact_search_trgm"]


class RawTable(Table):
    """Runs raw SQL."""


def _search(create: bool) -> list[str]:
    """The search statements of the engine in use (none on another engine)."""
    db = RawTable._meta.db
    if isinstance(db, SQLiteEngine):
        return SQLITE_SEARCH if create else SQLITE_SEARCH_DROP
    if isinstance(db, PostgresEngine):
        return POSTGRES_SEARCH if create else POSTGRES_SEARCH_DROP
    return []


def _index_name(statement: str) -> str:
    return statement.split(" INDEX ")[1].split(" ")[0]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def create():
        for statement in [*INDEXES, *_search(create=True)]:
            await RawTable.raw(statement)

    async def drop():
        for statement in _search(create=False):
            await RawTable.raw(statement)
        for statement in reversed(INDEXES):
            await RawTable.raw(f"DROP INDEX {_index_name(statement)}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
