"""Contact files (CVs, portfolios): type and size checks, and a folder on disk as the store."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from backend.errors import FieldErrors
from backend.settings import get_settings
from shared.limits import MAX_FILES

# Extension → (content type, check of the first bytes). Text files must decode as UTF-8.
ALLOWED_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".doc": ("application/msword", b"\xd0\xcf\x11\xe0"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", None),
    ".md": ("text/markdown", None),
}


@dataclass(frozen=True)
class IncomingFile:
    """A file as uploaded: its name and bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with its safe name and real type."""

    filename: str
    content_type: str
    data: bytes


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/|?*')
    return name[:255] or "file"


def check_files(files: list[IncomingFile], errors: FieldErrors, field: str = "files") -> list[CheckedFile]:
    """Accept only allowed types whose content matches the extension, within the size limit."""
    limit = get_settings().max_file_bytes
    if len(files) > MAX_FILES:
        errors.add(field, f"Attach at most {MAX_FILES} files.", "too_many")
        return []
    checked = []
    for file in files:
        name = _safe_name(file.filename)
        suffix = Path(name).suffix.lower()
        if not file.data:
            errors.add(field, f"“{name}” is empty.", "empty_file")
            continue
        if len(file.data) > limit:
            errors.add(field, f"“{name}” is larger than {limit // (1024 * 1024)} MB.", "file_too_large")
            continue
        kind = ALLOWED_TYPES.get(suffix)
        if kind is None:
            allowed = ", ".join(sorted(ALLOWED_TYPES))
            errors.add(field, f"“{name}” is not an accepted type. Use one of: {allowed}.", "file_type")
            continue
        content_type, magic = kind
        if magic is not None and not file.data.startswith(magic):
            errors.add(field, f"“{name}” is not really a {suffix} file.", "file_type")
            continue
        if magic is None:
            try:
                file.data.decode("utf-8")
            except UnicodeDecodeError:
                errors.add(field, f"“{name}” is not a UTF-8 text file.", "file_type")
                continue
        checked.append(CheckedFile(filename=name, content_type=content_type, data=file.data))
    return checked


def _store_dir() -> Path:
    path = Path(get_settings().files_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_file(data: bytes) -> str:
    """Write bytes to the store under a new random key; return the key."""
    key = secrets.token_hex(16)
    target = _store_dir() / key
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return key


def read_file(key: str) -> bytes:
    """The bytes stored under a key."""
    return (_store_dir() / key).read_bytes()


def discard_file(key: str) -> None:
    """Remove a stored file (used when the transaction that referenced it failed)."""
    (_store_dir() / key).unlink(missing_ok=True)


def discard_files(keys: list[str]) -> None:
    """Remove stored files whose rows are gone (a deleted contact's files)."""
    for key in keys:
        discard_file(key)


def stored_files_older_than(seconds: float) -> list[str]:
    """Keys (and leftover `.part` names) of stored files last written more than `seconds` ago."""
    path = Path(get_settings().files_dir)
    if not path.is_dir():
        return []
    cutoff = time.time() - seconds
    old = []
    for entry in os.scandir(path):
        with contextlib.suppress(FileNotFoundError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                old.append(entry.name)
    return old
