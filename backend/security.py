"""Passwords and opaque tokens: argon2 hashes, 256-bit random tokens stored as SHA-256."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when an account is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
TOKEN_MAX_LENGTH = 200


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; costs the same when there is no account."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    """The stored form of an opaque token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token of 256 random bits, and its hash."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def plausible_token(token: str | None) -> bool:
    """Cheap shape check before any lookup: present, not absurdly long, URL-safe characters."""
    return bool(token) and len(token) <= TOKEN_MAX_LENGTH and all(c.isalnum() or c in "-_" for c in token)
