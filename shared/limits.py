"""Every limit the BFF enforces and the web app shows, in one place.

The BFF checks the business limits below after it has normalised the input (trimmed,
single-spaced, lower-cased), and answers with a message that names the field and the limit.
The wire schemas accept a little more raw input (`raw_input`), so that text which fits once
normalised is not refused for its spaces, and a value just over the limit still gets the
field's own message rather than a decoding error.
"""

from __future__ import annotations

# A contact.
NAME_MAX = 200
EMAIL_MAX = 254  # an address's longest form (RFC 5321 path limit)
TAG_MAX = 50
TAGS_MAX = 30
LINK_MAX = 2_000
LINKS_MAX = 20
NOTES_MAX = 10_000

# The personal message of an invitation (and of a CSV import's invitations).
MESSAGE_MAX = 5_000

# Files attached to a contact when inviting.
MAX_FILES = 5
MAX_FILE_MB = 10  # the BFF's default; an operator may set another with TP_MAX_FILE_BYTES
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

# A CSV upload.
MAX_CSV_MB = 200
MAX_CSV_BYTES = MAX_CSV_MB * 1024 * 1024
MAX_CSV_ROWS = 1_000_000

# A job offer.
TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
LOCATION_MAX = 200

# The password rule, for company users and workers alike.
PASSWORD_MIN = 10
PASSWORD_MAX = 200
PASSWORD_RULE = f"At least {PASSWORD_MIN} characters."


def raw_input(limit: int) -> int:
    """How many characters the wire schema accepts for a field whose normalised value may hold `limit`."""
    return 2 * limit


# Reminders of unanswered invitations: at most this many, each after 1 to this many days.
REMINDERS_MAX = 2
REMINDER_DAYS_MAX = 60
