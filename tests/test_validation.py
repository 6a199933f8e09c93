"""Field rules: the fast email check agrees with the full validator."""

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.validation import email_problem


def _full(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@pytest.mark.parametrize(
    "email",
    [
        "ada@example.com",
        "a.b+c@sub.example.co",
        "x@localhost",
        "a@b",
        "a..b@example.com",
        ".a@example.com",
        "a@-example.com",
        "a@example..com",
        "a@exa_mple.com",
        "ünï@example.com",
        '"quoted"@example.com',
        "a@[127.0.0.1]",
        "o'brien@example.ie",
        "a@example.com.",
        "x" * 65 + "@example.com",
        "a@" + "d" * 64 + ".com",
    ],
)
def test_email_problem_matches_full_validator(email):
    assert (email_problem(email) is None) == _full(email)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z0-9._+'-]{0,70}@[a-z0-9.-]{0,30}(\.[a-z]{0,4})?", fullmatch=True))
def test_email_problem_agrees_on_generated_addresses(email):
    assert (email_problem(email) is None) == _full(email)
