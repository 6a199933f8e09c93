"""The app frame: the left navigation for signed-in pages and the centred auth layout."""

from __future__ import annotations

import reflex as rx

from ..states.session import SessionState


def logo_mark(size: str = "32px") -> rx.Component:
    """The product's mark: an indigo tile with a people icon."""
    return rx.center(
        rx.icon("users_round", size=18, color="white"),
        width=size,
        height=size,
        min_width=size,
        border_radius="10px",
        background=f"linear-gradient(135deg, {rx.color('indigo', 9)}, {rx.color('violet', 9)})",
        box_shadow="0 1px 2px rgba(0,0,0,0.12)",
        aria_hidden="true",
    )


def icon_tile(icon: str | rx.Var) -> rx.Component:
    """A decorative accent tile with an icon, beside a card's heading."""
    return rx.center(
        rx.icon(icon, size=18, color=rx.color("accent", 11)),
        width="36px",
        height="36px",
        min_width="36px",
        border_radius="10px",
        background=rx.color("accent", 3),
        aria_hidden="true",
    )


def brand() -> rx.Component:
    """Logo mark and product name."""
    return rx.hstack(
        logo_mark(),
        rx.text("Talent Pool", size="4", weight="bold", color=rx.color("gray", 12)),
        align="center",
        spacing="2",
    )


def applicants_badge() -> rx.Component:
    """How many applicants wait for approval (hidden when none do)."""
    return rx.cond(
        SessionState.applied_count > 0,
        rx.badge(
            rx.text(SessionState.applied_count_text, as_="span", aria_hidden="true"),
            rx.el.span(
                rx.cond(
                    SessionState.applied_count_exact,
                    rx.cond(
                        SessionState.applied_count == 1,
                        ", 1 applicant waiting for approval",
                        ", " + SessionState.applied_count_text + " applicants waiting for approval",
                    ),
                    ", more than " + SessionState.applied_count.to_string() + " applicants waiting for approval",
                ),
                class_name="sr-only",
            ),
            color_scheme="amber",
            variant="solid",
            radius="full",
            size="1",
            margin_left="auto",
            title="Applicants waiting for approval",
        ),
    )


def nav_item(label: str, icon: str, href: str, active: bool, badge: rx.Component | None = None) -> rx.Component:
    """One link in the left navigation."""
    current = {"aria_current": "page"} if active else {}
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size="2", weight="medium"),
            *([badge] if badge is not None else []),
            align="center",
            spacing="3",
            width="100%",
            padding_x="12px",
            padding_y="8px",
            border_radius="var(--radius-3)",
            background=rx.color("accent", 3) if active else "transparent",
            color=rx.color("accent", 11) if active else rx.color("gray", 11),
            _hover={"background": rx.color("accent", 3) if active else rx.color("gray", 3)},
        ),
        href=href,
        underline="none",
        **current,
        width="100%",
    )


