"""How many applicants a company has, split by whether they can be approved yet (their email confirmed)."""

from __future__ import annotations

from backend.auth import Principal
from backend.contacts.tables import Contact
from shared.contacts import ContactStatus
from shared.links import ApplicantCounts

# Each count is exact up to this many applicants (the Talent Pool's status counts stop there too).
COUNT_CAP = 10_000


def _capped_count(confirmed: bool) -> str:
    test = "IS NOT NULL" if confirmed else "IS NULL"
    return (
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM contact c LEFT JOIN worker w ON w.id = c.worker "
        f"WHERE c.company = {{}} AND c.status = '{ContactStatus.APPLIED.value}' AND w.email_confirmed_at {test} "
        "LIMIT {}) AS found"
    )


async def applicant_counts(principal: Principal, count_cap: int = COUNT_CAP) -> ApplicantCounts:
    """The caller's applicants waiting for approval (email confirmed) and waiting for email confirmation."""
    rows = await Contact.raw(
        f"SELECT 'approval' AS waiting, n FROM ({_capped_count(True)}) AS a "
        f"UNION ALL SELECT 'confirmation' AS waiting, n FROM ({_capped_count(False)}) AS b",
        principal.company_id,
        count_cap + 1,
        principal.company_id,
        count_cap + 1,
    )
    found = {row["waiting"]: row["n"] for row in rows}
    return ApplicantCounts(
        waiting_for_approval=min(found["approval"], count_cap),
        waiting_for_confirmation=min(found["confirmation"], count_cap),
        exact=max(found.values()) <= count_cap,
    )
