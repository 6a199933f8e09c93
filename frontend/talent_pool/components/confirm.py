"""One confirmation dialog for destructive actions (delete, revoke)."""

import reflex as rx


def confirm_dialog(
    title,
    description: str,
    action: str,
    on_confirm,
    loading,
    open,
    on_open_change,
) -> rx.Component:
    """Asks before `action`; Cancel closes, the red button runs `on_confirm`."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(action, on_click=on_confirm, color_scheme="red", loading=loading),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=open,
        on_open_change=on_open_change,
    )
