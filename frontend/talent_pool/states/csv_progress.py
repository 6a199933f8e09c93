"""Step 3 of the CSV upload dialog: the import running in the background, its result, and the Talent Pool banner."""

from __future__ import annotations

import asyncio

import reflex as rx

from shared.imports import ImportStatus

from ..api import ApiError, TalentPoolApi
from .csv_import import CsvImportState, plural
from .pool import PoolState

POLL_SECONDS = 0.5
# Polls that may fail in a row (the BFF restarting, say) before the dialog stops following the import.
POLL_FAILURES_MAX = 60
LOST_TRACK = "We lost track of this import. Reload the page to see where it is."


class CsvProgressState(CsvImportState):
    """Step 3: following the import, the result with the rows not imported, and the banner while the dialog is closed."""

    downloading: bool = False

    # Each progress watcher knows its number; a newer watcher replaces an older one.
    _watch_seq: int = 0

    @rx.var
    def progress_percent(self) -> int:
        """How far the import is, 0–100."""
        if not self.selected:
            return 100 if self.finished else 0
        return min(100, round(self.processed * 100 / self.selected))

    @rx.var
    def progress_text(self) -> str:
        """E.g. "Imported 1,200 of 5,000"."""
        return f"Imported {self.processed:,} of {self.selected:,}"

    @rx.var
    def result_numbers(self) -> dict[str, str]:
        """The result's numbers with thousands separators."""
        return {
            "invited": f"{self.invited:,}",
            "skipped": f"{self.skipped:,}",
            "not_imported": f"{self.not_imported:,}",
        }

    @rx.var
    def result_title(self) -> str:
        """The result's headline."""
        if self.failed:
            return "The import stopped"
        return f"Imported {plural(self.invited, 'contact', 'contacts')}"

    @rx.var
    def show_banner(self) -> bool:
        """The Talent Pool page shows the banner: an import runs or just ended, and the dialog is closed."""
        return (
            bool(self.import_id)
            and not self.dialog_open
            and not self.banner_dismissed
            and self.status in (ImportStatus.IMPORTING.value, ImportStatus.DONE.value, ImportStatus.FAILED.value)
        )

    @rx.var
    def banner_text(self) -> str:
        """E.g. "Importing contacts.csv: 1,200 of 5,000"."""
        if self.status == ImportStatus.DONE.value:
            return f"Imported {self.filename}: {plural(self.invited, 'contact', 'contacts')} added"
        if self.status == ImportStatus.FAILED.value:
            return f"The import of {self.filename} stopped after {self.processed:,} of {self.selected:,}"
        return f"Importing {self.filename}: {self.processed:,} of {self.selected:,}"

    async def _follow(self):
        """An import was started: watch it while it runs, or show how it ended."""
        if self.running:
            yield CsvProgressState.watch_import
            return
        async for update in self._finish():
            yield update

    async def _finish(self):
        """The import ended: refresh the table behind the dialog; say so if the dialog is closed."""
        if not self.dialog_open:
            if self.failed:
                yield rx.toast.error(f"The import of {self.filename} stopped", description=self.import_error)
            else:
                yield rx.toast.success(self.banner_text)
        yield PoolState.reload

    @rx.event
    async def load_recent(self):
        """On load of the Talent Pool page: follow an import that is still running."""
        self.dialog_open = False
        if not self.token:
            return
        try:
            recent = await self.api().recent_imports()
        except ApiError:
            return  # the page's own load reports a lost session or an unreachable service
        running = next((item for item in recent if item.status is ImportStatus.IMPORTING), None)
        if running is None:
            # Only a running import gets the banner on a fresh visit.
            self.banner_dismissed = True
            if self.running:
                self.status = ""
            return
        self._show(running)
        self.step = "progress"
        self.banner_dismissed = False
        yield CsvProgressState.watch_import

    def _lost(self, err: ApiError):
        """Polling failed for good: log in again on 401, else the import is shown as stopped."""
        ended = self._failed(err, inline=True)
        if ended is None:
            self.status = ImportStatus.FAILED.value
            self.import_error = LOST_TRACK
        return ended

    @rx.event(background=True)
    async def watch_import(self):
        """Follow the running import about twice a second until it is done or failed."""
        async with self:
            self._watch_seq += 1
            seq = self._watch_seq
            import_id = self.import_id
            api = TalentPoolApi(self.token)
        failures = 0
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                found = await api.get_import(import_id)
            except ApiError as err:
                failures += 1
                if not (err.is_unauthorized or err.is_not_found or failures >= POLL_FAILURES_MAX):
                    continue
                async with self:
                    if self._watch_seq != seq or self.import_id != import_id:
                        return
                    ended = self._lost(err)
                if ended is not None:
                    yield ended
                return
            failures = 0
            async with self:
                if self._watch_seq != seq or self.import_id != import_id:
                    return
                self._show(found)
                if self.running:
                    continue
                updates = [update async for update in self._finish()]
            for update in updates:
                yield update
            return

    @rx.event
    async def download_not_imported(self):
        """The rows that did not become contacts, with the reason for each, as a CSV download."""
        if self.downloading or not self.import_id:
            return
        self.downloading = True
        yield
        try:
            download = await self.api().not_imported_csv(self.import_id)
        except ApiError as err:
            self.downloading = False
            yield self._failed(err)
            return
        self.downloading = False
        yield rx.download(data=download.data, filename=download.filename, mime_type="text/csv")

    @rx.event
    def done(self):
        """Done: close the dialog and show the Talent Pool with the new contacts."""
        self.dialog_open = False
        self.banner_dismissed = True
        return PoolState.reload
