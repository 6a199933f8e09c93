"""How statuses, sources and dates read on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from shared.contacts import SOURCE_LABELS, ContactSort, ContactStatus, DeliveryState, EmailDelivery
from shared.jobs import OfferStatus, RateUnit

# Badge colours per status (Radix accent colour names).
STATUS_COLORS: dict[str, str] = {
    ContactStatus.NOT_INVITED.value: "gray",
    ContactStatus.INVITED.value: "blue",
    ContactStatus.APPLIED.value: "amber",
    ContactStatus.ACTIVE.value: "green",
    ContactStatus.DECLINED.value: "red",
    ContactStatus.REJECTED.value: "tomato",
    ContactStatus.EXPIRED.value: "gray",
    ContactStatus.REVOKED.value: "gray",
}

STATUS_LABELS: dict[str, str] = {status.value: status.label for status in ContactStatus}

# Badge colours per job offer status.
OFFER_STATUS_COLORS: dict[str, str] = {
    OfferStatus.PENDING.value: "amber",
    OfferStatus.OFFERED.value: "blue",
    OfferStatus.ACCEPTED.value: "green",
    OfferStatus.DECLINED.value: "red",
    OfferStatus.WITHDRAWN.value: "gray",
}

SOURCE_TEXT: dict[str, str] = {source.value: label for source, label in SOURCE_LABELS.items()}

# (value, label) pairs for the sort picker, in the order people look for them.
SORT_OPTIONS: list[tuple[str, str]] = [
    (ContactSort.NAME.value, "Name (A–Z)"),
    (ContactSort.NAME_DESC.value, "Name (Z–A)"),
    (ContactSort.EMAIL.value, "Email (A–Z)"),
    (ContactSort.EMAIL_DESC.value, "Email (Z–A)"),
    (ContactSort.STATUS.value, "Status"),
    (ContactSort.ACTIVITY_DESC.value, "Recently active"),
    (ContactSort.ACTIVITY.value, "Least recently active"),
    (ContactSort.CREATED_DESC.value, "Newest first"),
    (ContactSort.CREATED.value, "Oldest first"),
]

PAGE_SIZES: list[str] = ["10", "25", "50", "100"]

MAX_TAGS_IN_ROW = 3


def status_label(status: str) -> str:
    """The status as people read it, e.g. "not invited"."""
    return STATUS_LABELS.get(status, status.replace("_", " "))


def source_label(source: str) -> str:
    """Where a contact came from, e.g. "CSV upload"."""
    return SOURCE_TEXT.get(source, source.replace("_", " ").capitalize())


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def calendar_date(moment: datetime) -> str:
    """A date like "12 Nov 2026"."""
    moment = _as_utc(moment)
    return f"{moment.day} {moment:%b %Y}"


def date_and_time(moment: datetime) -> str:
    """A date and time like "12 Nov 2026, 14:05 UTC"."""
    moment = _as_utc(moment)
    return f"{calendar_date(moment)}, {moment:%H:%M} UTC"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


def relative_date(moment: datetime, now: datetime | None = None) -> str:
    """A human date: "just now", "5 minutes ago", "3 days ago", or "12 Nov 2026" when older."""
    moment = _as_utc(moment)
    now = _as_utc(now) if now else datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return calendar_date(moment)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _plural(int(seconds // 60), "minute")
    if seconds < 86400:
        return _plural(int(seconds // 3600), "hour")
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return _plural(days, "day")
    return calendar_date(moment)


def delivery_text(delivery: EmailDelivery | None, now: datetime | None = None) -> str:
    """An invitation email's delivery in words: "Invitation email queued", "… sent 5 minutes ago" ("" when it
    failed, which the failure's own line says, or when there is none)."""
    if delivery is None or delivery.state is DeliveryState.FAILED:
        return ""
    if delivery.state is DeliveryState.SENT and delivery.at is not None:
        return f"Invitation email sent {relative_date(delivery.at, now)}"
    if delivery.reason:
        return f"Invitation email queued, retrying: {delivery.reason}"
    return "Invitation email queued"


def delivery_exact(delivery: EmailDelivery | None) -> str:
    """When the SMTP server accepted the invitation email ("" when it has not)."""
    if delivery is None or delivery.state is not DeliveryState.SENT or delivery.at is None:
        return ""
    return f"Accepted by the mail server {date_and_time(delivery.at)}"


def count_text(count: int, exact: bool = True) -> str:
    """A count with thousands separators, e.g. "1,234"; "10,000+" when there are more than `count`."""
    return f"{count:,}" if exact else f"{count:,}+"


def file_size_text(size: int) -> str:
    """A file size like "812 bytes", "240 KB" or "1.4 MB"."""
    if size < 1024:
        return f"{size:,} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{round(size / 1024):,} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def day_text(day: date) -> str:
    """A calendar day like "1 Mar 2027"."""
    return f"{day.day} {day:%b %Y}"


def date_range_text(start: date, end: date | None) -> str:
    """A job's dates: "1 Mar 2027 – 30 Apr 2027", or "From 1 Mar 2027" without an end."""
    if end is None:
        return f"From {day_text(start)}"
    return f"{day_text(start)} – {day_text(end)}"


def money_text(amount: Decimal) -> str:
    """An amount with thousands separators and two decimals, e.g. "4,000.00"."""
    return f"{amount:,.2f}"


def rate_text(rate: Decimal, currency: str, unit: RateUnit | str) -> str:
    """A job's rate as people read it: "85.00 EUR per hour", "4,000.00 EUR for the project"."""
    return f"{money_text(rate)} {currency} {RateUnit(unit).label}"


def place_text(remote: bool, location: str) -> str:
    """Where the job is done: "Remote", the location, or both when a remote job names a place."""
    location = location.strip()
    if remote:
        return f"Remote · {location}" if location else "Remote"
    return location or "Location not given"
