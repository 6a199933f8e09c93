"""The job offer form: one set of fields for Hire, Re-hire and Invite and offer job."""

from __future__ import annotations

import reflex as rx

from ..states.offer_form import RATE_UNIT_OPTIONS, OfferFormMixin
from .fields import error_attrs, form_field, text_field


def _select(field_id: str, value, on_change, items: rx.Component, error) -> rx.Component:
    """A Radix select whose trigger is the labelled control."""
    return rx.select.root(
        rx.select.trigger(
            id=field_id,
            width="100%",
            custom_attrs=error_attrs(error, field_id),
            color=rx.cond(error != "", rx.color("red", 11), rx.color("gray", 12)),
        ),
        items,
        value=value,
        on_change=on_change,
        size="3",
    )


def currency_select(state: type[OfferFormMixin], field_id: str) -> rx.Component:
    """Common ISO 4217 currency codes."""
    return _select(
        field_id,
        state.offer_currency,
        state.set_offer_currency,
        rx.select.content(rx.foreach(state.currency_options, lambda code: rx.select.item(code, value=code))),
        state.offer_errors.get("currency", ""),
    )


def rate_unit_select(state: type[OfferFormMixin], field_id: str) -> rx.Component:
    """Per hour, per day or for the project."""
    return _select(
        field_id,
        state.offer_rate_unit,
        state.set_offer_rate_unit,
        rx.select.content(*[rx.select.item(label, value=value) for value, label in RATE_UNIT_OPTIONS]),
        state.offer_errors.get("rate_unit", ""),
    )


def remote_switch(state: type[OfferFormMixin], field_id: str) -> rx.Component:
    """Remote or on site; the label sits beside the switch."""
    return rx.flex(
        rx.switch(
            id=field_id,
            name="remote",
            checked=state.offer_remote,
            on_change=state.set_offer_remote,
            size="2",
        ),
        rx.el.label(
            rx.text("Remote", size="2", weight="medium", color=rx.color("gray", 12)),
            html_for=field_id,
        ),
        rx.text("The work can be done from anywhere.", size="1", color=rx.color("gray", 11)),
        align="center",
        spacing="2",
        wrap="wrap",
    )


def date_fields(state: type[OfferFormMixin], prefix: str) -> rx.Component:
    """Start date and the optional end date, side by side on wide screens."""
    return rx.grid(
        text_field(
            "Start date",
            f"{prefix}-start-date",
            state.offer_errors.get("start_date", ""),
            input_type="date",
            name="start_date",
            value=state.offer_start_date,
            on_change=state.set_offer_start_date,
        ),
        text_field(
            "End date",
            f"{prefix}-end-date",
            state.offer_errors.get("end_date", ""),
            input_type="date",
            name="end_date",
            value=state.offer_end_date,
            on_change=state.set_offer_end_date,
            hint="Optional; leave empty for an open-ended job.",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )


def rate_fields(state: type[OfferFormMixin], prefix: str) -> rx.Component:
    """Rate, rate unit and currency on one row on wide screens."""
    return rx.grid(
        text_field(
            "Rate",
            f"{prefix}-rate",
            state.offer_errors.get("rate", ""),
            input_type="number",
            name="rate",
            value=state.offer_rate,
            on_change=state.set_offer_rate,
            min="0",
            step="0.01",
            placeholder="85.00",
        ),
        form_field(
            "Rate unit",
            f"{prefix}-rate-unit",
            rate_unit_select(state, f"{prefix}-rate-unit"),
            state.offer_errors.get("rate_unit", ""),
        ),
        form_field(
            "Currency",
            f"{prefix}-currency",
            currency_select(state, f"{prefix}-currency"),
            state.offer_errors.get("currency", ""),
        ),
        grid_template_columns=rx.breakpoints(initial="1fr", sm="minmax(0, 3fr) minmax(0, 3fr) minmax(0, 2fr)"),
        spacing="4",
        width="100%",
    )


def place_fields(state: type[OfferFormMixin], prefix: str) -> rx.Component:
    """Remote, or the location (disabled while Remote is on)."""
    return rx.flex(
        remote_switch(state, f"{prefix}-remote"),
        text_field(
            "Location",
            f"{prefix}-location",
            state.offer_location_error,
            name="location",
            value=rx.cond(state.offer_remote, "", state.offer_location),
            on_change=state.set_offer_location,
            disabled=state.offer_remote,
            auto_complete="off",
            placeholder=rx.cond(state.offer_remote, "Remote: no location needed", "e.g. Berlin, Germany"),
        ),
        direction="column",
        spacing="3",
        width="100%",
    )


def offer_fields(state: type[OfferFormMixin], prefix: str) -> rx.Component:
    """Title, description, dates, rate, remote and location, each with the BFF's message beneath it."""
    return rx.flex(
        text_field(
            "Job title",
            f"{prefix}-title",
            state.offer_errors.get("title", ""),
            name="title",
            value=state.offer_title,
            on_change=state.set_offer_title,
            auto_complete="off",
            placeholder="e.g. Senior Python developer",
        ),
        form_field(
            "Description",
            f"{prefix}-description",
            rx.text_area(
                id=f"{prefix}-description",
                name="description",
                value=state.offer_description,
                on_change=state.set_offer_description,
                placeholder="What the job is about, the team, what you need from them…",
                rows="4",
                resize="vertical",
                size="3",
                custom_attrs=error_attrs(state.offer_errors.get("description", ""), f"{prefix}-description", hint=True),
            ),
            state.offer_errors.get("description", ""),
            hint="Optional. The person sees it with the offer.",
        ),
        date_fields(state, prefix),
        rate_fields(state, prefix),
        place_fields(state, prefix),
        direction="column",
        spacing="4",
        width="100%",
    )
