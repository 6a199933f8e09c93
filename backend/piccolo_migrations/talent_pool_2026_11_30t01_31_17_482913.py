"""Password-reset links: a single-use token (stored as its hash) for a company user or a worker."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class CompanyUser(Table, tablename="company_user", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


class Worker(Table, tablename="worker", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


ID = "2026-11-30T01:31:17:482913"
VERSION = "1.38.0"
DESCRIPTION = "Password-reset links for company users and workers"

_COMMON = {"primary_key": False, "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False}


def _owner(references: type[Table]) -> dict:
    return {
        **_COMMON,
        "references": references,
        "on_delete": OnDelete.cascade,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        "null": True,
        "unique": False,
        "index": True,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)
    manager.add_table(class_name="PasswordReset", tablename="password_reset", schema=None, columns=None)
    columns = [
        ("token_hash", "Varchar", Varchar, {**_COMMON, "length": 64, "default": "", "null": False, "unique": True, "index": False}),
        ("company_user", "ForeignKey", ForeignKey, _owner(CompanyUser)),
        ("worker", "ForeignKey", ForeignKey, _owner(Worker)),
        ("created_at", "Timestamptz", Timestamptz, {**_COMMON, "default": TimestamptzNow(), "null": False, "unique": False, "index": False}),
        ("expires_at", "Timestamptz", Timestamptz, {**_COMMON, "default": TimestamptzNow(), "null": False, "unique": False, "index": False}),
        ("used_at", "Timestamptz", Timestamptz, {**_COMMON, "default": None, "null": True, "unique": False, "index": False}),
    ]
    for name, class_name, column_class, params in columns:
        manager.add_column(
            table_class_name="PasswordReset",
            tablename="password_reset",
            column_name=name,
            db_column_name=name,
            column_class_name=class_name,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
