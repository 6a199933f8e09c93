"""The demo data is consistent with the rules the product enforces."""

from backend.accounts.service import log_in
from backend.contacts.tables import Contact, Invitation
from backend.jobs.tables import JobOffer
from backend.security import password_matches
from backend.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
from backend.workers.tables import Worker
from shared.accounts import LoginCreate


async def test_seed_demo_is_consistent_and_only_once():
    assert await seed_demo(60) is True
    assert await seed_demo(60) is False
    assert await Contact.count() == 60
    assert (await log_in(LoginCreate(email=DEMO_EMAIL, password=DEMO_PASSWORD))).token
    statuses = {row["status"] for row in await Contact.select(Contact.status)}
    assert "not_invited" in statuses and "connection_requested" not in statuses
    # Nobody is active, declined or applied without a worker account who answered.
    assert not await Contact.exists().where(
        Contact.status.is_in(["active", "declined", "applied", "rejected"]) & Contact.worker.is_null()
    )
    invited = await Contact.select(Contact.id, Contact.worker).where(Contact.status == "invited")
    pending = {
        row["contact"]: row["kind"]
        for row in await Invitation.select(Invitation.contact, Invitation.kind).where(Invitation.state == "pending")
    }
    assert {row["id"] for row in invited} <= set(pending)
    # Connection requests read `invited` too; they are the invited contacts with a worker account.
    assert {pending[row["id"]] for row in invited} == {"signup", "connection"}
    assert all((pending[row["id"]] == "connection") == (row["worker"] is not None) for row in invited)
    not_invited = [row["id"] for row in await Contact.select(Contact.id).where(Contact.status == "not_invited")]
    assert not await Invitation.exists().where(Invitation.contact.is_in(not_invited))
    hired = await Contact.select(Contact.id, Contact.status, Contact.last_engagement).where(
        Contact.last_engaged_at.is_not_null()
    )
    assert [(row["status"], row["last_engagement"]) for row in hired] == [("active", "Website redesign")]
    offers = {
        row["status"]: row
        for row in await JobOffer.select(JobOffer.status, JobOffer.contact, JobOffer.contact.worker.as_alias("worker"))
    }
    assert set(offers) == {"accepted", "offered"} and all(row["worker"] for row in offers.values())
    assert offers["accepted"]["contact"] == hired[0]["id"]
    for worker in await Worker.select(Worker.password_hash):
        assert not password_matches(worker["password_hash"], "")
