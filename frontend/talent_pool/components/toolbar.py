"""The Talent Pool toolbar: search, status and tag filters, sorting and active filter chips."""

from __future__ import annotations

import reflex as rx

from ..display import SORT_OPTIONS
from ..states.pool import SEARCH_DEBOUNCE_MS, PoolState
from ..states.pool_rows import StatusOption
from ..states.pool_tags import PoolTagsState, TagOption
from ..states.pool_url import SEARCH_BOX_ID
from .badges import removable_chip, status_badge


def search_box() -> rx.Component:
    """Search as you type, by name, email or tag."""
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        # Not bound to the state: what is typed before the page is ready stays (load_pool shows the URL's search).
        on_change=PoolState.set_query.debounce(SEARCH_DEBOUNCE_MS),
        id=SEARCH_BOX_ID,
        placeholder="Search by name, email or tag",
        aria_label="Search contacts",
        type="search",
        size="2",
        width="100%",
        max_width="340px",
        min_width="220px",
        # Grows before the spacer that pushes Sort to the right.
        flex="3",
    )


def status_choice(option: StatusOption) -> rx.Component:
    """One status in the filter: a checkbox, its badge and its count."""
    return rx.el.label(
        rx.checkbox(
            checked=PoolState.statuses.contains(option.value),
            on_change=lambda checked: PoolState.toggle_status(option.value, checked),
            aria_label=option.label,
        ),
        status_badge(option.value, option.label, size="1"),
        rx.spacer(),
        rx.text(option.count, size="1", color=rx.color("gray", 11), aria_hidden="true"),
        class_name="menu-row",
    )


def status_filter() -> rx.Component:
    """Pick any number of statuses; each shows how many contacts have it."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("list_filter", size=16),
                PoolState.status_filter_text,
                rx.icon("chevron_down", size=14),
                variant=rx.cond(PoolState.statuses.length() > 0, "soft", "surface"),
                color_scheme=rx.cond(PoolState.statuses.length() > 0, "indigo", "gray"),
                aria_label="Filter by status",
            ),
        ),
        rx.popover.content(
            rx.text("Status", size="1", weight="medium", color=rx.color("gray", 11), padding="4px 8px"),
            rx.foreach(PoolState.status_options, status_choice),
            width="260px",
            padding="8px",
            align="start",
            aria_label="Status filter",
        ),
    )


def tag_choice(option: TagOption) -> rx.Component:
    """A suggested tag; choosing it adds it to the filter."""
    return rx.el.button(
        rx.icon("tag", size=14, color=rx.color("gray", 11)),
        rx.text(option.name, size="2", as_="span"),
        rx.spacer(),
        rx.text(option.count, size="1", color=rx.color("gray", 11), as_="span", aria_hidden="true"),
        on_click=PoolTagsState.add_tag_filter(option.name),
        type="button",
        class_name="menu-row menu-button",
    )


def tag_filter() -> rx.Component:
    """Find tags by typing; contacts must have every chosen tag."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("tag", size=16),
                rx.cond(
                    PoolState.tags.length() > 0,
                    "Tags: " + PoolState.tags.length().to_string(),
                    "Tags",
                ),
                rx.icon("chevron_down", size=14),
                variant=rx.cond(PoolState.tags.length() > 0, "soft", "surface"),
                color_scheme=rx.cond(PoolState.tags.length() > 0, "indigo", "gray"),
                aria_label="Filter by tag",
            ),
        ),
        rx.popover.content(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                value=PoolTagsState.tag_query,
                on_change=PoolTagsState.search_tags,
                on_key_down=PoolTagsState.add_typed_tag,
                debounce_timeout=200,
                placeholder="Type to find a tag",
                aria_label="Find a tag",
                size="2",
                auto_focus=True,
            ),
            rx.scroll_area(
                rx.cond(
                    PoolTagsState.tag_options.length() > 0,
                    rx.flex(rx.foreach(PoolTagsState.tag_options, tag_choice), direction="column"),
                    rx.text("No tags found", size="2", color=rx.color("gray", 11), padding="8px"),
                ),
                type="auto",
                scrollbars="vertical",
                max_height="260px",
                margin_top="8px",
            ),
            width="280px",
            padding="8px",
            align="start",
            aria_label="Tag filter",
        ),
        on_open_change=PoolTagsState.open_tag_picker,
    )


