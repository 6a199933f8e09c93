"""The Team page's rows: who may be changed or removed by whom, and how an invitation's link time reads."""

from datetime import UTC, datetime, timedelta

import pytest

from frontend.talent_pool.states.team import invitation_row, member_row
from shared.team import TeamInvitationPublic, TeamMemberPublic, TeamRole

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _member(role: TeamRole, is_you: bool = False) -> TeamMemberPublic:
    return TeamMemberPublic(id=7, name="Mia", email="mia@example.com", role=role, joined_at=NOW, is_you=is_you)


@pytest.mark.parametrize(
    ("my_role", "their_role", "is_you", "editable"),
    [
        ("owner", TeamRole.OWNER, False, True),
        ("owner", TeamRole.MEMBER, False, True),
        ("admin", TeamRole.OWNER, False, False),
        ("admin", TeamRole.ADMIN, False, True),
        ("admin", TeamRole.MEMBER, False, True),
        ("owner", TeamRole.OWNER, True, False),
    ],
)
def test_member_row_editable_by_role(my_role, their_role, is_you, editable):
    row = member_row(_member(their_role, is_you), my_role)
    assert row.editable is editable
    assert row.role == their_role.value and row.role_label == their_role.value.title()


def test_invitation_row_expired_or_not():
    invitation = TeamInvitationPublic(
        id=1,
        email="nina@example.com",
        name="",
        role=TeamRole.ADMIN,
        invited_by="Olivia",
        created_at=NOW - timedelta(days=20),
        expires_at=NOW - timedelta(days=6),
    )
    expired = invitation_row(invitation, now=NOW)
    assert expired.expired and "link expired" in expired.sent_text and "Invited by Olivia" in expired.sent_text
    live = invitation_row(invitation, now=NOW - timedelta(days=10))
    assert not live.expired and "link works until" in live.sent_text and live.role_label == "Admin"
