"""Step 1 of the CSV upload dialog: the template, and the file picked or dropped."""

from __future__ import annotations

from typing import Any

import reflex as rx

from shared.limits import MAX_CSV_BYTES, MAX_CSV_MB

from ..api import ApiError
from .csv_import import CsvImportState
from .csv_review import CsvReviewState
from .session import field_errors

UPLOAD_ID = "csv-upload"
# What react-dropzone lets through; the BFF reads the bytes and has the final word.
ACCEPTED_CSV: dict[str, list[str]] = {
    "text/csv": [".csv"],
    "application/vnd.ms-excel": [".csv"],
    "text/plain": [".txt", ".csv"],
    "text/tab-separated-values": [".tsv", ".txt"],
}


def rejected_csv_message(rejected: list[dict[str, Any]]) -> str:
    """Why the browser refused a dropped or picked file."""
    for item in rejected:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "The file")
        codes = {str(code) for code in item.get("codes") or []}
        if "file-too-large" in codes:
            return f"“{name}” is larger than {MAX_CSV_MB} MB. Split it into smaller files and upload them one by one."
        if "too-many-files" in codes:
            return "Upload one file at a time."
        if "file-invalid-type" in codes:
            return f"“{name}” is not a CSV file. Save your spreadsheet as CSV (.csv) and upload that file."
        return f"“{name}” cannot be uploaded."
    return ""


class CsvUploadState(CsvImportState):
    """Step 1: sending the file to the BFF, and why a file was refused."""

    uploading: bool = False
    file_error: str = ""

    async def _start_over(self) -> None:
        """A fresh dialog at the upload step: no file, no rows, the prefilled message."""
        self._forget_upload()
        self.uploading = False
        self.file_error = ""
        (await self.get_state(CsvReviewState))._start_over()

    @rx.event
    async def open_dialog(self):
        """Upload CSV in the ⋯ menu: a fresh dialog at the upload step (a running import shows its progress)."""
        self.dialog_open = True
        if self.running:
            self.step = "progress"
            return
        await self._start_over()

    @rx.event
    async def upload_another(self):
        """Back to the upload step with another file (the current upload is simply left)."""
        await self._start_over()

    @rx.event
    def upload_progress(self, progress: dict[str, Any]):
        """The browser is sending the file: show that it is busy at once."""
        if self.step == "upload" and float(progress.get("progress") or 0) < 1:
            self.uploading = True
            self.file_error = ""

    @rx.event
    def file_rejected(self, rejected: list[dict[str, Any]]):
        """The browser refused the file (type or size): say why, beside the field."""
        message = rejected_csv_message(rejected)
        if message:
            self.file_error = message

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        """Send the picked or dropped file to the BFF; show its problem beside the field, or the review."""
        if not files:
            return
        self.uploading = True
        self.file_error = ""
        yield
        file = files[0]
        name = file.name or file.filename or "contacts.csv"
        data = await file.read()
        if len(data) > MAX_CSV_BYTES:
            self.uploading = False
            self.file_error = rejected_csv_message([{"name": name, "codes": ["file-too-large"]}])
            return
        try:
            found = await self.api().upload_csv(name, data)
        except ApiError as err:
            self.uploading = False
            self.file_error = field_errors(err).get("file") or err.message()
            yield self._failed(err, inline=True)
            return
        self._show(found)
        self.step = "review"
        self.uploading = False
        async for update in (await self.get_state(CsvReviewState))._first_page():
            yield update

    @rx.event
    async def download_template(self):
        """The template CSV, as a download."""
        try:
            download = await self.api().import_template_csv()
        except ApiError as err:
            yield self._failed(err)
            return
        yield rx.download(data=download.data, filename=download.filename, mime_type="text/csv")
