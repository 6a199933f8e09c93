"""A bare text input for typing tags: Enter or a comma turns the typed text into a chip.

The browser-side script in `CHIP_INPUT_SCRIPT` takes the typed text out of the box the
moment Enter or a comma is pressed (so fast typing never races the server), and the
key handler receives that text as `committed`.
"""

from __future__ import annotations

import reflex as rx

CHIP_INPUT_SCRIPT = """
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches("[data-chip-input]")) return;
  if (event.key === "Enter" || event.key === ",") {
    event.preventDefault();
    box.dataset.committed = box.value;
    box.value = "";
  } else {
    box.dataset.committed = "";
  }
}, true);
"""


def chip_key_event(e: rx.vars.ObjectVar) -> tuple[rx.Var[str], rx.Var[str], rx.Var[str]]:
    """The key, what is left in the box, and the text that Enter or a comma committed.

    The script above sets `data-committed` on every key press before this handler runs.
    """
    target = e.target.to(dict)
    return (e.key.to(str), target.value.to(str), target.dataset.to(dict).committed.to(str))


class ChipInput(rx.el.Input):
    """An <input> whose key handler also gets the committed text."""

    on_key_down: rx.EventHandler[chip_key_event]


chip_input = ChipInput.create