def account_panel() -> rx.Component:
    """Who is signed in, for which company, and the way out."""
    return rx.vstack(
        rx.separator(size="4"),
        rx.hstack(
            rx.avatar(
                fallback=SessionState.user_initials,
                size="2",
                radius="full",
                variant="soft",
                color_scheme="indigo",
            ),
            rx.vstack(
                rx.text(
                    SessionState.user_name,
                    size="2",
                    weight="medium",
                    color=rx.color("gray", 12),
                    class_name="truncate",
                    max_width="100%",
                ),
                rx.text(
                    SessionState.company_name,
                    size="1",
                    color=rx.color("gray", 11),
                    class_name="truncate",
                    max_width="100%",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            align="center",
            spacing="3",
            width="100%",
            padding_x="4px",
        ),
        rx.link(
            rx.hstack(rx.icon("key_round", size=16), rx.text("Change password", size="2"), align="center", spacing="2"),
            href="/account/password",
            color=rx.color("gray", 11),
            underline="hover",
            padding_x="4px",
        ),
        rx.button(
            rx.icon("log_out", size=16),
            "Log out",
            on_click=SessionState.logout,
            variant="soft",
            color_scheme="gray",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def sidebar(active: str) -> rx.Component:
    """The left navigation of the signed-in app."""
    return rx.el.aside(
        rx.flex(
            rx.box(brand(), padding_x="8px", padding_y="4px"),
            rx.el.nav(
                rx.vstack(
                    nav_item("Talent Pool", "users", "/", active == "pool", applicants_badge()),
                    nav_item("Activity", "history", "/activity", active == "activity"),
                    rx.cond(SessionState.can_manage_team, nav_item("Team", "user_cog", "/team", active == "team")),
                    rx.cond(
                        SessionState.can_manage_team,
                        nav_item("Settings", "settings", "/settings", active == "settings"),
                    ),
                    spacing="1",
                    width="100%",
                ),
                aria_label="Main",
                width="100%",
            ),
            rx.spacer(),
            account_panel(),
            direction="column",
            spacing="6",
            height="100%",
            padding="20px 16px",
        ),
        # Its width (narrower on small laptops, hidden on phones) is in talent_pool.css.
        class_name="app-sidebar",
        height="100vh",
        position="sticky",
        top="0",
        background=rx.color("gray", 1),
        border_right=f"1px solid {rx.color('gray', 5)}",
    )


def mobile_bar() -> rx.Component:
    """On phones, the navigation collapses into this top bar: the brand and a Menu button."""
    return rx.el.header(
        rx.link(brand(), href="/", underline="none"),
        rx.el.nav(
            rx.menu.root(
                rx.menu.trigger(
                    rx.button(
                        rx.icon("menu", size=18), "Menu", applicants_badge(), variant="soft", color_scheme="gray"
                    ),
                ),
                rx.menu.content(
                    rx.menu.item(rx.icon("users", size=16), "Talent Pool", on_click=rx.redirect("/")),
                    rx.menu.item(rx.icon("history", size=16), "Activity", on_click=rx.redirect("/activity")),
                    rx.cond(
                        SessionState.can_manage_team,
                        rx.menu.item(rx.icon("user_cog", size=16), "Team", on_click=rx.redirect("/team")),
                    ),
                    rx.cond(
                        SessionState.can_manage_team,
                        rx.menu.item(rx.icon("settings", size=16), "Settings", on_click=rx.redirect("/settings")),
                    ),
                    rx.menu.item(
                        rx.icon("key_round", size=16), "Change password", on_click=rx.redirect("/account/password")
                    ),
                    rx.menu.separator(),
                    rx.menu.item(rx.icon("log_out", size=16), "Log out", on_click=SessionState.logout),
                    align="end",
                ),
            ),
            aria_label="Main",
        ),
        class_name="mobile-bar",
    )


def app_shell(*children: rx.Component, active: str = "pool") -> rx.Component:
    """A signed-in page: the navigation on the left (a top bar on phones) and the page on a neutral background."""
    return rx.flex(
        sidebar(active),
        mobile_bar(),
        rx.el.main(
            rx.box(
                *children,
                max_width="1400px",
                margin_x="auto",
                class_name="app-main",
            ),
            flex="1",
            min_width="0",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
        class_name="app-shell",
    )


def auth_layout(*children: rx.Component, home_href: str = "/login", max_width: str = "440px") -> rx.Component:
    """A public page: the brand and a card centred on a neutral background."""
    return rx.el.main(
        rx.center(
            rx.vstack(
                rx.link(brand(), href=home_href, underline="none"),
                *children,
                spacing="6",
                align="center",
                width="100%",
                max_width=max_width,
            ),
            min_height="100vh",
            padding="24px",
            background=f"radial-gradient(1200px 600px at 50% -10%, {rx.color('indigo', 3)}, {rx.color('gray', 2)})",
        ),
    )
