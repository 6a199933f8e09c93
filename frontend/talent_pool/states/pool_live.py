"""Live refresh of an open Talent Pool page.

While the page is visible, it asks every few seconds whether anything changed (a worker accepting, an
applicant confirming their email, an import adding rows, a teammate's edit) and then shows the new
rows and counts, keeping the search, filters, page and ticked rows. The check is one small call to
the BFF; any web app replica can answer it.
"""

from __future__ import annotations

import reflex as rx

from ..api import ApiError
from .pool import PoolState

# How often an open, visible Talent Pool page checks for changes.
LIVE_INTERVAL_MS = 4000


class PoolLiveState(PoolState):
    """Checks the BFF's stamp of the pool and reloads the rows and counts when it changed."""

    @rx.event
    async def check_for_changes(self):
        """One tick of the page's timer: reload quietly (no spinner) if the pool changed since it was read."""
        if not self.token or not self.loaded or self.loading:
            return
        page = self.page
        try:
            stamp = (await self.api().pool_stamp()).stamp
            if stamp != self._pool_stamp:
                await self._fetch(with_counts=True)
                self.error = ""
            if self.page != page:  # the page ran past the end (a teammate deleted rows): so does the address
                yield self._url_update(replace=True)
        except ApiError as err:
            # The session ended (e.g. the person was removed from the team): log in again. Anything else
            # is tried again at the next tick.
            yield self._failed(err, inline=True)
