"""A contact's history: every kind of line the code writes reads as a sentence."""

from __future__ import annotations

from backend.contacts.history import EVENT_SUMMARIES, contact_history, event_summary, record_event
from backend.db import write_transaction
from shared.contacts import EventKind
from tests.factories import make_contact


def test_every_event_kind_has_its_own_summary():
    assert set(EVENT_SUMMARIES) == set(EventKind)
    assert len(set(EVENT_SUMMARIES.values())) == len(EventKind)


def test_event_summary_adds_the_detail_only_where_it_belongs():
    assert event_summary(EventKind.OFFER_ACCEPTED.value, "Brand refresh") == "Hired: Brand refresh"
    assert event_summary(EventKind.EDITED.value, "ignored") == "Profile edited"


async def test_record_event_stores_the_kind_and_reads_back_as_a_sentence(company):
    contact = await make_contact(company, name="Ada Lovelace", email="ada@example.com")
    async with write_transaction():
        await record_event(company.principal.company_id, contact.id, EventKind.OFFER_SENT, "Dana", "Audit")
    history = await contact_history(company.principal.company_id, contact.id)
    assert (history[0].kind, history[0].summary, history[0].actor) == ("offer_sent", "Job offer sent: Audit", "Dana")
