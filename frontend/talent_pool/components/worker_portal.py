"""The worker portal's sections: connection requests, job offers, pending applications and the companies the worker is connected with."""

from __future__ import annotations

import reflex as rx

from ..components.badges import offer_status_badge
from ..components.callouts import load_error
from ..states.worker import ApplicationCard, ConnectionCard, OfferCard, WorkerPortalState


def company_avatar(card: ConnectionCard | OfferCard | ApplicationCard, size: str = "44px") -> rx.Component:
    """A company's initials on a tile."""
    return rx.center(
        rx.text(card.company_initials, size="3", weight="bold", color=rx.color("indigo", 11)),
        width=size,
        height=size,
        min_width=size,
        border_radius="12px",
        background=rx.color("indigo", 3),
        border=f"1px solid {rx.color('indigo', 5)}",
        aria_hidden="true",
    )


def request_card(card: ConnectionCard) -> rx.Component:
    """A company asking to connect: its message, Accept and Decline."""
    return rx.el.li(
        rx.card(
            rx.flex(
                company_avatar(card),
                rx.vstack(
                    rx.heading(card.company_name, as_="h3", size="4", weight="bold"),
                    rx.text(
                        "Wants to add you to their Talent Pool · ",
                        rx.el.time(card.since_relative, title=card.since_exact),
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                    rx.cond(
                        card.message != "",
                        rx.text(
                            card.message,
                            size="2",
                            class_name="message-text",
                            color=rx.color("gray", 12),
                            padding="12px 14px",
                            border_radius="var(--radius-3)",
                            background=rx.color("gray", 2),
                            border_left=f"3px solid {rx.color('accent', 8)}",
                            width="100%",
                            margin_top="6px",
                        ),
                    ),
                    answer_buttons(
                        WorkerPortalState.accept_request(card.id),
                        WorkerPortalState.decline_request(card.id),
                        WorkerPortalState.answering_id,
                        WorkerPortalState.answering_action,
                        card.id,
                        card.company_name,
                    ),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                spacing="4",
                align="start",
            ),
            size="3",
            width="100%",
        ),
        list_style="none",
    )


def offer_fact(icon: str, label: str, value: rx.Var) -> rx.Component:
    """One fact of a job offer: an icon, a label for screen readers, and the value."""
    return rx.hstack(
        rx.icon(icon, size=15, color=rx.color("gray", 10), flex_shrink="0", aria_hidden="true"),
        rx.text(rx.el.span(label + ": ", class_name="sr-only"), value, size="2", color=rx.color("gray", 12)),
        align="center",
        spacing="2",
    )


def answer_buttons(
    accept: rx.EventSpec, decline: rx.EventSpec, answering_id: rx.Var, action: rx.Var, card_id: rx.Var, name: rx.Var
) -> rx.Component:
    """Accept and Decline on an open request or offer; while one answer is on its way, none can be clicked."""
    busy = answering_id == card_id
    return rx.hstack(
        rx.button(
            rx.icon("check", size=16),
            "Accept",
            on_click=accept,
            loading=busy & (action == "accept"),
            disabled=answering_id != 0,
            aria_label="Accept " + name,
        ),
        rx.button(
            "Decline",
            on_click=decline,
            loading=busy & (action == "decline"),
            disabled=answering_id != 0,
            variant="soft",
            color_scheme="gray",
            aria_label="Decline " + name,
        ),
        spacing="2",
        padding_top="8px",
    )


def offer_heading(card: OfferCard) -> rx.Component:
    """The job, the company and when it was offered, and how it was answered."""
    return rx.flex(
        rx.vstack(
            rx.heading(card.title, as_="h3", size="4", weight="bold", class_name="offer-title"),
            rx.text(
                card.company_name,
                " · offered ",
                rx.el.time(card.offered, title=card.offered_exact),
                size="2",
                color=rx.color("gray", 11),
            ),
            spacing="1",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(~card.is_open, offer_status_badge(card.status, card.status_label)),
        spacing="3",
        align="start",
        width="100%",
    )


def offer_card(card: OfferCard) -> rx.Component:
    """A job offer: the company, the job, its terms, and Accept / Decline or how it was answered."""
    return rx.el.li(
        rx.card(
            rx.flex(
                company_avatar(card),
                rx.vstack(
                    offer_heading(card),
                    rx.flex(
                        offer_fact("calendar", "Dates", card.dates),
                        offer_fact("banknote", "Rate", card.rate),
                        offer_fact(rx.cond(card.remote, "globe", "map_pin"), "Where", card.place),
                        direction=rx.breakpoints(initial="column", sm="row"),
                        column_gap="24px",
                        row_gap="6px",
                        wrap="wrap",
                        width="100%",
                        padding_top="6px",
                    ),
                    rx.cond(
                        card.description != "",
                        rx.text(
                            card.description,
                            size="2",
                            class_name="message-text",
                            color=rx.color("gray", 12),
                            padding="12px 14px",
                            border_radius="var(--radius-3)",
                            background=rx.color("gray", 2),
                            border_left=f"3px solid {rx.color('accent', 8)}",
                            width="100%",
                            margin_top="6px",
                        ),
                    ),
                    rx.cond(
                        card.is_open,
                        answer_buttons(
                            WorkerPortalState.accept_offer(card.id),
                            WorkerPortalState.decline_offer(card.id),
                            WorkerPortalState.offer_answering_id,
                            WorkerPortalState.offer_answering_action,
                            card.id,
                            card.title,
                        ),
                        rx.cond(
                            card.answered != "",
                            rx.text(card.answered, size="2", color=rx.color("gray", 11), padding_top="4px"),
                        ),
                    ),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                spacing="4",
                align="start",
            ),
            size="3",
            width="100%",
            opacity=rx.cond(card.is_open, "1", "0.85"),
        ),
        list_style="none",
        aria_label=card.title + " at " + card.company_name,
    )


def offers_notice() -> rx.Component:
    """Why an answer could not be given: the offer was withdrawn (or answered) meanwhile."""
    return rx.cond(
        WorkerPortalState.offers_notice != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.callout.text(WorkerPortalState.offers_notice),
            rx.button(
                "Dismiss",
                on_click=WorkerPortalState.dismiss_offers_notice,
                variant="ghost",
                color_scheme="amber",
                size="1",
                width="fit-content",
            ),
            color_scheme="amber",
            role="alert",
            width="100%",
        ),
    )


def offers_section() -> rx.Component:
    """Job offers from the companies: open ones first, with Accept and Decline."""
    return rx.el.section(
        rx.vstack(
            section_heading("Job offers", WorkerPortalState.open_offer_count),
            offers_notice(),
            rx.cond(
                WorkerPortalState.offers_error != "",
                load_error("your job offers", WorkerPortalState.offers_error, WorkerPortalState.load_portal),
                rx.cond(
                    WorkerPortalState.offers.length() > 0,
                    rx.el.ul(rx.foreach(WorkerPortalState.offers, offer_card), class_name="card-list"),
                    empty_section(
                        "briefcase_business",
                        "No job offers yet",
                        "When a company offers you a job, you can accept or decline it here.",
                    ),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        aria_label="Job offers",
        width="100%",
    )


def company_and_date(name: rx.Var, prefix: str, when: rx.Var, exact: rx.Var) -> rx.Component:
    """A company's name over a line such as "Applied on 3 Nov 2026" (the exact time on hover)."""
    return rx.vstack(
        rx.text(name, size="3", weight="medium", color=rx.color("gray", 12)),
        rx.text(prefix, rx.el.time(when, title=exact), size="2", color=rx.color("gray", 11)),
        spacing="0",
        min_width="0",
    )


def company_row(card: ConnectionCard) -> rx.Component:
    """A company the worker is connected to."""
    return rx.el.li(
        company_avatar(card, size="40px"),
        company_and_date(card.company_name, "Connected since ", card.since, card.since_exact),
        rx.spacer(),
        rx.badge(rx.icon("check", size=12), "Connected", color_scheme="green", variant="soft", radius="full"),
        class_name="company-row",
    )


def empty_section(icon: str, title: str, text: str) -> rx.Component:
    """A quiet placeholder for an empty section."""
    return rx.card(
        rx.flex(
            rx.center(
                rx.icon(icon, size=20, color=rx.color("gray", 11)),
                width="40px",
                height="40px",
                min_width="40px",
                border_radius="9999px",
                background=rx.color("gray", 3),
                aria_hidden="true",
            ),
            rx.vstack(
                rx.text(title, size="2", weight="medium", color=rx.color("gray", 12)),
                rx.text(text, size="2", color=rx.color("gray", 11)),
                spacing="0",
            ),
            spacing="3",
            align="center",
        ),
        size="2",
        width="100%",
        variant="surface",
    )


def section_heading(title: str, count: rx.Var | None = None) -> rx.Component:
    """A section's h2, with a count badge when there is something waiting."""
    parts: list[rx.Component] = [rx.heading(title, as_="h2", size="4", weight="bold")]
    if count is not None:
        parts.append(
            rx.cond(
                count > 0,
                rx.badge(count.to_string(), color_scheme="indigo", variant="solid", radius="full"),
            )
        )
    return rx.hstack(*parts, align="center", spacing="2")


def requests_section() -> rx.Component:
    """Companies waiting for an answer."""
    return rx.el.section(
        rx.vstack(
            section_heading("Connection requests", WorkerPortalState.request_count),
            rx.cond(
                WorkerPortalState.requests.length() > 0,
                rx.el.ul(
                    rx.foreach(WorkerPortalState.requests, request_card),
                    class_name="card-list",
                ),
                empty_section(
                    "inbox",
                    "No connection requests",
                    "When a company that knows you asks to connect, you can accept or decline here.",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        aria_label="Connection requests",
        width="100%",
    )


def companies_section() -> rx.Component:
    """Companies the worker is connected to."""
    return rx.el.section(
        rx.vstack(
            section_heading("Your companies"),
            rx.cond(
                WorkerPortalState.companies.length() > 0,
                rx.card(
                    rx.el.ul(rx.foreach(WorkerPortalState.companies, company_row), class_name="company-list"),
                    size="1",
                    width="100%",
                    padding="0",
                ),
                empty_section(
                    "building_2",
                    "No companies yet",
                    "Companies you join or accept appear here.",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        aria_label="Your companies",
        width="100%",
    )


def application_row(card: ApplicationCard) -> rx.Component:
    """An application through a company's link: the company, when, and what it waits for."""
    return rx.el.li(
        company_avatar(card, size="40px"),
        rx.flex(
            company_and_date(card.company_name, "Applied on ", card.applied, card.applied_exact),
            rx.cond(
                card.waiting_for == "approval",
                rx.badge(
                    rx.icon("hourglass", size=12),
                    card.waiting_label,
                    color_scheme="amber",
                    variant="soft",
                    radius="full",
                ),
                rx.badge(
                    rx.icon("mail", size=12), card.waiting_label, color_scheme="gray", variant="soft", radius="full"
                ),
            ),
            justify="between",
            align="center",
            wrap="wrap",
            gap="8px",
            flex="1",
            min_width="0",
        ),
        class_name="company-row",
    )


def applications_section() -> rx.Component:
    """Applications through companies' links that wait for the email confirmation or the company's approval."""
    return rx.cond(
        WorkerPortalState.applications.length() > 0,
        rx.el.section(
            rx.vstack(
                section_heading("Your applications"),
                rx.card(
                    rx.el.ul(rx.foreach(WorkerPortalState.applications, application_row), class_name="company-list"),
                    size="1",
                    width="100%",
                    padding="0",
                ),
                spacing="3",
                width="100%",
            ),
            aria_label="Your applications",
            width="100%",
        ),
    )
