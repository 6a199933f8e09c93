"""A timer that asks the server to check for changes while the page is open and visible.

A small React component of our own (`assets/live_ticker.jsx`). The server answers each tick with
whatever changed: every web app replica can answer it, and the timer stops with the page.
"""

from __future__ import annotations

import reflex as rx


class LiveTicker(rx.Component):
    """Renders nothing; fires `on_tick` every `interval_ms` while the page is visible."""

    library = "$/public/live_ticker.jsx"
    tag = "LiveTicker"

    interval_ms: rx.Var[int]

    on_tick: rx.EventHandler[lambda: []]


live_ticker = LiveTicker.create
