"""Tables of uploaded contact CSVs: the previewed rows, the selection and the import's progress."""

from piccolo.columns import JSON, Bytea, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.email.tables import OutboxTemplate
from shared.imports import ImportStatus

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class CsvImport(Table, tablename="csv_import"):
    """One uploaded file, from preview to finished import.

    Its previewed rows live in `CsvImportRows`, written once at upload. While an import runs, the runner holding `claim_token` renews `lease_until` with every committed batch;
    `processed` counts the selected rows committed so far, so a crashed import resumes right there.
    """

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    filename = Varchar(length=255)
    size = Integer()
    encoding = Varchar(length=20)
    delimiter = Varchar(length=10)
    status = Varchar(length=16, index=True, choices=ImportStatus)
    total_rows = Integer()
    counts = JSON(default="{}")
    selection = JSON(default="{}")
    selected = Integer(default=0)
    message = Text(default="")
    processed = Integer(default=0)
    invited = Integer(default=0)
    connection_requested = Integer(default=0)
    skipped = Integer(default=0)
    # The emails every imported person gets, rendered once when the import starts.
    invitation_template = ForeignKey(references=OutboxTemplate, on_delete=OnDelete.set_null, null=True, default=None)
    connection_template = ForeignKey(references=OutboxTemplate, on_delete=OnDelete.set_null, null=True, default=None)
    claim_token = Varchar(length=64, null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class CsvImportRows(Table, tablename="csv_import_rows"):
    """Every previewed row of an upload (compressed MessagePack), written once at upload.

    Kept apart from `csv_import` so the progress updates of a running import do not rewrite the
    file's rows each time.
    """

    id: Serial

    csv_import = ForeignKey(references=CsvImport, on_delete=OnDelete.cascade, unique=True)
    rows = Bytea()


class CsvImportSkip(Table, tablename="csv_import_skip"):
    """A selected row the import did not turn into a contact, and why."""

    id: Serial

    csv_import = ForeignKey(references=CsvImport, on_delete=OnDelete.cascade, index=True)
    line = Integer()
    reason = Text()
