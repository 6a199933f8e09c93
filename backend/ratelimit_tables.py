"""The table of the rate limits: hits per key (action, client or account) and time window."""

from piccolo.columns import Integer, Serial, Varchar
from piccolo.table import Table

# Piccolo gives every table an `id` primary key; the `id: Serial` annotations tell the type checker.


class RateLimitWindow(Table):
    """How many requests one client made to one public action in one time window."""

    id: Serial

    key = Varchar(length=200)
    window_start = Integer()
    hits = Integer(default=0)
