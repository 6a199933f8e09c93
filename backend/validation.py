"""Field rules shared by the services: names, emails, tags, links, free text."""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from backend.errors import FieldErrors
from shared.limits import (  # noqa: F401  (re-exported: the services name them from here)
    EMAIL_MAX,
    LINK_MAX,
    LINKS_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    NOTES_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    TAG_MAX,
    TAGS_MAX,
)

_SPACES = re.compile(r"\s+")


# Unicode's control characters (category Cc) except tab, newline and carriage return, and the
# bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make text
# display in another order than it is stored.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing: format characters (U+200B, U+FEFF, …), separators, and letters
# drawn blank (Hangul fillers, the blank Braille pattern).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_control_characters(text: str) -> bool:
    """Whether the text holds characters such as NUL, escape codes or bidi overrides (tabs and newlines excluded)."""
    return _CONTROL_CHARACTERS.search(text) is not None


def is_invisible(text: str) -> bool:
    """Whether nothing of the text would show on screen (e.g. only U+200B or U+FEFF)."""
    return all(ch in _BLANK_LETTERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text)


def text_problem(text: str) -> str | None:
    """Why a name or tag cannot be used as it is (one rule for forms, the API and CSV rows), or None."""
    if has_control_characters(text):
        return "contains characters that are not allowed"
    if not text.isascii() and is_invisible(text):
        return "has no visible characters"
    return None


def clean_name(value: str, errors: FieldErrors, field: str = "name", label: str = "Name") -> str:
    """A person's or company's name: trimmed, single-spaced, 1–200 characters, printable."""
    name = _SPACES.sub(" ", value).strip()
    if not name:
        errors.add(field, f"{label} is required.", "required")
    elif len(name) > NAME_MAX:
        errors.add(field, f"{label} must be at most {NAME_MAX} characters.", "too_long")
    elif problem := text_problem(value):
        errors.add(field, f"{label} {problem}.", "invalid_characters")
    return name


def normalise_email(value: str) -> str:
    """The comparable form of an email: trimmed and lower-cased."""
    return value.strip().lower()


# A plain dot-atom local part (letters, digits, the usual symbols, single dots inside).
_SIMPLE_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@functools.lru_cache(maxsize=4096)
def _domain_problem(domain: str) -> str | None:
    """Why an address at this domain is invalid, or None; cached because domains repeat in bulk input."""
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def email_problem(email: str) -> str | None:
    """Why a normalised address is invalid, or None.

    Plain local parts are checked here and the domain once per domain; anything unusual
    (quotes, unicode, odd dots) goes through the full validator.
    """
    local, at, domain = email.rpartition("@")
    if at and len(local) <= 64 and _SIMPLE_LOCAL.match(local):
        return _domain_problem(domain)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def clean_email(value: str, errors: FieldErrors, field: str = "email") -> str:
    """A deliverable-looking email address, normalised."""
    email = normalise_email(value)
    if not email:
        errors.add(field, "Email is required.", "required")
        return email
    if len(email) > EMAIL_MAX:
        errors.add(field, f"Email must be at most {EMAIL_MAX} characters.", "too_long")
        return email
    problem = email_problem(email)
    if problem:
        errors.add(field, f"Enter a valid email address: {problem}", "invalid_email")
    return email


def normalise_tag(value: str) -> str:
    """A tag's canonical form: trimmed, single-spaced, lower-case."""
    return _SPACES.sub(" ", value).strip().lower()


def clean_tags(values: list[str], errors: FieldErrors, field: str = "tags") -> list[str]:
    """Distinct normalised tags, in the order given."""
    tags: list[str] = []
    for raw in values:
        tag = normalise_tag(raw)
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            errors.add(field, f"Each tag must be at most {TAG_MAX} characters.", "too_long")
            return []
        if problem := text_problem(tag):
            errors.add(field, f"A tag {problem}.", "invalid_characters")
            return []
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        errors.add(field, f"A contact can have at most {TAGS_MAX} tags.", "too_many")
    return tags


def clean_links(values: list[str], errors: FieldErrors, field: str = "links") -> list[str]:
    """Distinct http(s) URLs."""
    links: list[str] = []
    for raw in values:
        link = raw.strip()
        if not link:
            continue
        parts = urlsplit(link)
        if len(link) > LINK_MAX:
            errors.add(field, f"Each link must be at most {LINK_MAX} characters.", "too_long")
            return []
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            errors.add(field, f"“{link[:80]}” is not a web address starting with http:// or https://.", "invalid_url")
            return []
        if link not in links:
            links.append(link)
    if len(links) > LINKS_MAX:
        errors.add(field, f"A contact can have at most {LINKS_MAX} links.", "too_many")
    return links


def clean_notes(value: str, errors: FieldErrors, field: str = "notes") -> str:
    """Free text up to 10,000 characters."""
    notes = value.strip()
    if len(notes) > NOTES_MAX:
        errors.add(field, f"Notes must be at most {NOTES_MAX:,} characters.", "too_long")
    elif has_control_characters(notes):
        errors.add(field, "Notes contain characters that are not allowed.", "invalid_characters")
    return notes


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's frequency lists (from leaked password dumps), lower-case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(password.lower() for password in FREQUENCY_LISTS["passwords"])


def check_password(value: str, errors: FieldErrors, field: str = "password") -> str:
    """The one password rule: 10–200 characters, not all one character, not a well-known common password."""
    if len(value) < PASSWORD_MIN:
        errors.add(field, f"Password must be at least {PASSWORD_MIN} characters.", "too_short")
    elif len(value) > PASSWORD_MAX:
        errors.add(field, f"Password must be at most {PASSWORD_MAX} characters.", "too_long")
    elif len(set(value)) < 4:
        errors.add(field, "Password is too easy to guess: use at least 4 different characters.", "too_weak")
    elif value.strip().lower() in common_passwords():
        errors.add(
            field, "This password is on a list of common passwords. Choose one that is harder to guess.", "too_common"
        )
    return value


def clean_message(value: str, errors: FieldErrors, field: str = "message") -> str:
    """An invitation message: plain text up to 5,000 characters (HTML is shown as text)."""
    message = value.strip()
    if len(message) > MESSAGE_MAX:
        errors.add(field, f"The message must be at most {MESSAGE_MAX:,} characters.", "too_long")
    elif has_control_characters(message):
        errors.add(field, "The message contains characters that are not allowed.", "invalid_characters")
    return message
