"""The Activity page (/activity): who changed what in the company, and when."""

from __future__ import annotations

import reflex as rx

from ..components.callouts import load_error
from ..components.fields import error_attrs, field_error, field_label
from ..components.layout import app_shell
from ..components.pager import pager_buttons
from ..states.activity import ALL, ActivityRow, ActivityState


def _select(label: str, field_id: str, value, options, on_change, all_label: str) -> rx.Component:
    return rx.flex(
        field_label(label, field_id),
        rx.select.root(
            rx.select.trigger(id=field_id, aria_label=label, width="100%"),
            rx.select.content(
                rx.select.item(all_label, value=ALL),
                rx.foreach(options, lambda option: rx.select.item(option[1], value=option[0])),
            ),
            value=value,
            on_change=on_change,
        ),
        direction="column",
        spacing="1",
        class_name="activity-filter",
    )


def _date(label: str, field_id: str, value, on_change, error) -> rx.Component:
    return rx.flex(
        field_label(label, field_id),
        rx.input(
            id=field_id,
            type="date",
            value=value,
            on_change=on_change,
            **error_attrs(error, field_id),
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        class_name="activity-filter",
    )


def filters() -> rx.Component:
    """Person, kind and date range; Clear filters when any is set."""
    return rx.flex(
        _select(
            "Person", "activity-person", ActivityState.actor, ActivityState.people, ActivityState.set_actor, "Everyone"
        ),
        _select(
            "Action",
            "activity-kind",
            ActivityState.kind,
            ActivityState.kind_options,
            ActivityState.set_kind,
            "All actions",
        ),
        _date(
            "From",
            "activity-from",
            ActivityState.date_from,
            ActivityState.set_date_from,
            ActivityState.errors.get("date_from", ""),
        ),
        _date(
            "To",
            "activity-to",
            ActivityState.date_to,
            ActivityState.set_date_to,
            ActivityState.errors.get("date_to", ""),
        ),
        rx.cond(
            ActivityState.filtered,
            rx.button(
                rx.icon("x", size=14),
                "Clear filters",
                on_click=ActivityState.clear_filters,
                variant="ghost",
                color_scheme="gray",
                size="2",
                margin_top="22px",
            ),
        ),
        gap="12px",
        wrap="wrap",
        align="start",
        width="100%",
    )


def activity_item(row: ActivityRow) -> rx.Component:
    """One change: what, to what, who, and when."""
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.badge(row.label, variant="soft", color_scheme="indigo", size="1"),
                    rx.text(
                        row.subject,
                        size="2",
                        weight="medium",
                        color=rx.color("gray", 12),
                        class_name="activity-subject",
                    ),
                    align="center",
                    spacing="2",
                    min_width="0",
                    wrap="wrap",
                ),
                rx.cond(row.detail != "", rx.text(row.detail, size="2", color=rx.color("gray", 11))),
                spacing="1",
                class_name="activity-main",
            ),
            rx.vstack(
                rx.text(row.actor, size="2", weight="medium", color=rx.color("gray", 12)),
                rx.el.time(row.when, title=row.when_exact, class_name="activity-when"),
                spacing="0",
                align="end",
                class_name="activity-meta",
            ),
            gap="12px",
            justify="between",
            wrap="wrap",
            width="100%",
        ),
        class_name="activity-item",
    )


def activity_list() -> rx.Component:
    """The page of changes, or why there is none."""
    return rx.cond(
        ActivityState.load_error != "",
        load_error("the activity log", ActivityState.load_error, ActivityState.reload),
        rx.cond(
            ActivityState.rows.length() > 0,
            rx.el.ul(rx.foreach(ActivityState.rows, activity_item), class_name="activity-list", aria_label="Activity"),
            rx.center(
                rx.text(
                    rx.cond(
                        ActivityState.loading,
                        "Loading…",
                        rx.cond(ActivityState.filtered, "No changes match these filters.", "No changes yet."),
                    ),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                padding="40px",
                width="100%",
            ),
        ),
    )


def activity_page() -> rx.Component:
    """The company's activity log."""
    return app_shell(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading("Activity", as_="h1", size="7", weight="bold"),
                    rx.text("Who changed what in your company, newest first.", size="2", color=rx.color("gray", 11)),
                    spacing="1",
                ),
                rx.spacer(),
                rx.button(
                    rx.icon("download", size=16),
                    "Export CSV",
                    on_click=ActivityState.export_csv,
                    loading=ActivityState.exporting,
                    variant="surface",
                ),
                align="center",
                gap="12px",
                wrap="wrap",
                width="100%",
            ),
            rx.card(
                rx.vstack(
                    filters(),
                    rx.separator(size="4"),
                    activity_list(),
                    rx.flex(
                        rx.text(ActivityState.range_text, size="2", color=rx.color("gray", 11)),
                        rx.spacer(),
                        pager_buttons(
                            on_previous=ActivityState.previous_page,
                            on_next=ActivityState.next_page,
                            has_previous=ActivityState.has_previous,
                            has_next=ActivityState.has_next,
                            of="changes",
                        ),
                        align="center",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                ),
                size="3",
                width="100%",
            ),
            spacing="5",
            width="100%",
        ),
        active="activity",
    )
