from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-24T03:48:42:146412"
VERSION = "1.38.0"
DESCRIPTION = "Move previewed CSV rows out of csv_import"


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="talent_pool", description=DESCRIPTION
    )

    async def move_rows():
        # Runs before the column is dropped: every upload keeps its rows.
        await RawTable.raw(
            "INSERT INTO csv_import_rows (csv_import, rows) SELECT id, rows FROM csv_import "
            "WHERE id NOT IN (SELECT csv_import FROM csv_import_rows)"
        )

    manager.add_raw(move_rows)

    manager.drop_column(
        table_class_name="CsvImport",
        tablename="csv_import",
        column_name="rows",
        db_column_name="rows",
        schema=None,
    )

    return manager
