"""Applicants through invitation links: how many a company has, split by whether they can be approved yet
(their email confirmed), and the applications a worker is waiting on."""

from __future__ import annotations

from backend.auth import Principal, WorkerPrincipal
from backend.contacts.tables import Contact
from shared.contacts import ContactStatus
from shared.links import ApplicantCounts, WaitingFor, WorkerApplication, WorkerApplicationList

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


async def worker_applications(principal: WorkerPrincipal) -> WorkerApplicationList:
    """The applications the signed-in worker made through links that no company has decided yet.

    They are the account's own doing, so an account that has not confirmed its email sees them too:
    they wait for that confirmation, the others for the company's approval.
    """
    rows = (
        await Contact.select(Contact.id, Contact.created_at, Contact.company.name.as_alias("company_name"))
        .where((Contact.worker == principal.worker_id) & (Contact.status == ContactStatus.APPLIED.value))
        .order_by(Contact.created_at, ascending=False)
        .order_by(Contact.id, ascending=False)
    )
    waiting_for = WaitingFor.APPROVAL if principal.email_confirmed else WaitingFor.EMAIL_CONFIRMATION
    return WorkerApplicationList(
        items=[
            WorkerApplication(
                id=row["id"], company_name=row["company_name"], applied_at=row["created_at"], waiting_for=waiting_for
            )
            for row in rows
        ]
    )
