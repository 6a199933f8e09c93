"""The Talent Pool page (/)."""

from __future__ import annotations

import reflex as rx

from ..components.bulk_actions import bulk_delete_dialog, bulk_revoke_dialog, reject_dialog
from ..components.contact_form import contact_dialog
from ..components.contacts_table import contacts_table, empty_pool_shown
from ..components.csv_import_dialog import csv_import_dialog
from ..components.csv_progress import import_banner
from ..components.email_fix import email_fix_dialog
from ..components.invite_form import invite_dialog
from ..components.jobs import hire_dialog
from ..components.layout import app_shell
from ..components.links_dialog import links_dialog
from ..components.live_ticker import live_ticker
from ..components.toolbar import toolbar
from ..states.contact_form import AddContactState
from ..states.csv_upload import CsvUploadState
from ..states.invite import InviteState
from ..states.links import LinksState
from ..states.pool import PoolState
from ..states.pool_live import LIVE_INTERVAL_MS, PoolLiveState
from ..states.session import SessionState


def more_actions_menu() -> rx.Component:
    """The ⋯ menu beside Invite: the other ways to bring people in."""
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=18),
                variant="surface",
                color_scheme="gray",
                size="2",
                aria_label="More actions",
            ),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(
                rx.icon("file_up", size=16),
                "Upload CSV",
                on_select=CsvUploadState.open_dialog,
            ),
            # Invitation links are managed by Owners and Admins (the BFF refuses Members anyway).
            rx.cond(
                SessionState.can_manage_team,
                rx.dropdown_menu.item(
                    rx.icon("link", size=16),
                    "Invitation link",
                    on_select=LinksState.open_dialog,
                ),
            ),
            rx.dropdown_menu.item(
                rx.icon("user_plus", size=16),
                "Add without inviting",
                on_select=AddContactState.open_dialog,
            ),
            align="end",
            min_width="220px",
        ),
    )


def page_header() -> rx.Component:
    """Title, total and the page's main actions."""
    return rx.flex(
        rx.vstack(
            rx.heading("Talent Pool", as_="h1", size="7", weight="bold"),
            rx.text(PoolState.pool_total_text, size="2", color=rx.color("gray", 11)),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(
            # Invite and the ⋯ menu stay together, also while the pool is empty.
            rx.button(
                rx.icon("send", size=16),
                "Invite",
                on_click=InviteState.open_dialog,
                size="2",
            ),
            more_actions_menu(),
            spacing="2",
            align="center",
        ),
        align="end",
        spacing="4",
        width="100%",
    )


def pool_page() -> rx.Component:
    """The company's trusted contacts."""
    return app_shell(
        rx.vstack(
            page_header(),
            import_banner(),
            # Hidden, not removed, while the pool is empty: a search box built anew would lose what was typed.
            toolbar(display=rx.cond(empty_pool_shown(), "none", "flex")),
            contacts_table(),
            live_ticker(interval_ms=LIVE_INTERVAL_MS, on_tick=PoolLiveState.check_for_changes),
            spacing="5",
            width="100%",
        ),
        invite_dialog(),
        links_dialog(),
        csv_import_dialog(),
        contact_dialog(
            AddContactState,
            title="Add a contact without inviting",
            description=(
                "Keep someone your company trusts in your Talent Pool without sending them an email. "
                "They show as not invited until you send an invitation with Invite on their row or profile."
            ),
            submit_label="Add contact",
            prefix="add-contact",
        ),
        bulk_delete_dialog(),
        bulk_revoke_dialog(),
        reject_dialog(),
        email_fix_dialog(),
        hire_dialog(),
        active="pool",
    )
