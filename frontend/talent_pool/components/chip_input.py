"""A bare text input for typing tags: Enter or a comma turns the typed text into a chip.

A small React component of our own (`assets/chip_input.jsx`): it empties the box in the same key
press and sends the committed text to `on_commit`, so fast typing never races the server.
"""

from __future__ import annotations

import reflex as rx


class ChipInput(rx.Component):
    """An <input> that commits its text on Enter, a comma or a paste with separators."""

    library = "$/public/chip_input.jsx"
    tag = "ChipInput"

    name: rx.Var[str]
    placeholder: rx.Var[str]
    auto_complete: rx.Var[str]

    # The text typed before Enter or a comma (may hold several tags separated by commas).
    on_commit: rx.EventHandler[lambda text: [text]]
    # What is left in the box after each change.
    on_draft: rx.EventHandler[lambda text: [text]]
    # Backspace in an empty box.
    on_remove_last: rx.EventHandler[lambda: []]


chip_input = ChipInput.create
