"""A bare text input for typing tags: Enter or a comma turns the typed text into a chip.

The browser-side script in `CHIP_INPUT_SCRIPT` takes the typed text out of the box the
moment Enter or a comma is pressed (so fast typing never races the server), and the
key handler receives that text as `committed`.
"""

from __future__ import annotations

from reflex.event import EventHandler
from reflex.vars import Var
from reflex_base.components.component import field
from reflex_components_core.el.elements.forms import Input

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


def chip_key_event(e: Var) -> tuple[Var[str], Var[str], Var[str]]:
    """The key, what is left in the box, and the text that Enter or a comma committed."""
    return (
        Var(_js_expr=f"{e}.key").to(str),
        Var(_js_expr=f"({e}.target.value ?? '')").to(str),
        Var(_js_expr=f"({e}.target.dataset.committed ?? '')").to(str),
    )


class ChipInput(Input):
    """An <input> whose key handler also gets the committed text."""

    on_key_down: EventHandler[chip_key_event] = field(
        doc="Fired on key down with (key, value, committed text)"
    )


chip_input = ChipInput.create
