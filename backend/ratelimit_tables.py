"""The table of the rate limits: hits per key (action, client or account) and time window."""

from piccolo.columns import Integer, Varchar
from piccolo.table import Table


class RateLimitWindow(Table):
    """How many requests one client made to one public action in one time window."""

    key = Varchar(length=200)
    window_start = Integer()
    hits = Integer(default=0)
