"""The job offer form's fields and field errors, shared by Hire, Re-hire and Invite and offer job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import reflex as rx

from shared.jobs import JobOfferCreate, RateUnit
from shared.problems import Problem

OFFER_FIELDS = (
    "title",
    "description",
    "start_date",
    "end_date",
    "rate",
    "rate_unit",
    "currency",
    "remote",
    "location",
)
DEFAULT_CURRENCY = "EUR"
# Common ISO 4217 codes for the currency picker; a prefilled code outside this list is added to it.
COMMON_CURRENCIES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "CAD",
    "AUD",
    "NZD",
    "JPY",
    "SGD",
    "INR",
    "BRL",
    "ZAR",
)
RATE_UNIT_OPTIONS: list[tuple[str, str]] = [(unit.value, unit.label) for unit in RateUnit]


def _offer_field(name: str, prefix: str) -> str:
    """The offer form field a problem's field names ("offer.end_date" → "end_date"), or ""."""
    name = name.lstrip("/").removeprefix("$.")
    if prefix:
        if not name.startswith(prefix + "."):
            return ""
        name = name[len(prefix) + 1 :]
    name = name.split(".", 1)[0].split("[", 1)[0]
    return name if name in OFFER_FIELDS else ""


def offer_field_messages(problem: Problem, prefix: str = "") -> dict[str, str]:
    """The problem's messages for the offer form's fields, e.g. "offer.end_date" → "end_date"."""
    messages: dict[str, list[str]] = {}
    for error in problem.errors:
        field = _offer_field(error.field, prefix)
        if field:
            found = messages.setdefault(field, [])
            if error.message not in found:
                found.append(error.message)
    return {field: " ".join(found) for field, found in messages.items()}


def has_unplaced_errors(problem: Problem, prefix: str = "") -> bool:
    """Whether some field errors name no field of the offer form (they are shown above the form)."""
    return any(not _offer_field(error.field, prefix) for error in problem.errors)


