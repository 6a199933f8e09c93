"""The Talent Pool table: rows, sortable headers, selection, paging and its empty states."""

from __future__ import annotations

import reflex as rx

from ..display import PAGE_SIZES
from ..states.contact_form import AddContactState
from ..states.pool import PoolState
from ..states.pool_bulk import PoolBulkState
from . import callouts
from .bulk_actions import bulk_bar
from .contact_row import COLUMN_COUNT, contact_row, skeleton_row
from .pager import pager_buttons

SKELETON_ROWS = 8


def sort_icon(column: str) -> rx.Component:
    """An arrow showing whether (and which way) the table is sorted by this column."""
    return rx.cond(
        PoolState.sort_column == column,
        rx.cond(
            PoolState.sort_descending,
            rx.icon("arrow_down", size=14),
            rx.icon("arrow_up", size=14),
        ),
        rx.icon("chevrons_up_down", size=14, opacity="0.45"),
    )


def _aria_sort(*columns: str) -> rx.Var:
    """`aria-sort` of a header cell that sorts by any of `columns`."""
    active = PoolState.sort_column == columns[0]
    for column in columns[1:]:
        active = active | (PoolState.sort_column == column)
    return rx.cond(active, rx.cond(PoolState.sort_descending, "descending", "ascending"), "none")


def sort_button(label: str, column: str) -> rx.Component:
    """A button in a column header that sorts the table by `column`."""
    return rx.el.button(
        label,
        sort_icon(column),
        on_click=PoolState.sort_by_column(column),
        type="button",
        class_name="sort-button",
    )


def sortable_header(label: str, column: str, width: str | None = None, class_name: str = "") -> rx.Component:
    """A column header that sorts the table by its column when clicked."""
    sizing = {"width": width} if width else {}
    return rx.table.column_header_cell(
        sort_button(label, column),
        custom_attrs={"aria-sort": _aria_sort(column)},
        class_name=class_name,
        **sizing,
    )


def plain_header(label: str, width: str | None = None, class_name: str = "") -> rx.Component:
    """A column header that does not sort."""
    sizing = {"width": width} if width else {}
    return rx.table.column_header_cell(
        rx.text(label, size="2", weight="medium", color=rx.color("gray", 11)), class_name=class_name, **sizing
    )


def table_header() -> rx.Component:
    """Select-all box and the column names; the name and the email share a column, sortable by either.

    Fixed widths suit each column's content; the name column takes what is left, so names and emails
    are cut only when they are longer than the window allows (the full text is in their tooltip).
    """
    return rx.table.header(
        rx.table.row(
            rx.table.column_header_cell(
                rx.checkbox(
                    checked=PoolBulkState.all_selected,
                    on_change=PoolBulkState.toggle_all,
                    disabled=PoolState.rows.length() == 0,
                    aria_label="Select all contacts on this page",
                ),
                width="44px",
            ),
            rx.table.column_header_cell(
                rx.hstack(
                    sort_button("Name", "name"),
                    rx.text("·", size="2", color=rx.color("gray", 9), aria_hidden="true"),
                    sort_button("Email", "email"),
                    spacing="2",
                    align="center",
                ),
                custom_attrs={"aria-sort": _aria_sort("name", "email")},
                class_name="col-name",
            ),
            plain_header("Tags", width="15%", class_name="col-tags"),
            sortable_header("Status", "status", width="128px", class_name="col-status"),
            plain_header("Source", width="104px", class_name="col-source"),
            plain_header("Last engagement", width="136px", class_name="col-engagement"),
            sortable_header("Last activity", "last_activity", width="128px", class_name="col-activity"),
        ),
    )


def table_message(*children: rx.Component) -> rx.Component:
    """A full-width row with a message instead of contacts."""
    return rx.table.row(
        rx.table.cell(
            rx.center(
                rx.vstack(*children, align="center", spacing="3"),
                padding_y="56px",
            ),
            col_span=COLUMN_COUNT,
        ),
    )


def no_matches() -> rx.Component:
    """Filters are on and nothing matches."""
    return table_message(
        rx.center(
            rx.icon("search_x", size=28, color=rx.color("gray", 11)),
            width="56px",
            height="56px",
            border_radius="9999px",
            background=rx.color("gray", 3),
        ),
        rx.heading("No contacts match", size="4", as_="h2"),
        rx.text(
            "Try a different search, or remove some filters.",
            size="2",
            color=rx.color("gray", 11),
        ),
        rx.button("Clear filters", on_click=PoolState.clear_filters, variant="soft"),
    )


