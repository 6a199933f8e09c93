"""Domain errors carry no HTTP; `backend.problems` gives each its status, headers and problem body."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backend.accounts.service import InvalidCredentials
from backend.errors import (
    Conflict,
    DomainError,
    EmailNotConfirmed,
    FileTooLarge,
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
from backend.invitations.public import InvitationGone
from backend.links.signups import LinkUnavailable
from backend.passwords.service import ResetLinkInvalid
from backend.problems import headers_of, problem_of, status_of
from shared.problems import FieldError


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError(), 400),
        (MalformedBody(), 400),
        (NotAuthenticated(), 401),
        (InvalidCredentials(), 401),
        (EmailNotConfirmed(), 403),
        (NotFound(), 404),
        (LinkUnavailable(), 404),
        (Conflict(), 409),
        (Gone(), 410),
        (InvitationGone(), 410),
        (ResetLinkInvalid(), 410),
        (FileTooLarge(), 413),
        (UnsupportedMediaType(), 415),
        (ValidationFailed(), 422),
        (RuleViolation(), 422),
        (RateLimited(), 429),
        (NotReady(), 503),
    ],
)
def test_map_domain_error_status_each_class(error, status):
    assert status_of(error) == status
    assert problem_of(error).status == status and problem_of(error).code == error.code


def test_map_rate_limited_headers_retry_after():
    assert headers_of(RateLimited(retry_after=17)) == {"Retry-After": "17"}
    assert headers_of(RateLimited()) == {}
    assert headers_of(Conflict()) == {}


def test_map_domain_error_problem_keeps_code_detail_and_fields():
    field = FieldError(field="email", message="Taken.", code="email_taken")
    problem = problem_of(Conflict(detail="Already there.", code="email_taken", errors=[field]))
    assert (problem.status, problem.code, problem.detail, problem.errors) == (
        409,
        "email_taken",
        "Already there.",
        [field],
    )


def test_import_services_without_litestar_loaded():
    """No service, nor anything a service imports, loads the web framework at run time."""
    script = (
        "import importlib, pkgutil, sys, backend\n"
        "names = ['backend.errors', 'backend.auth', 'backend.ratelimit', 'backend.invitations.writes',\n"
        "    'backend.invitations.corrections', 'backend.jobs.offers', 'backend.links.signups'] + [\n"
        "    f'backend.{p.name}.service' for p in pkgutil.iter_modules(backend.__path__)\n"
        "    if p.ispkg and importlib.util.find_spec(f'backend.{p.name}.service')]\n"
        "assert len(names) > 8, names\n"
        "for name in names: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'litestar'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
