"""One row of the Talent Pool table: its cells (name and email, tags, status with the applicant's
decisions, last engagement) and the skeleton row shown while the page loads."""

from __future__ import annotations

import reflex as rx

from ..states.hire import HireState
from ..states.pool import PoolState
from ..states.pool_bulk import PoolBulkState
from ..states.pool_decisions import PoolDecisionState
from ..states.pool_rows import ContactRow
from .badges import status_badge, tag_chip
from .email_fix import correct_address_button, delivery_line, email_failed_text

COLUMN_COUNT = 7


def tag_cell(row: ContactRow) -> rx.Component:
    """Up to three tags, then "+N"."""
    return rx.flex(
        rx.foreach(row.tags_shown, lambda tag: tag_chip(tag)),
        rx.cond(
            row.tags_more > 0,
            rx.badge(
                "+" + row.tags_more.to_string(),
                variant="soft",
                color_scheme="gray",
                size="1",
                radius="full",
                title=row.tags_more.to_string() + " more tags",
            ),
        ),
        rx.cond(
            (row.tags_shown.length() == 0),
            rx.text("—", size="2", color=rx.color("gray", 8)),
        ),
        spacing="1",
        wrap="wrap",
        align="center",
    )


def engagement_cell(row: ContactRow) -> rx.Component:
    """The last job the contact was hired for and when, or an em dash."""
    return rx.cond(
        row.last_engagement != "",
        rx.flex(
            rx.text(
                row.last_engagement,
                size="2",
                color=rx.color("gray", 12),
                class_name="truncate",
                width="100%",
                title=row.last_engagement,
            ),
            rx.text(row.last_engaged, size="1", color=rx.color("gray", 11), title=row.last_engaged_exact),
            direction="column",
            spacing="0",
            min_width="0",
        ),
        rx.text("—", size="2", color=rx.color("gray", 8)),
    )


def email_cell(row: ContactRow) -> rx.Component:
    """The email, and why the last email to it failed, with a way to correct the address."""
    return rx.fragment(
        rx.text(row.email, size="2", color=rx.color("gray", 11), class_name="truncate", title=row.email),
        rx.cond(row.delivery != "", delivery_line(row.delivery, row.delivery_exact)),
        rx.cond(
            row.email_error != "",
            rx.flex(
                email_failed_text(row.email_error, clamp=True),
                rx.cond(
                    (row.status == "invited") | (row.status == "expired") | (row.status == "revoked"),
                    correct_address_button(
                        row.id, row.name, row.email, row.email_error, "pool", label="Correct address"
                    ),
                ),
                direction="column",
                align="start",
                spacing="1",
                margin_top="4px",
            ),
        ),
    )


def applicant_buttons(row: ContactRow) -> rx.Component:
    """Approve (only once the applicant confirmed their email; the state above says why not) and Reject (asks first)."""
    return rx.hstack(
        rx.button(
            "Approve",
            on_click=PoolDecisionState.approve_row(row.id),
            loading=PoolDecisionState.approving_id == row.id,
            disabled=~row.approvable,
            size="1",
            variant="soft",
            color_scheme="green",
            high_contrast=True,
            aria_label="Approve " + row.email,
            custom_attrs={"aria-describedby": "email-state-" + row.id.to_string()},
        ),
        rx.button(
            "Reject",
            on_click=PoolDecisionState.ask_reject_row(row.id),
            size="1",
            variant="soft",
            color_scheme="gray",
            high_contrast=True,
            aria_label="Reject " + row.email,
        ),
        spacing="1",
    )


def status_cell(row: ContactRow) -> rx.Component:
    """The status badge, Invite for a contact added by hand, Hire or Re-hire for an active one, and an applicant's email confirmation."""
    return rx.flex(
        status_badge(row.status, row.status_label),
        rx.cond(
            row.status == "not_invited",
            rx.button(
                rx.icon("send", size=12),
                "Invite",
                on_click=PoolBulkState.invite_row(row.id),
                loading=PoolBulkState.inviting_id == row.id,
                size="1",
                variant="soft",
                aria_label="Invite " + row.email,
            ),
        ),
        rx.cond(
            row.status == "active",
            rx.button(
                rx.icon("briefcase_business", size=12),
                rx.cond(row.last_engagement != "", "Re-hire", "Hire"),
                on_click=HireState.open_for_row(row.id),
                size="1",
                variant="soft",
                aria_label=rx.cond(row.last_engagement != "", "Re-hire ", "Hire ") + row.email,
            ),
        ),
        rx.cond(
            row.email_state != "",
            rx.text(
                row.email_state,
                size="1",
                color=rx.cond(row.approvable, rx.color("green", 11), rx.color("gray", 11)),
                id="email-state-" + row.id.to_string(),
            ),
        ),
        rx.cond(row.status == "applied", applicant_buttons(row)),
        direction="column",
        align="start",
        spacing="1",
    )


def contact_row(row: ContactRow) -> rx.Component:
    """One contact in the table."""
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=PoolState.selected_ids.contains(row.id),
                on_change=lambda checked: PoolBulkState.toggle_row(row.id, checked),
                aria_label="Select " + row.email,
            ),
        ),
        rx.table.cell(
            rx.link(
                row.name,
                href=row.href,
                weight="medium",
                color_scheme="gray",
                high_contrast=True,
                underline="hover",
                class_name="row-link truncate",
                display="block",
                title=row.name,
            ),
            email_cell(row),
            class_name="col-name",
        ),
        rx.table.cell(tag_cell(row), class_name="col-tags", custom_attrs={"data-label": "Tags"}),
        rx.table.cell(status_cell(row), class_name="col-status", custom_attrs={"data-label": "Status"}),
        rx.table.cell(
            rx.text(row.source_label, size="2", color=rx.color("gray", 11)),
            class_name="col-source",
            custom_attrs={"data-label": "Source"},
        ),
        rx.table.cell(
            engagement_cell(row), class_name="col-engagement", custom_attrs={"data-label": "Last engagement"}
        ),
        rx.table.cell(
            rx.text(
                row.last_activity,
                size="2",
                color=rx.color("gray", 11),
                title=row.last_activity_exact,
                white_space="nowrap",
            ),
            class_name="col-activity",
            custom_attrs={"data-label": "Last activity"},
        ),
        align="center",
        background=rx.cond(PoolState.selected_ids.contains(row.id), rx.color("accent", 2), "transparent"),
    )


def skeleton_row(_: int) -> rx.Component:
    """A placeholder row while the first page loads."""
    return rx.table.row(
        rx.table.cell(rx.skeleton(rx.box(width="16px", height="16px"))),
        rx.table.cell(
            rx.vstack(
                rx.skeleton(rx.box(width="140px", height="14px")),
                rx.skeleton(rx.box(width="180px", height="12px")),
                spacing="1",
            )
        ),
        rx.table.cell(rx.skeleton(rx.box(width="110px", height="14px"))),
        rx.table.cell(rx.skeleton(rx.box(width="70px", height="18px"))),
        rx.table.cell(rx.skeleton(rx.box(width="90px", height="14px"))),
        rx.table.cell(rx.skeleton(rx.box(width="120px", height="14px"))),
        rx.table.cell(rx.skeleton(rx.box(width="80px", height="14px"))),
    )
