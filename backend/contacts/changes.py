"""A stamp of the caller's Talent Pool that changes whenever what the page shows may have changed.

An open Talent Pool page compares it every few seconds and reloads its rows and counts when it differs:
a contact added, edited, deleted or imported, a status changed (a worker accepting, an approval, an
expiry), an invitation email sent or not delivered, an applicant confirming their email (which touches
their contact's `updated_at`), or anything a teammate did (the activity log).
"""

from __future__ import annotations

import hashlib

from backend.auth import Principal
from backend.contacts.tables import Contact
from shared.contacts import PoolStamp

# Contacts are counted up to this many (like the status counts), so every part stays an index look-up
# or two and a page checks within a few milliseconds.
COUNT_CAP = 10_000

_STAMP_SQL = (
    "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM contact WHERE company = {} LIMIT {}) AS capped) AS contacts, "
    "(SELECT MAX(updated_at) FROM contact WHERE company = {}) AS updated, "
    "(SELECT MAX(last_activity_at) FROM contact WHERE company = {}) AS active, "
    "(SELECT MAX(email_failed_at) FROM contact WHERE company = {} AND email_failed_at IS NOT NULL) AS failed, "
    # Every change a teammate makes is logged, deletes in a pool beyond the count's cap included.
    "(SELECT MAX(created_at) FROM activity WHERE company = {}) AS logged, "
    # An invitation email going from queued to sent shows on its row.
    "(SELECT MAX(sent_at) FROM outbox_email WHERE company = {}) AS sent"
)


async def pool_stamp(principal: Principal) -> PoolStamp:
    """The caller's current stamp: opaque, equal as long as nothing the Talent Pool shows has changed."""
    company = principal.company_id
    rows = await Contact.raw(_STAMP_SQL, company, COUNT_CAP + 1, *[company] * 5)
    parts = "|".join(str(value) for value in rows[0].values())
    return PoolStamp(stamp=hashlib.sha256(parts.encode()).hexdigest()[:32])
