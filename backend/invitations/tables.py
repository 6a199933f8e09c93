"""Tables of invitations, contact history and contact files."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.contacts.tables import Contact


class Invitation(Table):
    """One invitation sent to a contact; a resend supersedes it with a new one."""

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=320)
    kind = Varchar(length=16)
    state = Varchar(length=16, index=True)
    # SHA-256 of the link's token; NULL for connection requests, which are answered in the portal.
    token_hash = Varchar(length=64, unique=True, null=True, default=None)
    message = Text(default="")
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    opened_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)


class ContactEvent(Table):
    """One line of a contact's history: invitations, answers, edits."""

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=40)
    actor = Varchar(length=200, default="")
    detail = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ContactFileRecord(Table, tablename="contact_file"):
    """A file kept on a contact; the bytes live in the file store under `storage_key`."""

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    storage_key = Varchar(length=100, unique=True)
    uploaded_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())
