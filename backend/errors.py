"""Domain errors raised by services: a stable code, a title, field errors; no HTTP here.

`backend.problems` maps each of them to its status code, headers and RFC 9457 body, in one place.
"""

from __future__ import annotations

from shared.problems import FieldError


class DomainError(Exception):
    """A rule of the domain said no; carries a stable code and field errors."""

    code = "bad_request"
    title = "The request cannot be processed"

    def __init__(self, detail: str = "", *, code: str | None = None, errors: list[FieldError] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors or []
        if code:
            self.code = code


class MalformedBody(DomainError):
    """The body cannot be read at all (not UTF-8, not JSON, nested too deeply)."""

    code = "malformed_request"
    title = "The request body cannot be read"


class NotAuthenticated(DomainError):
    """No valid session."""

    code = "not_authenticated"
    title = "You need to log in"


class NotFound(DomainError):
    """Nothing of that kind is visible to the caller."""

    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The change clashes with what is stored."""

    code = "conflict"
    title = "Conflict"


class ValidationFailed(DomainError):
    """One or more fields are invalid."""

    code = "validation_failed"
    title = "Some fields are invalid"


class RuleViolation(DomainError):
    """The change is well-formed but not allowed in the current state."""

    code = "rule_violation"
    title = "That is not allowed"


class Gone(DomainError):
    """What the request names existed but can no longer be used (a used, revoked or expired token)."""

    code = "gone"
    title = "This can no longer be used"


class FileTooLarge(DomainError):
    """The uploaded file is over the size limit."""

    code = "file_too_large"
    title = "The file is too large"


class EmailNotConfirmed(DomainError):
    """The worker account has not proven it owns its email, so it may not act on what is sent there."""

    code = "email_not_confirmed"
    title = "Confirm your email address first"


class Forbidden(DomainError):
    """The caller is signed in but their role does not allow this."""

    code = "role_required"
    title = "Your role does not allow this"


class RateLimited(DomainError):
    """Too many attempts; `retry_after` says in how many seconds to try again."""

    code = "rate_limited"
    title = "Too many requests"

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(detail, code=code, errors=errors)
        self.retry_after = retry_after


class NotReady(DomainError):
    """The process cannot serve requests now: its database does not answer, or it is shutting down."""

    code = "not_ready"
    title = "Not ready to serve requests"


class UnsupportedMediaType(DomainError):
    """The body is not of the media type the route reads (JSON routes read only JSON)."""

    code = "unsupported_media_type"
    title = "Unsupported media type"


class FieldErrors:
    """Collects field errors during validation, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        """Record one invalid field."""
        self.errors.append(FieldError(field=field, message=message, code=code))

    def raise_if_any(self) -> None:
        """Raise ValidationFailed when anything was recorded."""
        if self.errors:
            raise ValidationFailed(errors=self.errors)
