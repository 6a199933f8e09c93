"""The table of invitations to join a company's team."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from shared.team import TeamRole

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class TeamInvitation(Table):
    """A single-use emailed link for a colleague to join the team; only the token's hash is stored."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=320)
    name = Varchar(length=200, default="")
    role = Varchar(length=16, choices=TeamRole)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    # The teammate the accepted invitation made.
    accepted_user = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True, default=None)
