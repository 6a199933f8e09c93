"""A link's funnel in the links dialog: views, sign-ups, confirmed, approved, rejected, the median time
to approval, and a chart of views and sign-ups per day over the last 30 days."""

from __future__ import annotations

import reflex as rx

from ..states.links import LinkCard


def funnel_figure(pair) -> rx.Component:
    """One figure: its number above its name."""
    return rx.vstack(
        rx.text(pair[1], size="3", weight="bold", color=rx.color("gray", 12)),
        rx.text(pair[0], size="1", color=rx.color("gray", 11)),
        spacing="0",
        class_name="funnel-figure",
    )


def funnel_chart(link: LinkCard) -> rx.Component:
    """Views and sign-ups per day, last 30 days (drawn by Recharts)."""
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="views", name="Views", fill=rx.color("indigo", 9), radius=2),
            rx.recharts.bar(data_key="signups", name="Sign-ups", fill=rx.color("grass", 9), radius=2),
            rx.recharts.x_axis(data_key="day", interval="preserveStartEnd", tick_line=False),
            rx.recharts.y_axis(allow_decimals=False, width=28, tick_line=False),
            rx.recharts.graphing_tooltip(),
            rx.recharts.legend(icon_size=10),
            data=link.chart,
            bar_gap=1,
            height=140,
            width="100%",
            margin={"top": 4, "right": 4, "left": 0, "bottom": 0},
        ),
        role="img",
        aria_label=link.chart_label,
        class_name="funnel-chart",
        width="100%",
    )


def link_funnel(link: LinkCard) -> rx.Component:
    """The funnel figures and the 30-day chart of one link."""
    return rx.vstack(
        rx.el.div(
            rx.foreach(link.funnel, funnel_figure),
            class_name="funnel-figures",
            role="group",
            aria_label="Funnel of " + link.label,
        ),
        funnel_chart(link),
        spacing="2",
        width="100%",
    )
