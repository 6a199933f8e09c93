"""The Team page (/team): invite a teammate, members with their roles, pending invitations."""

from __future__ import annotations

import reflex as rx

from ..components.callouts import load_error
from ..components.confirm import confirm_dialog
from ..components.fields import form_alert, form_field, text_field
from ..components.layout import app_shell
from ..states.session import FORM
from ..states.team import ONLY_MANAGERS, InvitationRow, MemberRow, TeamState


def _heading(text: str) -> rx.Component:
    return rx.heading(text, as_="h2", size="4", weight="bold")


def _role_badge(label: rx.Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(label, ("Owner", "indigo"), ("Admin", "blue"), "gray"),
        variant="soft",
        radius="full",
    )


def _role_select(field_id: str, value, on_change, label, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=field_id, aria_label=label, min_width="120px"),
        rx.select.content(
            rx.foreach(TeamState.role_options, lambda option: rx.select.item(option[1], value=option[0])),
        ),
        value=value,
        on_change=on_change,
        **props,
    )


def invite_card() -> rx.Component:
    """Email, optional name and role of the colleague to invite."""
    errors = TeamState.invite_errors
    form = rx.form(
        rx.vstack(
            form_alert(errors.get(FORM, "")),
            rx.flex(
                rx.box(
                    text_field(
                        "Email",
                        "team-invite-email",
                        errors.get("email", ""),
                        input_type="email",
                        name="email",
                        placeholder="colleague@company.com",
                        auto_complete="off",
                    ),
                    flex="2",
                    min_width="220px",
                ),
                rx.box(
                    text_field(
                        "Name (optional)",
                        "team-invite-name",
                        errors.get("name", ""),
                        name="name",
                        placeholder="Their name",
                        auto_complete="off",
                    ),
                    flex="2",
                    min_width="180px",
                ),
                rx.box(
                    form_field(
                        "Role",
                        "team-invite-role",
                        _role_select(
                            "team-invite-role", TeamState.invite_role, TeamState.set_invite_role, "Role", size="3"
                        ),
                        errors.get("role", ""),
                    ),
                    flex="1",
                    min_width="140px",
                ),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.text(
                "Admins manage the team, invitation links and settings; Members invite, import, approve and hire.",
                size="1",
                color=rx.color("gray", 11),
            ),
            rx.button(rx.icon("send", size=16), "Send invitation", type="submit", loading=TeamState.inviting),
            spacing="3",
            width="100%",
        ),
        on_submit=TeamState.invite,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
    return rx.card(rx.vstack(_heading("Invite teammate"), form, spacing="3", width="100%"), size="3", width="100%")


def member_item(member: MemberRow) -> rx.Component:
    """A teammate: name, email, role picker and Remove."""
    who = rx.vstack(
        rx.hstack(
            rx.text(member.name, size="2", weight="medium", class_name="truncate"),
            rx.cond(member.is_you, rx.badge("You", variant="outline", color_scheme="gray", radius="full")),
            align="center",
            spacing="2",
        ),
        rx.text(member.email, size="1", color=rx.color("gray", 11), class_name="truncate"),
        rx.text(member.joined_text, size="1", color=rx.color("gray", 10)),
        spacing="0",
        min_width="0",
        flex="1",
    )
    controls = rx.cond(
        member.editable,
        rx.hstack(
            _role_select(
                f"team-role-{member.id}",
                member.role,
                lambda role: TeamState.change_role(member.id, role),
                "Role of " + member.name,
            ),
            rx.button(
                "Remove",
                on_click=TeamState.ask_remove(member.id, member.name),
                variant="soft",
                color_scheme="red",
                aria_label="Remove " + member.name,
            ),
            spacing="2",
            align="center",
        ),
        _role_badge(member.role_label),
    )
    return rx.flex(
        who,
        controls,
        align="center",
        justify="between",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="team-member",
    )


def invitation_item(invitation: InvitationRow) -> rx.Component:
    """A pending invitation: email, role, who sent it, and Resend / Revoke."""
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(invitation.email, size="2", weight="medium", class_name="truncate"),
                _role_badge(invitation.role_label),
                rx.cond(invitation.expired, rx.badge("Expired", color_scheme="amber", variant="soft", radius="full")),
                align="center",
                spacing="2",
            ),
            rx.text(invitation.sent_text, size="1", color=rx.color("gray", 11)),
            spacing="1",
            min_width="0",
            flex="1",
        ),
        rx.hstack(
            rx.button(
                "Resend",
                on_click=TeamState.resend(invitation.id, invitation.email),
                variant="soft",
                aria_label="Resend the invitation to " + invitation.email,
            ),
            rx.button(
                "Revoke",
                on_click=TeamState.revoke(invitation.id, invitation.email),
                variant="soft",
                color_scheme="red",
                aria_label="Revoke the invitation to " + invitation.email,
            ),
            spacing="2",
        ),
        align="center",
        justify="between",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="team-invitation",
    )


def members_card() -> rx.Component:
    """Everyone on the team."""
    return rx.card(
        _heading("Members"),
        rx.vstack(rx.foreach(TeamState.members, member_item), spacing="0", width="100%", margin_top="8px"),
        size="3",
        width="100%",
    )


def invitations_card() -> rx.Component:
    """Invitations not answered yet."""
    return rx.card(
        _heading("Pending invitations"),
        rx.cond(
            TeamState.invitations.length() > 0,
            rx.vstack(rx.foreach(TeamState.invitations, invitation_item), spacing="0", width="100%", margin_top="8px"),
            rx.text("No invitations waiting for an answer.", size="2", color=rx.color("gray", 11), margin_top="8px"),
        ),
        size="3",
        width="100%",
    )


def forbidden_notice() -> rx.Component:
    """What a Member sees at /team."""
    return rx.callout(
        ONLY_MANAGERS,
        icon="lock",
        color_scheme="gray",
        variant="surface",
        role="status",
        width="100%",
    )


def team_page() -> rx.Component:
    """The company's teammates and their roles."""
    manage = rx.vstack(invite_card(), members_card(), invitations_card(), spacing="5", width="100%")
    body = rx.cond(
        TeamState.team_forbidden,
        forbidden_notice(),
        rx.cond(
            TeamState.team_error != "",
            load_error("your team", TeamState.team_error, TeamState.load_team),
            rx.cond(TeamState.team_loading & (TeamState.members.length() == 0), rx.spinner(size="3"), manage),
        ),
    )
    return app_shell(
        rx.vstack(
            rx.vstack(
                rx.heading("Team", as_="h1", size="7", weight="bold"),
                rx.text(
                    "The people of your company who work in your Talent Pool.", size="2", color=rx.color("gray", 11)
                ),
                spacing="1",
            ),
            body,
            spacing="5",
            width="100%",
            max_width="880px",
        ),
        confirm_dialog(
            TeamState.remove_title,
            "They are logged out at once and can no longer log in. What they did stays in the history under their name.",
            "Remove",
            TeamState.confirm_remove,
            TeamState.removing,
            TeamState.remove_id != 0,
            TeamState.close_remove,
        ),
        active="team",
    )
