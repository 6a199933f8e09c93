"""Files uploaded ahead of the invitation that will carry them (staged uploads)."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser


class StagedUpload(Table, tablename="staged_upload"):
    """A checked file in the file store that no contact holds yet; an invite takes it, or it expires."""

    id: Serial  # Piccolo's primary key, named for the type checker

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    uploaded_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.cascade, null=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    storage_key = Varchar(length=100, unique=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
