"""Strict request media types: a route that takes a JSON body accepts only JSON.

Browsers post `text/plain`, form and multipart bodies across sites without asking; refusing them on
JSON routes means a foreign page cannot post blindly to sign-up or public routes. Upload routes read
their body themselves (multipart or raw CSV) and declare no JSON `data`, so they are not affected.
"""

from __future__ import annotations

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import BodyKwarg

from backend.errors import UnsupportedMediaType


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _reads_json(request: Request) -> bool:
    data_field = request.route_handler.parsed_data_field
    if data_field is None:
        return False
    kwarg = data_field.kwarg_definition
    return not isinstance(kwarg, BodyKwarg) or kwarg.media_type == RequestEncodingType.JSON


def _has_body(request: Request) -> bool:
    """Whether the request carries a body (an empty one is answered as a missing body, 422)."""
    length = request.headers.get("content-length", "").strip()
    return (length.isdigit() and int(length) > 0) or "transfer-encoding" in request.headers


async def require_json_body(request: Request) -> None:
    """Litestar before_request hook: a JSON route answers 415 to a body of any other media type."""
    if _reads_json(request) and _has_body(request) and not _is_json(request.content_type[0].lower()):
        raise UnsupportedMediaType(detail="Send the body as application/json.")
