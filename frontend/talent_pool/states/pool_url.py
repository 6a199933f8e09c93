"""The Talent Pool page's view (search, filters, sort, page) as the URL's query string, both ways."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import parse_qs, urlencode

from shared.contacts import ContactSort, ContactStatus

from ..display import PAGE_SIZES

DEFAULT_SORT = "name"
DEFAULT_PAGE_SIZE = 25
MAX_QUERY_LENGTH = 200
MAX_TAG_FILTERS = 20
MAX_TAG_LENGTH = 100
MAX_PAGE = 1_000_000
SEARCH_BOX_ID = "pool-search"

_STATUSES = {status.value for status in ContactStatus}
_SORTS = {sort.value for sort in ContactSort}

# Sortable columns: the ascending sort value and whether the first click sorts descending.
COLUMN_SORTS: dict[str, tuple[str, bool]] = {
    "name": ("name", False),
    "email": ("email", False),
    "status": ("status", False),
    "last_activity": ("last_activity_at", True),
}


@dataclasses.dataclass(frozen=True)
class PoolView:
    """What the Talent Pool shows: the search, filters, sort and page."""

    query: str = ""
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    worked_before: bool = False
    email_failed: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def to_path(self) -> str:
        """The page's path with this view in its query string (defaults left out)."""
        params: list[tuple[str, str]] = []
        if self.query:
            params.append(("q", self.query))
        params.extend(("status", status) for status in self.statuses)
        params.extend(("tag", tag) for tag in self.tags)
        if self.worked_before:
            params.append(("worked_before", "1"))
        if self.email_failed:
            params.append(("email_failed", "1"))
        if self.sort != DEFAULT_SORT:
            params.append(("sort", self.sort))
        if self.page != 1:
            params.append(("page", str(self.page)))
        if self.page_size != DEFAULT_PAGE_SIZE:
            params.append(("size", str(self.page_size)))
        return f"/?{urlencode(params)}" if params else "/"


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _positive_int(value: str, *, limit: int) -> int | None:
    if not (value.isascii() and value.isdigit()) or len(value) > 7:
        return None
    number = int(value)
    return number if 1 <= number <= limit else None


def view_from_query(query_string: str) -> PoolView:
    """The view a query string asks for; anything unknown or out of range falls back to its default."""
    params = parse_qs(query_string, keep_blank_values=False)

    def first(name: str) -> str:
        return params.get(name, [""])[0]

    page_size = first("size")
    return PoolView(
        query=first("q").replace("\x00", "")[:MAX_QUERY_LENGTH],
        statuses=_unique([value for value in params.get("status", []) if value in _STATUSES]),
        tags=_unique(
            [tag.strip() for tag in params.get("tag", []) if tag.strip() and len(tag) <= MAX_TAG_LENGTH][
                :MAX_TAG_FILTERS
            ]
        ),
        worked_before=first("worked_before") == "1",
        email_failed=first("email_failed") == "1",
        sort=first("sort") if first("sort") in _SORTS else DEFAULT_SORT,
        page=_positive_int(first("page"), limit=MAX_PAGE) or 1,
        page_size=int(page_size) if page_size in PAGE_SIZES else DEFAULT_PAGE_SIZE,
    )


def history_script(path: str, *, current: str, replace: bool) -> str:
    """Show `path` in the address bar, as a new history entry or in place of the current one.

    Nothing changes unless the address bar still shows `current` and the Talent Pool's own path (the
    person may have gone Back or Forward, or opened a profile, since). The router's own state stays
    with the entry, so Back and Forward work as usual.
    """
    method = "replaceState" if replace else "pushState"
    return (
        f"(() => {{ const target = {json.dumps(path)}; const here = window.location.pathname + window.location.search;"
        f" if (window.location.pathname !== target.split('?')[0]) return;"
        f" if (here === target || here !== {json.dumps(current)}) return;"
        f" window.history.{method}(window.history.state, '', target); }})()"
    )


def search_box_script(query: str) -> str:
    """Show the URL's search in the search box, unless the person typed there before the page was ready.

    Answers what the box shows when it keeps what was typed (else null).
    """
    target = json.dumps(query)
    box = json.dumps(SEARCH_BOX_ID)
    return (
        f"(() => {{ const box = document.getElementById({box}); if (!box) return null;"
        " const first = box.dataset.restored !== '1'; box.dataset.restored = '1';"
        f" if (first && box.value !== '' && box.value !== {target}) return box.value;"
        f" if (box.value !== {target}) box.value = {target};"
        " return null; })()"
    )
