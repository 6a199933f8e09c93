"""The table of invitations sent to contacts."""

from piccolo.columns import ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.contacts.tables import Contact
from shared.invitations import InvitationKind, InvitationState


class Invitation(Table):
    """One invitation sent to a contact; a resend supersedes it with a new one."""

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=320)
    kind = Varchar(length=16, choices=InvitationKind)
    state = Varchar(length=16, index=True, choices=InvitationState)
    # SHA-256 of the link's token; NULL for connection requests, which are answered in the portal.
    token_hash = Varchar(length=64, unique=True, null=True, default=None)
    message = Text(default="")
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    opened_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
