"""Tables of trusted contacts, their tags, history, files and the invitations sent to them."""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from backend.accounts.tables import Company, CompanyUser
from backend.workers.tables import Worker
from shared.contacts import ContactSource, ContactStatus, EventKind
from shared.invitations import InvitationKind, InvitationState

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class Contact(Table):
    """A trusted contact in one company's pool; email is normalised and unique per company."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    name = Varchar(length=200)
    email = Varchar(length=320)
    status = Varchar(length=32, choices=ContactStatus)
    source = Varchar(length=32, choices=ContactSource)
    links = JSON(default="[]")
    notes = Text(default="")
    # Lower-cased name, email and tags: what search-as-you-type matches against.
    search_text = Text(default="")
    created_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    # The worker account behind this contact, once known (invited existing worker, or after sign-up).
    worker = ForeignKey(references=Worker, on_delete=OnDelete.set_null, null=True)
    # The invitation link an applicant came through. Named lazily: the links package builds on contacts.
    invitation_link: ForeignKey = ForeignKey(
        references=LazyTableReference("InvitationLink", module_path="backend.links.tables"),
        on_delete=OnDelete.set_null,
        null=True,
        default=None,
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    last_activity_at = Timestamptz(default=TimestamptzNow())
    # The last job the contact was hired for (an accepted offer's title) and when it was accepted.
    last_engagement = Varchar(length=200, null=True, default=None)
    last_engaged_at = Timestamptz(null=True, default=None)
    # Why the last email to the contact could not be delivered, and when the sender gave up on it;
    # cleared when a new invitation goes out.
    email_error = Text(default="")
    email_failed_at = Timestamptz(null=True, default=None)


class Tag(Table):
    """A normalised skill tag, unique per company."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    name = Varchar(length=50)


class ContactTag(Table):
    """Which contact carries which tag."""

    id: Serial

    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade)
    tag = ForeignKey(references=Tag, on_delete=OnDelete.cascade)


class ContactEvent(Table):
    """One line of a contact's history: invitations, answers, edits."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=40, choices=EventKind)
    actor = Varchar(length=200, default="")
    detail = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ContactFileRecord(Table, tablename="contact_file"):
    """A file kept on a contact; the bytes live in the file store under `storage_key`."""

    id: Serial

    company = ForeignKey(references=Company, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=Contact, on_delete=OnDelete.cascade, index=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    storage_key = Varchar(length=100, unique=True)
    uploaded_by = ForeignKey(references=CompanyUser, on_delete=OnDelete.set_null, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class Invitation(Table):
    """One invitation sent to a contact; a resend supersedes it with a new one."""

    id: Serial

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
    # How many reminders of this invitation have been queued: raised by one conditional UPDATE per reminder,
    # so two senders never send the same one (backend/reminders/sending.py).
    reminders_sent = Integer(default=0)
