"""Where an undelivered email shows, and the dialog that corrects the address and sends the invitation again."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from ..states.email_fix import EmailFixState
from .fields import form_alert, text_field


def email_failed_text(reason: Var[str], size: str = "1", clamp: bool = False) -> rx.Component:
    """ "Invitation email failed: <reason>", in red; `clamp` keeps it to three lines (the whole as its tooltip)."""
    return rx.text(
        rx.icon("mail_x", size=12, display="inline", vertical_align="-2px", aria_hidden="true"),
        " Invitation email failed: ",
        reason,
        size=size,
        color=rx.color("red", 11),
        class_name="email-failed-text email-failed-clamped" if clamp else "email-failed-text",
        title=reason,
    )


def delivery_line(text: Var[str], exact: Var[str], size: str = "1") -> rx.Component:
    """ "Invitation email queued" / "… sent 5 minutes ago", with the exact time as its tooltip."""
    return rx.text(
        rx.icon("mail_check", size=12, display="inline", vertical_align="-2px", aria_hidden="true"),
        " ",
        text,
        size=size,
        color=rx.color("gray", 11),
        class_name="email-delivery-text",
        title=exact,
    )


def correct_address_button(
    contact_id: Var[int],
    name: Var[str],
    email: Var[str],
    reason: Var[str],
    origin: str,
    size: str = "1",
    label: str = "Correct address and resend",
) -> rx.Component:
    """Opens the dialog to correct this contact's address and resend."""
    return rx.button(
        rx.icon("pencil", size=12),
        label,
        on_click=EmailFixState.open_for(contact_id, name, email, reason, origin),
        variant="soft",
        color_scheme="red",
        size=size,
        aria_label="Correct address and resend for " + name,
        width="fit-content",
        white_space="nowrap",
    )


def email_fix_dialog() -> rx.Component:
    """Correct an undelivered invitation's address; saving sends the invitation to it."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Correct the email address"),
            rx.dialog.description(
                "The invitation to ",
                rx.text.strong(EmailFixState.contact_name),
                " could not be delivered: ",
                EmailFixState.reason,
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.flex(
                    form_alert(EmailFixState.form_error),
                    text_field(
                        "Email",
                        "email-fix-email",
                        EmailFixState.email_error,
                        name="email",
                        input_type="email",
                        value=EmailFixState.email,
                        on_change=EmailFixState.set_email,
                        auto_focus=True,
                        hint="We send a new invitation to this address; the old link stops working.",
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Save and resend", type="submit", loading=EmailFixState.saving),
                        spacing="3",
                        justify="end",
                    ),
                    direction="column",
                    spacing="4",
                    margin_top="16px",
                ),
                on_submit=EmailFixState.submit,
                reset_on_submit=False,
                no_validate=True,
            ),
            max_width="480px",
        ),
        open=EmailFixState.open,
        on_open_change=EmailFixState.set_open,
    )
