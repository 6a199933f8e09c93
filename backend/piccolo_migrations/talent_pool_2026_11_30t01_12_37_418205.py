"""Consent and privacy of contact statuses.

- A connection request to an existing worker account reads `invited` until the person answers, so
  `connection_requested` contacts become `invited`, and the history kinds that named a connection
  request before the answer become the invitation's kinds.
- Statuses set by hand (no invitation, no worker account behind them) become `not_invited`: only
  the person or the flows can make a contact `active`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T01:12:37:418205"
VERSION = "1.38.0"
DESCRIPTION = "Contact statuses: connection requests read invited; statuses set by hand become not_invited"

FORWARDS = [
    "UPDATE contact SET status = 'invited' WHERE status = 'connection_requested'",
    "UPDATE contact_event SET kind = 'invitation_sent' WHERE kind = 'connection_requested'",
    "UPDATE contact_event SET kind = 'invitation_resent' WHERE kind = 'connection_request_resent'",
    "UPDATE contact_event SET kind = 'invitation_revoked' WHERE kind = 'connection_request_revoked'",
    # Answered statuses always have a worker account behind them; without one, a person never answered.
    "UPDATE contact SET status = 'not_invited' "
    "WHERE worker IS NULL AND status IN ('active', 'declined', 'applied', 'rejected')",
    # Invitation statuses without any invitation were set by hand.
    "UPDATE contact SET status = 'not_invited' WHERE status IN ('invited', 'expired', 'revoked') "
    "AND NOT EXISTS (SELECT 1 FROM invitation i WHERE i.contact = contact.id)",
]

BACKWARDS = [
    "UPDATE contact SET status = 'connection_requested' WHERE status = 'invited' AND worker IS NOT NULL",
    "UPDATE contact SET status = 'active' WHERE status = 'not_invited'",
]


class RawTable(Table):
    """Runs raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="talent_pool", description=DESCRIPTION)

    async def run_forwards():
        for statement in FORWARDS:
            await RawTable.raw(statement)

    async def run_backwards():
        for statement in BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
