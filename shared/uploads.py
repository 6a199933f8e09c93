"""Staged uploads on the wire: a file sent before the invitation that attaches it."""

import msgspec


class UploadPublic(msgspec.Struct, kw_only=True):
    """A staged file: its id (for `upload_ids` of an invitation), safe name and size in bytes."""

    id: int
    name: str
    size: int
