"""Staged uploads: a company user sends files one by one, then an invitation attaches them to the new contact.

A staged file is checked like any contact file (type, content, size), stored in the file store, and
recorded with its company and uploader. It can be removed, used once by an invitation of the same
company, or it expires after a day (the periodic sweep deletes it with its bytes).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from backend.auth import Principal
from backend.clock import utcnow
from backend.contacts.tables import ContactFileRecord
from backend.errors import Conflict, FieldErrors, NotFound, RuleViolation
from backend.files import IncomingFile, check_files, discard_file, discard_files, store_file
from backend.uploads.tables import StagedUpload
from shared.limits import MAX_FILES
from shared.uploads import UploadPublic

STAGED_TTL = timedelta(hours=24)
# Files one user may have staged and not yet used at a time (the file store is not a scratch disk).
MAX_STAGED_PER_USER = 4 * MAX_FILES
UNAVAILABLE = "A chosen file is no longer available (removed, used or expired). Choose it again."


def _fresh(principal: Principal):
    """Staged uploads of the caller's company that have not expired."""
    return (StagedUpload.company == principal.company_id) & (StagedUpload.created_at > utcnow() - STAGED_TTL)


async def stage_upload(principal: Principal, file: IncomingFile) -> UploadPublic:
    """Check one file and keep it for an invitation to come."""
    errors = FieldErrors()
    checked = check_files([file], errors, field="file")
    errors.raise_if_any()
    pending = await StagedUpload.count().where(_fresh(principal), StagedUpload.uploaded_by == principal.user_id)
    if pending >= MAX_STAGED_PER_USER:
        raise RuleViolation(
            f"You have {pending} files waiting for an invitation; send it or remove some first.",
            code="too_many_uploads",
        )
    good = checked[0]
    key = await asyncio.to_thread(store_file, good.data)
    try:
        row = StagedUpload(
            company=principal.company_id,
            uploaded_by=principal.user_id,
            filename=good.filename,
            content_type=good.content_type,
            size=len(good.data),
            storage_key=key,
        )
        await row.save()
    except BaseException:
        await asyncio.to_thread(discard_file, key)
        raise
    return UploadPublic(id=row.id, name=good.filename, size=len(good.data))


async def remove_upload(principal: Principal, upload_id: int) -> None:
    """Delete a staged file of the caller's company (and its bytes)."""
    rows = (
        await StagedUpload.delete()
        .where(StagedUpload.id == upload_id, StagedUpload.company == principal.company_id)
        .returning(StagedUpload.storage_key)
    )
    if not rows:
        raise NotFound("No such uploaded file.", code="upload_not_found")
    await asyncio.to_thread(discard_files, [row["storage_key"] for row in rows])


async def uploads_for_invite(
    principal: Principal, upload_ids: list[int], errors: FieldErrors, attached: int = 0
) -> list[dict]:
    """The staged files an invitation names, checked before its transaction: same company, unused, not expired.

    `attached` counts files sent with the invitation itself; together at most MAX_FILES.
    """
    ids = list(dict.fromkeys(upload_ids))
    if not ids:
        return []
    if len(ids) + attached > MAX_FILES:
        errors.add("upload_ids", f"Attach at most {MAX_FILES} files.", "too_many")
        return []
    rows = await StagedUpload.select().where(StagedUpload.id.is_in(ids), _fresh(principal))
    if len(rows) != len(ids):
        errors.add("upload_ids", UNAVAILABLE, "upload_unavailable")
        return []
    return sorted(rows, key=lambda row: ids.index(row["id"]))


async def attach_uploads(principal: Principal, rows: list[dict], contact_id: int) -> None:
    """Inside the invitation's transaction: the staged files become the contact's files, each used once."""
    if not rows:
        return
    taken = (
        await StagedUpload.delete()
        .where(StagedUpload.id.is_in([row["id"] for row in rows]), StagedUpload.company == principal.company_id)
        .returning(StagedUpload.id)
    )
    if len(taken) != len(rows):  # another invitation took one of them meanwhile
        raise Conflict(UNAVAILABLE, code="upload_unavailable")
    await ContactFileRecord.insert(
        *(
            ContactFileRecord(
                company=principal.company_id,
                contact=contact_id,
                filename=row["filename"],
                content_type=row["content_type"],
                size=row["size"],
                storage_key=row["storage_key"],
                uploaded_by=principal.user_id,
            )
            for row in rows
        )
    )


async def expire_staged_uploads() -> int:
    """Delete staged files older than a day, with their bytes (run by the periodic sweep); returns how many."""
    rows = (
        await StagedUpload.delete()
        .where(StagedUpload.created_at <= utcnow() - STAGED_TTL)
        .returning(StagedUpload.storage_key)
    )
    await asyncio.to_thread(discard_files, [row["storage_key"] for row in rows])
    return len(rows)
