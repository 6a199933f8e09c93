"""Field types every wire schema shares: database ids and text that can be stored anywhere."""

from datetime import datetime
from typing import Annotated

import msgspec

# Ids are 32-bit integers in the database (SERIAL on PostgreSQL); a larger number names nothing.
ID_MAX = 2**31 - 1
# NUL cannot be stored in PostgreSQL text and is never part of a name, an email or a search.
NO_NUL_PATTERN = "^[^\\x00]*$"

Id = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX, description="An id: a whole number from 1 to 2147483647.")]
# A moment sent to the BFF: with its UTC offset, so it can be compared with the server's clock.
Moment = Annotated[
    datetime, msgspec.Meta(tz=True, description="A date and time with its offset, e.g. 2026-12-31T23:59:00+01:00.")
]
# A count a person chooses (e.g. a link's sign-up cap): stored as a 32-bit integer.
Count = Annotated[int, msgspec.Meta(ge=0, le=ID_MAX)]


def text(max_length: int) -> msgspec.Meta:
    """The bounds of a string of at most `max_length` characters without NUL: `Annotated[str, text(n)]`."""
    return msgspec.Meta(max_length=max_length, pattern=NO_NUL_PATTERN)


def _items(schema: dict) -> dict:
    # Litestar documents an Annotated list item without its bounds; `extra` puts them back.
    return {"extra": {"items": schema}}


def id_list(min_length: int, max_length: int) -> msgspec.Meta:
    """The bounds of a list of ids, each bound documented in the OpenAPI schema too: `Annotated[list[Id], id_list(a, b)]`."""
    item = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
    return msgspec.Meta(min_length=min_length, max_length=max_length, extra_json_schema=_items(item))


def text_schema(max_length: int) -> dict:
    """The JSON Schema of `text(max_length)`."""
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL_PATTERN}


def text_list(max_length: int, item_max_length: int) -> msgspec.Meta:
    """The bounds of a list of strings, each bound documented in the OpenAPI schema too:
    `Annotated[list[Annotated[str, text(item_max_length)]], text_list(max_length, item_max_length)]`."""
    return msgspec.Meta(max_length=max_length, extra_json_schema=_items(text_schema(item_max_length)))
