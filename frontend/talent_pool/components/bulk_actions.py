"""Actions on the ticked rows of the Talent Pool: the bar and its confirmations."""

from __future__ import annotations

import reflex as rx

from ..states.pool_bulk import PoolBulkState
from ..states.pool_decisions import PoolDecisionState
from .confirm import confirm_dialog


def bulk_bar() -> rx.Component:
    """Actions for the ticked rows."""
    return rx.cond(
        PoolBulkState.selected_count > 0,
        rx.flex(
            rx.text(PoolBulkState.selected_text, size="2", weight="medium"),
            rx.button(
                rx.icon("send", size=14),
                "Resend",
                on_click=PoolBulkState.resend_selected,
                loading=PoolBulkState.resending,
                variant="soft",
                size="1",
                title="Send a fresh invitation link to the selected people",
            ),
            rx.button(
                rx.icon("ban", size=14),
                "Revoke",
                on_click=PoolBulkState.set_confirm_revoke_open(True),
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
                size="1",
                title="Withdraw the selected people's pending invitations",
            ),
            rx.button(
                rx.icon("check", size=14),
                "Approve",
                on_click=PoolDecisionState.approve_selected,
                loading=PoolDecisionState.deciding == "approve",
                disabled=~PoolDecisionState.can_approve_selected,
                variant="soft",
                color_scheme="green",
                high_contrast=True,
                size="1",
                title=rx.cond(
                    PoolDecisionState.can_approve_selected,
                    "Let the selected applicants into your Talent Pool",
                    "None of the selected is an applicant with a confirmed email",
                ),
            ),
            rx.button(
                rx.icon("x", size=14),
                "Reject",
                on_click=PoolDecisionState.ask_reject_selected,
                disabled=~PoolDecisionState.has_applicant_selected,
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
                size="1",
                title="Turn down the selected applicants",
            ),
            rx.button(
                rx.icon("trash_2", size=14),
                "Delete",
                on_click=PoolBulkState.set_confirm_delete_open(True),
                color_scheme="red",
                variant="soft",
                high_contrast=True,
                size="1",
            ),
            rx.spacer(),
            rx.button(
                "Clear selection",
                on_click=PoolBulkState.clear_selection,
                variant="ghost",
                color_scheme="gray",
                size="1",
            ),
            align="center",
            spacing="3",
            padding="10px 16px",
            background=rx.color("accent", 2),
            border_bottom=f"1px solid {rx.color('accent', 5)}",
            role="region",
            aria_label="Bulk actions",
        ),
    )


def bulk_delete_dialog() -> rx.Component:
    """Asks before deleting the ticked contacts."""
    return confirm_dialog(
        PoolBulkState.delete_question,
        ("They are removed from your Talent Pool with their tags, links and notes. This cannot be undone."),
        "Delete",
        on_confirm=PoolBulkState.delete_selected,
        loading=PoolBulkState.deleting,
        open=PoolBulkState.confirm_delete_open,
        on_open_change=PoolBulkState.set_confirm_delete_open,
    )


def bulk_revoke_dialog() -> rx.Component:
    """Asks before withdrawing the ticked contacts' invitations."""
    return confirm_dialog(
        PoolBulkState.revoke_question,
        (
            "Their invitation links stop working at once. Contacts without a pending "
            "invitation are skipped. You can resend an invitation later."
        ),
        "Revoke",
        on_confirm=PoolBulkState.revoke_selected,
        loading=PoolBulkState.revoking,
        open=PoolBulkState.confirm_revoke_open,
        on_open_change=PoolBulkState.set_confirm_revoke_open,
    )


def reject_dialog() -> rx.Component:
    """Asks before rejecting applicants (from a row or the ticked rows), naming them."""
    return confirm_dialog(
        PoolDecisionState.reject_question,
        PoolDecisionState.reject_description,
        "Reject",
        on_confirm=PoolDecisionState.reject_confirmed,
        loading=PoolDecisionState.deciding == "reject",
        open=PoolDecisionState.confirm_reject_open,
        on_open_change=PoolDecisionState.set_confirm_reject_open,
    )
