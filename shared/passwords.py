"""Password recovery and change on the wire."""

from typing import Annotated

import msgspec

from shared.accounts import Email, Password

ResetToken = Annotated[str, msgspec.Meta(max_length=400)]


class PasswordResetRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Ask for a reset link by email; the answer is the same whether or not the email has an account."""

    email: Email


class PasswordResetComplete(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new password, with the token of the emailed link."""

    token: ResetToken
    password: Password


class PasswordChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A signed-in person's new password; the current one proves it is them."""

    current_password: Password
    new_password: Password


class ResetRequested(msgspec.Struct, kw_only=True):
    """The one answer to a reset request."""

    detail: str