def table_body() -> rx.Component:
    """Skeletons on the first load, then the rows or a no-match message."""
    return rx.table.body(
        rx.cond(
            PoolState.loaded,
            rx.cond(
                PoolState.no_matches,
                no_matches(),
                rx.foreach(PoolState.rows, contact_row),
            ),
            rx.foreach(list(range(SKELETON_ROWS)), skeleton_row),
        ),
        opacity=rx.cond(PoolState.loading & PoolState.loaded, "0.55", "1"),
        transition="opacity 120ms",
    )


def pagination() -> rx.Component:
    """ "Showing 1–25 of 1,234", rows per page and Previous / Next."""
    return rx.flex(
        rx.hstack(
            rx.text(PoolState.showing_text, size="2", color=rx.color("gray", 11), aria_live="polite"),
            rx.cond(PoolState.loading & PoolState.loaded, rx.spinner(size="1")),
            align="center",
            spacing="2",
        ),
        rx.spacer(),
        rx.hstack(
            rx.text("Rows per page", size="2", color=rx.color("gray", 11), aria_hidden="true"),
            rx.select.root(
                rx.select.trigger(aria_label="Rows per page", variant="surface"),
                rx.select.content(*[rx.select.item(size, value=size) for size in PAGE_SIZES]),
                value=PoolState.page_size_value,
                on_change=PoolState.set_page_size,
                size="1",
            ),
            align="center",
            spacing="2",
        ),
        rx.text(PoolState.page_text, size="2", color=rx.color("gray", 11)),
        pager_buttons(
            on_previous=PoolState.previous_page,
            on_next=PoolState.next_page,
            has_previous=PoolState.has_previous,
            has_next=PoolState.has_next,
        ),
        align="center",
        spacing="5",
        padding="12px 16px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        wrap="wrap",
    )


def load_error() -> rx.Component:
    """The page could not be loaded: say so and offer to retry."""
    return callouts.load_error("your Talent Pool", PoolState.error, PoolState.reload)


def empty_pool() -> rx.Component:
    """The company has no contacts yet."""
    return rx.card(
        rx.center(
            rx.vstack(
                rx.box(
                    rx.center(
                        rx.icon("users_round", size=34, color=rx.color("accent", 11)),
                        width="76px",
                        height="76px",
                        border_radius="24px",
                        background=rx.color("accent", 3),
                        border=f"1px solid {rx.color('accent', 5)}",
                    ),
                    rx.center(
                        rx.icon("plus", size=16, color="white"),
                        width="28px",
                        height="28px",
                        border_radius="9999px",
                        background=rx.color("accent", 9),
                        border="3px solid white",
                        position="absolute",
                        right="-8px",
                        bottom="-8px",
                    ),
                    position="relative",
                    aria_hidden="true",
                ),
                rx.heading("Your Talent Pool is empty", size="5", as_="h2", margin_top="8px"),
                rx.text(
                    "Keep the freelancers your company already trusts in one place. "
                    "Invite your first trusted contact by email (Invite, above) to get started.",
                    size="2",
                    color=rx.color("gray", 11),
                    text_align="center",
                    max_width="420px",
                ),
                rx.button(
                    rx.icon("user_plus", size=16),
                    "Add without inviting",
                    on_click=AddContactState.open_dialog,
                    size="3",
                    variant="soft",
                    color_scheme="gray",
                    margin_top="8px",
                ),
                align="center",
                spacing="3",
            ),
            padding_y="72px",
        ),
        size="3",
        width="100%",
    )


def empty_pool_shown() -> rx.Var:
    """The pool is empty as this page load found it.

    A page load first shows the state the tab last had (possibly an empty pool since filled); the flag
    `is_hydrated` turns true only once the page's own load has run.
    """
    return PoolState.pool_is_empty & rx.State.is_hydrated


def contacts_table() -> rx.Component:
    """The table card, or the empty pool, or the load error."""
    return rx.cond(
        PoolState.error != "",
        load_error(),
        rx.cond(
            empty_pool_shown(),
            empty_pool(),
            rx.card(
                bulk_bar(),
                rx.table.root(
                    table_header(),
                    table_body(),
                    variant="ghost",
                    size="2",
                    width="100%",
                    class_name="contacts-table",
                    aria_label="Contacts",
                ),
                pagination(),
                size="1",
                padding="0",
                width="100%",
                overflow="hidden",
            ),
        ),
    )