def parse_day(text: str) -> date | None:
    """A date input's value ("2027-03-01"), or None when empty or not a date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_rate(text: str) -> Decimal | None:
    """The typed rate as a decimal ("85", "85.50", "1,200.5"), or None when it is not a number."""
    cleaned = text.strip().replace(" ", "").replace(",", "")
    if not cleaned:
        return None
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        return None
    return rate if rate.is_finite() else None


def rate_input_text(rate: Decimal) -> str:
    """A rate for the number input: "85.00" stays "85.00", "4000" stays "4000"."""
    return format(rate, "f")


class OfferPreferencesState(rx.State):
    """What the offer form remembers in this browser: the currency last used for an offer."""

    last_currency: str = rx.LocalStorage("", name="tp_offer_currency", sync=True)


class OfferFormMixin(rx.State, mixin=True):
    """The job offer's fields, as typed, with their field errors."""

    offer_title: str = ""
    offer_description: str = ""
    offer_start_date: str = ""
    offer_end_date: str = ""
    offer_rate: str = ""
    offer_rate_unit: str = RateUnit.HOUR.value
    offer_currency: str = DEFAULT_CURRENCY
    offer_remote: bool = False
    offer_location: str = ""
    offer_errors: dict[str, str] = {}

    @rx.var
    def currency_options(self) -> list[str]:
        """The common currencies, plus the chosen one when it is not among them."""
        if self.offer_currency and self.offer_currency not in COMMON_CURRENCIES:
            return [self.offer_currency, *COMMON_CURRENCIES]
        return list(COMMON_CURRENCIES)

    @rx.var
    def offer_location_error(self) -> str:
        """Field message for the location (and for remote, which it depends on)."""
        return " ".join(
            message
            for message in (self.offer_errors.get("location", ""), self.offer_errors.get("remote", ""))
            if message
        )

    def _fill_offer(self, offer: JobOfferCreate | None = None, currency: str = "") -> None:
        """An empty form (in `currency`), or one filled from an offer (Re-hire)."""
        self.offer_title = offer.title if offer else ""
        self.offer_description = offer.description if offer else ""
        self.offer_start_date = offer.start_date.isoformat() if offer else ""
        self.offer_end_date = offer.end_date.isoformat() if offer and offer.end_date else ""
        self.offer_rate = rate_input_text(offer.rate) if offer else ""
        self.offer_rate_unit = offer.rate_unit.value if offer else RateUnit.HOUR.value
        self.offer_currency = (offer.currency if offer else currency).strip().upper() or DEFAULT_CURRENCY
        self.offer_remote = offer.remote if offer else False
        self.offer_location = offer.location if offer else ""
        self.offer_errors = {}

    def _offer_from_form(self) -> JobOfferCreate | None:
        """The offer to send, or None with field messages when a date or the rate cannot be read.

        Only what cannot be put on the wire is checked here; the BFF applies every rule.
        """
        errors: dict[str, str] = {}
        start = parse_day(self.offer_start_date)
        if start is None:
            errors["start_date"] = (
                "Start date is required." if not self.offer_start_date.strip() else "Enter a valid date."
            )
        end = parse_day(self.offer_end_date) if self.offer_end_date.strip() else None
        if self.offer_end_date.strip() and end is None:
            errors["end_date"] = "Enter a valid date, or leave the end date empty."
        rate = parse_rate(self.offer_rate)
        if rate is None:
            errors["rate"] = (
                "Rate is required." if not self.offer_rate.strip() else "Enter the rate as a number, e.g. 85 or 85.50."
            )
        if errors or start is None or rate is None:
            self.offer_errors = errors
            return None
        return JobOfferCreate(
            title=self.offer_title.strip(),
            description=self.offer_description.strip(),
            start_date=start,
            end_date=end,
            rate=rate,
            rate_unit=RateUnit(self.offer_rate_unit),
            currency=self.offer_currency.strip().upper(),
            remote=self.offer_remote,
            location="" if self.offer_remote else self.offer_location.strip(),
        )

    def _clear_offer_error(self, *fields: str) -> None:
        if any(field in self.offer_errors for field in fields):
            self.offer_errors = {key: value for key, value in self.offer_errors.items() if key not in fields}

    @rx.event
    def set_offer_title(self, value: str):
        """Keep the typed job title."""
        self.offer_title = value
        self._clear_offer_error("title")

    @rx.event
    def set_offer_description(self, value: str):
        """Keep the typed description."""
        self.offer_description = value
        self._clear_offer_error("description")

    @rx.event
    def set_offer_start_date(self, value: str):
        """Keep the chosen start date (an end date before it is reported again by the BFF)."""
        self.offer_start_date = value
        self._clear_offer_error("start_date", "end_date")

    @rx.event
    def set_offer_end_date(self, value: str):
        """Keep the chosen end date."""
        self.offer_end_date = value
        self._clear_offer_error("end_date")

    @rx.event
    def set_offer_rate(self, value: str):
        """Keep the typed rate."""
        self.offer_rate = value
        self._clear_offer_error("rate")

    @rx.event
    def set_offer_rate_unit(self, value: str):
        """Keep the chosen rate unit."""
        if value in {unit.value for unit in RateUnit}:
            self.offer_rate_unit = value
            self._clear_offer_error("rate_unit")

    @rx.event
    def set_offer_currency(self, value: str):
        """Keep the chosen currency."""
        self.offer_currency = value.strip().upper()
        self._clear_offer_error("currency")

    @rx.event
    def set_offer_remote(self, value: bool):
        """Remote or not; a remote job needs no location."""
        self.offer_remote = bool(value)
        self._clear_offer_error("remote", "location")

    @rx.event
    def set_offer_location(self, value: str):
        """Keep the typed location."""
        self.offer_location = value
        self._clear_offer_error("location")
