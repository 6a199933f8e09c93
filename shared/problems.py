"""RFC 9457 problem details as the BFF sends them."""

import msgspec


class FieldError(msgspec.Struct, kw_only=True):
    """One invalid field: where it is, what is wrong, and a stable code."""

    field: str
    message: str
    code: str = "invalid"


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem; `code` is stable, `detail` is for people."""

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str = ""
    errors: list[FieldError] = []

    def field_messages(self) -> dict[str, str]:
        """Map each field to its first message, for showing beside form fields."""
        messages: dict[str, str] = {}
        for error in self.errors:
            messages.setdefault(error.field, error.message)
        return messages
