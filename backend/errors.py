"""Domain errors raised by services, and their one mapping to RFC 9457 problems."""

from __future__ import annotations

import logging
import re

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from shared.problems import FieldError, Problem

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"


class DomainError(Exception):
    """A rule of the domain said no; carries a stable code and field errors."""

    status = 400
    code = "bad_request"
    title = "The request cannot be processed"

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        if code:
            self.code = code

    def to_problem(self) -> Problem:
        """This error as problem details."""
        return Problem(title=self.title, status=self.status, code=self.code, detail=self.detail, errors=self.errors)


class MalformedBody(DomainError):
    """The body cannot be read at all (not UTF-8, not JSON, nested too deeply)."""

    status = 400
    code = "malformed_request"
    title = "The request body cannot be read"


class NotAuthenticated(DomainError):
    """No valid session."""

    status = 401
    code = "not_authenticated"
    title = "You need to log in"


class NotFound(DomainError):
    """Nothing of that kind is visible to the caller."""

    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The change clashes with what is stored."""

    status = 409
    code = "conflict"
    title = "Conflict"


class ValidationFailed(DomainError):
    """One or more fields are invalid."""

    status = 422
    code = "validation_failed"
    title = "Some fields are invalid"


class RuleViolation(DomainError):
    """The change is well-formed but not allowed in the current state."""

    status = 422
    code = "rule_violation"
    title = "That is not allowed"


class EmailNotConfirmed(DomainError):
    """The worker account has not proven it owns its email, so it may not act on what is sent there."""

    status = 403
    code = "email_not_confirmed"
    title = "Confirm your email address first"


class RateLimited(DomainError):
    """Too many requests from one client; `Retry-After` says when to try again."""

    status = 429
    code = "rate_limited"
    title = "Too many requests"


class NotReady(DomainError):
    """The process cannot serve requests now: its database does not answer, or it is shutting down."""

    status = 503
    code = "not_ready"
    title = "Not ready to serve requests"


class UnsupportedMediaType(DomainError):
    """The body is not of the media type the route reads (JSON routes read only JSON)."""

    status = 415
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


HTTP_CODES = {
    400: ("malformed_request", "The request is malformed"),
    401: ("not_authenticated", "You need to log in"),
    403: ("forbidden", "Not allowed"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("payload_too_large", "The request is too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    429: ("rate_limited", "Too many requests"),
}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    """Serialise a problem with its media type."""
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


_NOT_ALLOWED_CHARACTERS = "Expected `str` matching regex"
# Litestar reports a JSON body that is absent altogether as the missing key `data`.
_NO_BODY = "'data'"
_NUMBER_BOUND = re.compile(r"^Expected `(?:int|float|decimal)` (<=|>=|<|>) (-?[0-9.]{1,40})$")
_BOUND_WORDS = {"<=": "at most", ">=": "at least", "<": "less than", ">": "more than"}
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]{1,100})`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]{1,100})`")


def _body_field(key: str | None) -> str:
    """Turn msgspec's `$.tags[3]` path into the field name `tags`."""
    if not key:
        return "body"
    key = key.removeprefix("$.").removeprefix("$")
    return key.split(".")[0].split("[")[0] or "body"


def handle_domain_error(_: Request, exc: DomainError) -> Response:
    """Map a domain error to its problem."""
    return problem_response(exc.to_problem(), exc.headers or None)


def _field_error(item: dict) -> FieldError:
    """One of Litestar's validation messages as a field error people can act on."""
    message = str(item.get("message", "Invalid value"))
    field = _body_field(item.get("key"))
    if item.get("key") == "data" and message == _NO_BODY:
        return FieldError(field="body", message="The request needs a JSON body.", code="required")
    if unknown := _UNKNOWN_FIELD.search(message):
        return FieldError(field=unknown.group(1), message="This field is not accepted.", code="unknown_field")
    if missing := _MISSING_FIELD.search(message):
        return FieldError(field=missing.group(1), message="This field is required.", code="required")
    if bound := _NUMBER_BOUND.match(message):
        return FieldError(field=field, message=f"Must be {_BOUND_WORDS[bound.group(1)]} {bound.group(2)}.", code="out_of_range")
    if message.startswith(_NOT_ALLOWED_CHARACTERS):
        return FieldError(field=field, message="This contains characters that are not allowed (NUL).", code="invalid_characters")
    return FieldError(field=field, message=message)


def handle_validation_exception(_: Request, exc: ValidationException) -> Response:
    """A body or parameter that failed to decode: say which field and why."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(item) for item in extra if isinstance(item, dict)]
    detail = str(exc.detail or "")
    if not errors and " - at `" in detail:
        message, _, path = detail.partition(" - at `")
        errors.append(FieldError(field=_body_field(path.rstrip("`")), message=message))
    problem = Problem(
        title="Some fields are invalid",
        status=422 if errors else 400,
        code="validation_failed" if errors else "malformed_body",
        detail=detail if not errors else "",
        errors=errors,
    )
    return problem_response(problem)


def handle_http_exception(_: Request, exc: HTTPException) -> Response:
    """Any other HTTP error, as a problem with a stable code."""
    code, title = HTTP_CODES.get(exc.status_code, ("error", "The request failed"))
    headers = dict(exc.headers or {})
    return problem_response(Problem(title=title, status=exc.status_code, code=code, detail=str(exc.detail or "")), headers)


def handle_unexpected(_: Request, exc: Exception) -> Response:
    """Log the failure; tell the caller only that something went wrong."""
    log.exception("unhandled error", exc_info=exc)
    return problem_response(
        Problem(title="Something went wrong on our side", status=500, code="internal_error")
    )


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_exception,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
