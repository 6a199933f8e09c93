"""Per-email envelope senders (VERP): `bounce+{outbox id}-{signature}@{bounce domain}`.

A bounce comes back to the envelope sender, so the address says which outbox email it is about. The
signature is a short HMAC of the id keyed with TP_SECRET_KEY: nobody can make up a valid address for
an email, so nobody can fail someone else's email with a forged bounce.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_PREFIX = "bounce+"
# 64 bits of the HMAC-SHA256, in lower-case hex (some servers lower-case the local part).
_SIGNATURE_CHARS = 16
_LOCAL = re.compile(r"bounce\+([1-9][0-9]{0,17})-([0-9a-f]{16})")


def _signature(outbox_id: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"outbox-bounce:{outbox_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:_SIGNATURE_CHARS]


def verp_address(outbox_id: int, domain: str, secret: str) -> str:
    """The envelope sender for this outbox email."""
    return f"{_PREFIX}{outbox_id}-{_signature(outbox_id, secret)}@{domain}"


def verp_outbox_id(address: str, domain: str, secret: str) -> int | None:
    """The outbox id a bounce address names, or None unless it is ours and correctly signed."""
    local, _, address_domain = address.strip().rpartition("@")
    if not domain or address_domain.lower() != domain.lower():
        return None
    match = _LOCAL.fullmatch(local.lower())
    if match is None:
        return None
    outbox_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _signature(outbox_id, secret)):
        return None
    return outbox_id


def is_verp_address(address: str) -> bool:
    """Whether an address looks like a bounce address (the signature is not checked)."""
    return _LOCAL.fullmatch(address.strip().rpartition("@")[0].lower()) is not None
