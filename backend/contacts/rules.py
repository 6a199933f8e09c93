"""Rules on what a company may change about a contact once a person is (or may be) behind it."""

from backend.errors import RuleViolation
from shared.contacts import ContactStatus
from shared.problems import FieldError

# Statuses the person reached by answering (or applying): a worker account is behind the contact.
ANSWERED = {ContactStatus.ACTIVE, ContactStatus.DECLINED, ContactStatus.APPLIED, ContactStatus.REJECTED}


def _refuse(code: str, message: str) -> RuleViolation:
    return RuleViolation(code=code, errors=[FieldError(field="email", message=message, code=code)])


def check_email_change(status: ContactStatus, worker_id: int | None) -> None:
    """Refuse a new email where offers and the portal would part ways; starting over is a new invitation.

    While an invitation is out the answer is the same whatever kind it is (a sign-up link or a
    connection request), so the refusal does not tell whether the email has a worker account.
    """
    if status is ContactStatus.INVITED:
        raise _refuse(
            "email_invitation_pending",
            "An invitation is out to this email. To use another one, revoke the invitation, change the email, then resend.",
        )
    if status in ANSWERED and worker_id is not None:
        raise _refuse(
            "email_linked_to_worker",
            "This contact's email belongs to the worker account that answered, so it can't be changed. "
            "To use another email, invite it as a new contact (you can delete this one).",
        )


def worker_account_shown(status: str, worker_id: int | None) -> bool | None:
    """Whether an active contact has a worker account; None for every other status.

    An invited contact may stand for a connection request: telling the company would reveal which
    emails have an account, so only contacts who are active (whose account answered) say it.
    """
    if status != ContactStatus.ACTIVE.value:
        return None
    return worker_id is not None
