"""The Talent Pool page (/)."""

from __future__ import annotations

import reflex as rx

from ..components.contact_form import contact_dialog
from ..components.contacts_table import bulk_delete_dialog, contacts_table
from ..components.layout import app_shell
from ..components.toolbar import toolbar
from ..states.contact_form import AddContactState
from ..states.pool import PoolState


def page_header() -> rx.Component:
    """Title, total and the page's main actions."""
    return rx.flex(
        rx.vstack(
            rx.heading("Talent Pool", as_="h1", size="7", weight="bold"),
            rx.text(PoolState.pool_total_text, size="2", color=rx.color("gray", 11)),
            spacing="1",
        ),
        rx.spacer(),
        # The invite actions join "Add contact" here.
        rx.cond(
            ~PoolState.pool_is_empty,
            rx.hstack(
                rx.button(
                    rx.icon("user_plus", size=16),
                    "Add contact",
                    on_click=AddContactState.open_dialog,
                    size="2",
                ),
                spacing="2",
                align="center",
            ),
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
            rx.cond(~PoolState.pool_is_empty, toolbar()),
            contacts_table(),
            spacing="5",
            width="100%",
        ),
        contact_dialog(
            AddContactState,
            title="Add contact",
            description="Add someone your company already trusts to your Talent Pool.",
            submit_label="Add contact",
            prefix="add-contact",
        ),
        bulk_delete_dialog(),
        active="pool",
    )