def worked_before_filter() -> rx.Component:
    """Only contacts the company hired before."""
    return rx.el.label(
        rx.checkbox(
            checked=PoolState.worked_before,
            on_change=PoolState.set_worked_before,
            aria_label="Worked with before",
        ),
        rx.text("Worked with before", size="2", weight="medium", as_="span"),
        class_name=rx.cond(PoolState.worked_before, "toggle-filter toggle-filter-on", "toggle-filter"),
    )


def email_failed_filter() -> rx.Component:
    """Only contacts whose email could not be delivered; shown while there are some (or the filter is on)."""
    return rx.cond(
        (PoolState.email_failure_count > 0) | PoolState.email_failed,
        rx.el.label(
            rx.checkbox(
                checked=PoolState.email_failed,
                on_change=PoolState.set_email_failed,
                color_scheme="red",
                aria_label="Email failed",
            ),
            rx.text("Email failed", size="2", weight="medium", as_="span"),
            rx.badge(PoolState.email_failure_count.to_string(), color_scheme="red", variant="solid", radius="full"),
            class_name=rx.cond(PoolState.email_failed, "toggle-filter toggle-filter-on", "toggle-filter"),
        ),
    )


def sort_select() -> rx.Component:
    """How the table is ordered."""
    return rx.select.root(
        rx.select.trigger(aria_label="Sort by", min_width="180px"),
        rx.select.content(
            rx.select.group(
                rx.select.label("Sort by"),
                *[rx.select.item(label, value=value) for value, label in SORT_OPTIONS],
            ),
        ),
        value=PoolState.sort,
        on_change=PoolState.set_sort,
    )


def active_filters() -> rx.Component:
    """Chosen statuses and tags as removable chips, with a way to clear them all."""
    return rx.cond(
        PoolState.has_filters,
        rx.flex(
            rx.foreach(
                PoolState.selected_statuses,
                lambda option: removable_chip(
                    "Status: " + option.label,
                    PoolState.remove_status(option.value),
                    "Remove status filter " + option.label,
                ),
            ),
            rx.foreach(
                PoolState.tags,
                lambda tag: removable_chip(
                    "Tag: " + tag,
                    PoolState.remove_tag_filter(tag),
                    "Remove tag filter " + tag,
                ),
            ),
            rx.cond(
                PoolState.worked_before,
                removable_chip(
                    "Worked with before",
                    PoolState.set_worked_before(False),
                    "Remove filter Worked with before",
                ),
            ),
            rx.cond(
                PoolState.email_failed,
                removable_chip("Email failed", PoolState.set_email_failed(False), "Remove filter Email failed"),
            ),
            rx.button(
                "Clear all",
                on_click=PoolState.clear_filters,
                variant="ghost",
                size="1",
                color_scheme="gray",
            ),
            wrap="wrap",
            spacing="2",
            align="center",
        ),
    )


def toolbar(display: rx.Var | str = "flex") -> rx.Component:
    """Search, filters and sort above the table."""
    return rx.flex(
        rx.flex(
            search_box(),
            status_filter(),
            tag_filter(),
            worked_before_filter(),
            email_failed_filter(),
            rx.spacer(),
            rx.hstack(
                rx.text("Sort", size="2", color=rx.color("gray", 11), aria_hidden="true"),
                sort_select(),
                align="center",
                spacing="2",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        active_filters(),
        direction="column",
        spacing="3",
        width="100%",
        display=display,
    )
