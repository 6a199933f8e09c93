"""Receiving an uploaded CSV: the request body streamed to a temporary file, never held whole in memory."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from typing import BinaryIO

from litestar.exceptions import HTTPException

from backend.imports.service import too_large
from shared.limits import MAX_CSV_BYTES

# Bytes gathered before each write to the file (off the event loop).
WRITE_BYTES = 1024 * 1024


@contextlib.asynccontextmanager
async def received_file(
    chunks: AsyncIterator[bytes], max_bytes: int = MAX_CSV_BYTES, directory: str | None = None
) -> AsyncIterator[BinaryIO]:
    """The body as a temporary file, read from its start; the file is gone once the block ends.

    More than `max_bytes` is `FileTooLarge` (413 `file_too_large`), as is Litestar's own refusal of
    a body over the route's limit. The file has no name in `directory` (the system's temporary
    folder by default), so even a crash leaves nothing behind.
    """
    with tempfile.TemporaryFile(prefix="tp-upload-", suffix=".csv", dir=directory) as handle:
        received = 0
        buffer = bytearray()
        try:
            async for chunk in chunks:
                received += len(chunk)
                if received > max_bytes:
                    raise too_large()
                buffer += chunk
                if len(buffer) >= WRITE_BYTES:
                    await asyncio.to_thread(handle.write, bytes(buffer))
                    buffer.clear()
        except HTTPException as exc:
            if exc.status_code == 413:
                raise too_large() from None
            raise
        await asyncio.to_thread(handle.write, bytes(buffer))
        del buffer
        handle.seek(0)
        yield handle
