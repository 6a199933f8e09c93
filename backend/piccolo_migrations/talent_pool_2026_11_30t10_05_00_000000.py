"""The staged_upload table: files a company user sent ahead of the invitation that attaches them.

An invitation moves them into contact_file (same storage key) in its transaction; the periodic
sweep deletes those older than a day, with their bytes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-30T10:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Staged uploads: files sent before the invitation that attaches them, expiring after a day"


class Company(Table, tablename="company", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


class CompanyUser(Table, tablename="company_user", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


def _params(**params) -> dict:
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **params,
    }


def _foreign_key(references: type[Table], **params) -> dict:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        **params,
    )


COLUMNS = [
    ("company", ForeignKey, _foreign_key(Company, null=True, index=True)),
    ("uploaded_by", ForeignKey, _foreign_key(CompanyUser, null=True)),
    ("filename", Varchar, _params(length=255, default="")),
    ("content_type", Varchar, _params(length=100, default="")),
    ("size", Integer, _params(default=0)),
    ("storage_key", Varchar, _params(length=100, default="", unique=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)
    manager.add_table(class_name="StagedUpload", tablename="staged_upload", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="StagedUpload",
            tablename="staged_upload",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
