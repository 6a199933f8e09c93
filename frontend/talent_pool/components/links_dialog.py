"""The Invitation links dialog: a create form and the company's links with Copy, Rotate and Revoke."""

from __future__ import annotations

import reflex as rx

from ..states.links import LinkCard, LinksState
from .contact_form import tag_input
from .fields import form_alert, form_field, text_field
from .link_funnel import link_funnel


def limit_fields() -> rx.Component:
    """A new link's optional expiry date and maximum number of sign-ups."""
    return rx.grid(
        text_field(
            "Expires on",
            "link-expires",
            LinksState.errors.get("expires_at", ""),
            input_type="date",
            name="expires_on",
            value=LinksState.expires_on,
            on_change=LinksState.set_expires_on,
            hint="Optional.",
        ),
        text_field(
            "Maximum sign-ups",
            "link-max",
            LinksState.errors.get("max_signups", ""),
            input_type="number",
            min="1",
            step="1",
            name="max_signups",
            value=LinksState.max_signups,
            on_change=LinksState.set_max_signups,
            hint="Optional.",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )


def create_form() -> rx.Component:
    """Label and optional limits of a new link."""
    return rx.form(
        rx.flex(
            form_alert(LinksState.form_error),
            text_field(
                "Label",
                "link-label",
                LinksState.errors.get("label", ""),
                name="label",
                value=LinksState.label,
                on_change=LinksState.set_label,
                placeholder="e.g. Design meetup, May",
                hint="Only your team sees it; people who open the link see it small under your company's name.",
            ),
            limit_fields(),
            text_field(
                "Allowed email domains",
                "link-domains",
                LinksState.errors.get("allowed_domains", ""),
                name="allowed_domains",
                value=LinksState.domains_text,
                on_change=LinksState.set_domains_text,
                placeholder="e.g. example.com, studio.example",
                hint="Optional. Separate domains with commas; leave empty to accept any email address.",
            ),
            form_field(
                "Tags for applicants",
                LinksState.TAG_INPUT_ID,
                tag_input(LinksState),
                LinksState.errors.get("tags", ""),
                hint=rx.text(
                    "Everyone who signs up through this link gets these tags. Press Enter or type a comma to add one.",
                    id=f"{LinksState.TAG_INPUT_ID}-hint",
                    size="1",
                    color=rx.color("gray", 11),
                ),
            ),
            rx.flex(
                rx.button(
                    rx.icon("link", size=16),
                    "Create link",
                    type="submit",
                    size="2",
                    loading=LinksState.saving,
                ),
                justify="end",
            ),
            direction="column",
            spacing="4",
        ),
        on_submit=LinksState.create,
        no_validate=True,
        reset_on_submit=False,
    )


def link_actions(link: LinkCard) -> rx.Component:
    """Rotate and Revoke, while the link works."""
    return rx.cond(
        link.active,
        rx.flex(
            rx.button(
                rx.icon("refresh_cw", size=14),
                "Rotate",
                on_click=LinksState.ask(link.id, "rotate"),
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
                size="1",
                loading=LinksState.busy_id == link.id,
                title="Give the link a new URL; the old one stops working",
            ),
            rx.button(
                rx.icon("ban", size=14),
                "Revoke",
                on_click=LinksState.ask(link.id, "revoke"),
                variant="soft",
                color_scheme="red",
                high_contrast=True,
                size="1",
                title="Stop the link",
            ),
            spacing="2",
            justify="end",
        ),
    )


def link_item(link: LinkCard) -> rx.Component:
    """One link: label, state, URL with Copy, counts, Rotate and Revoke."""
    url_id = "link-url-" + link.id.to_string()
    return rx.card(
        rx.flex(
            rx.flex(
                rx.text(link.label, size="3", weight="medium", class_name="truncate"),
                rx.badge(link.state_label, color_scheme=link.state_color, variant="soft", radius="full", size="1"),
                align="center",
                spacing="2",
            ),
            rx.flex(
                rx.input(
                    id=url_id,
                    value=link.url,
                    read_only=True,
                    size="2",
                    flex="1",
                    aria_label="Link URL for " + link.label,
                ),
                rx.button(
                    rx.icon("copy", size=14),
                    "Copy",
                    on_click=LinksState.copy_link(link.url),
                    variant="soft",
                    size="2",
                    disabled=~link.active,
                ),
                spacing="2",
                align="center",
                width="100%",
            ),
            rx.text(link.counts_text, size="2", color=rx.color("gray", 11)),
            link_funnel(link),
            rx.cond(
                link.limits_text != "",
                rx.text(link.limits_text, size="1", color=rx.color("gray", 11)),
            ),
            rx.cond(
                link.tags.length() > 0,
                rx.flex(
                    rx.foreach(link.tags, lambda tag: rx.badge(tag, variant="surface", color_scheme="gray", size="1")),
                    spacing="1",
                    wrap="wrap",
                ),
            ),
            link_actions(link),
            direction="column",
            spacing="2",
        ),
        role="group",
        aria_label="Link " + link.label,
        width="100%",
    )


def link_list() -> rx.Component:
    """The company's links, newest first."""
    return rx.cond(
        LinksState.links_error != "",
        rx.callout(LinksState.links_error, icon="circle_alert", color_scheme="red", variant="soft", role="alert"),
        rx.cond(
            LinksState.links.length() > 0,
            rx.flex(rx.foreach(LinksState.links, link_item), direction="column", spacing="3", width="100%"),
            rx.cond(
                LinksState.links_loading,
                rx.skeleton(rx.box(width="100%", height="96px")),
                rx.text("No links yet. Create one above and share it.", size="2", color=rx.color("gray", 11)),
            ),
        ),
    )


def confirm_dialog() -> rx.Component:
    """Ask before Rotate or Revoke."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(LinksState.confirm_title),
            rx.alert_dialog.description(LinksState.confirm_text, size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    LinksState.confirm_button,
                    on_click=LinksState.confirm,
                    color_scheme="red",
                    loading=LinksState.busy_id != 0,
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=LinksState.confirm_open,
        on_open_change=LinksState.set_confirm_open,
    )


def links_dialog() -> rx.Component:
    """Create and manage invitation links."""
    return rx.fragment(
        rx.dialog.root(
            rx.dialog.content(
                rx.flex(
                    rx.dialog.title("Invitation links", size="5", margin="0"),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.icon_button(rx.icon("x", size=16), variant="ghost", color_scheme="gray", aria_label="Close"),
                    ),
                    align="center",
                ),
                rx.dialog.description(
                    "Share a link anywhere: people sign up through it, confirm their email, and you approve them "
                    "before they join your Talent Pool.",
                    size="2",
                    color=rx.color("gray", 11),
                    margin_top="8px",
                    margin_bottom="16px",
                ),
                create_form(),
                rx.separator(size="4", margin_y="20px"),
                rx.heading("Your links", as_="h3", size="3", margin_bottom="12px"),
                link_list(),
                max_width="640px",
            ),
            open=LinksState.dialog_open,
            on_open_change=LinksState.set_dialog_open,
        ),
        confirm_dialog(),
    )
