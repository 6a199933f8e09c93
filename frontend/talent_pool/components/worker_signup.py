"""The worker sign-up form: name, email and password of a new worker account (invitation page and link page)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventType

from shared.limits import PASSWORD_RULE

from .fields import form_field, text_field


def fixed_email_field(field_id: str, email: rx.Var[str], hint: str) -> rx.Component:
    """An email address the person cannot change (the one their invitation was sent to)."""
    return form_field(
        "Email",
        field_id,
        rx.input(
            id=field_id,
            name="email",
            type="email",
            value=email,
            read_only=True,
            size="3",
            width="100%",
            variant="soft",
            color_scheme="gray",
            custom_attrs={"aria-describedby": f"{field_id}-hint"},
        ),
        rx.Var.create(""),
        hint=hint,
    )


def worker_signup_form(
    prefix: str,
    errors: rx.Var[dict[str, str]],
    *,
    alert: rx.Component,
    submit_label: str,
    submitting: rx.Var[bool],
    on_submit: EventType[Any],
    email: rx.Component | None = None,
    after_email: rx.Component | None = None,
    name_props: dict[str, Any] | None = None,
    password_props: dict[str, Any] | None = None,
) -> rx.Component:
    """The form's problem, the fields, and the submit button.

    `email` replaces the editable email field; `after_email` (e.g. the allowed domains) follows it.

    Field ids start with `prefix` ("invite-name", "join-password"…); field errors come from the state's `errors`.
    """
    return rx.form(
        rx.vstack(
            alert,
            text_field(
                "Your name",
                f"{prefix}-name",
                errors.get("name", ""),
                name="name",
                auto_complete="name",
                **(name_props or {}),
            ),
            email
            if email is not None
            else text_field(
                "Email",
                f"{prefix}-email",
                errors.get("email", ""),
                input_type="email",
                name="email",
                auto_complete="email",
                placeholder="you@example.com",
            ),
            after_email if after_email is not None else rx.fragment(),
            text_field(
                "Password",
                f"{prefix}-password",
                errors.get("password", ""),
                hint=PASSWORD_RULE,
                input_type="password",
                name="password",
                auto_complete="new-password",
                **(password_props or {}),
            ),
            rx.button(submit_label, type="submit", size="3", width="100%", loading=submitting),
            spacing="4",
            width="100%",
        ),
        on_submit=on_submit,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )
