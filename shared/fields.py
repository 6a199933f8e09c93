"""Field types every wire schema shares: database ids and text that can be stored anywhere."""

from typing import Annotated

import msgspec

# Ids are 32-bit integers in the database (SERIAL on PostgreSQL); a larger number names nothing.
ID_MAX = 2**31 - 1
# NUL cannot be stored in PostgreSQL text and is never part of a name, an email or a search.
NO_NUL_PATTERN = "^[^\\x00]*$"

Id = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX, description="An id: a whole number from 1 to 2147483647.")]
# A count a person chooses (e.g. a link's sign-up cap): stored as a 32-bit integer.
Count = Annotated[int, msgspec.Meta(ge=0, le=ID_MAX)]


def text(max_length: int) -> type[str]:
    """A string of at most `max_length` characters without NUL."""
    return Annotated[str, msgspec.Meta(max_length=max_length, pattern=NO_NUL_PATTERN)]  # type: ignore[return-value]
