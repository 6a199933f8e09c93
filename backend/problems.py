"""Domain errors as HTTP: each error class's status code and headers, the RFC 9457 body, and the app's exception handlers."""

from __future__ import annotations

import logging
import re

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from backend.errors import (
    Conflict,
    DomainError,
    EmailNotConfirmed,
    FileTooLarge,
    Forbidden,
    Gone,
    MalformedBody,
    NotAuthenticated,
    NotFound,
    NotReady,
    RateLimited,
    RuleViolation,
    UnsupportedMediaType,
    ValidationFailed,
)
from shared.problems import FieldError, Problem

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"

# The status of each domain error; a subclass answers as its nearest listed ancestor, anything else 400.
STATUS_CODES: dict[type[DomainError], int] = {
    MalformedBody: 400,
    NotAuthenticated: 401,
    EmailNotConfirmed: 403,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    FileTooLarge: 413,
    UnsupportedMediaType: 415,
    ValidationFailed: 422,
    RuleViolation: 422,
    RateLimited: 429,
    NotReady: 503,
}


def status_of(error: DomainError) -> int:
    """The HTTP status code a domain error answers with."""
    for kind in type(error).__mro__:
        if kind in STATUS_CODES:
            return STATUS_CODES[kind]
    return 400


def headers_of(error: DomainError) -> dict[str, str]:
    """The headers a domain error answers with: `Retry-After` when it says when to try again."""
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return {"Retry-After": str(error.retry_after)}
    return {}


def problem_of(error: DomainError) -> Problem:
    """A domain error as problem details."""
    return Problem(
        title=error.title, status=status_of(error), code=error.code, detail=error.detail, errors=error.errors
    )


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
    return problem_response(problem_of(exc), headers_of(exc) or None)


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
        return FieldError(
            field=field, message=f"Must be {_BOUND_WORDS[bound.group(1)]} {bound.group(2)}.", code="out_of_range"
        )
    if message.startswith(_NOT_ALLOWED_CHARACTERS):
        return FieldError(
            field=field, message="This contains characters that are not allowed (NUL).", code="invalid_characters"
        )
    return FieldError(field=field, message=message)


def handle_validation_exception(_: Request, exc: ValidationException) -> Response:
    """A body or parameter that failed to decode: say which field and why."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(item) for item in extra if isinstance(item, dict)]
    detail = str(exc.detail or "")
    if not errors and " - at `" in detail:
        message, path = detail.split(" - at `", 1)
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
    return problem_response(
        Problem(title=title, status=exc.status_code, code=code, detail=str(exc.detail or "")), headers
    )


def handle_unexpected(_: Request, exc: Exception) -> Response:
    """Log the failure; tell the caller only that something went wrong."""
    log.exception("unhandled error", exc_info=exc)
    return problem_response(Problem(title="Something went wrong on our side", status=500, code="internal_error"))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_exception,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
