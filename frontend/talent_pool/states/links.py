"""The Invitation links dialog: create a link, copy its URL, rotate or revoke it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time
from typing import ClassVar

import reflex as rx

from shared.links import LinkCreate, LinkPublic

from ..api import ApiError
from ..display import calendar_date
from .contact_form import ContactFormMixin
from .session import SessionState

LINK_FIELDS = ("label", "expires_at", "max_signups", "allowed_domains", "tags")
STATE_LABELS = {"active": "Active", "revoked": "Revoked", "expired": "Expired", "full": "Full"}
STATE_COLORS = {"active": "green", "revoked": "gray", "expired": "amber", "full": "blue"}


@dataclasses.dataclass
class LinkCard:
    """One link in the dialog, formatted for display."""

    id: int
    label: str
    url: str
    state: str
    state_label: str
    state_color: str
    counts_text: str
    limits_text: str
    tags: list[str]
    active: bool
    # The funnel: [name, figure] pairs, and the last 30 days for the chart ({"day", "views", "signups"}).
    funnel: list[list[str]] = dataclasses.field(default_factory=list)
    chart: list[dict[str, str | int]] = dataclasses.field(default_factory=list)
    chart_label: str = ""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _hours_text(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 1:
        return "under 1 h"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.1f} days"


def funnel_figures(link: LinkPublic) -> list[list[str]]:
    """The funnel of a link as [name, figure] pairs, in the order people pass through it."""
    counts = link.counts
    return [
        ["Views", f"{counts.views:,}"],
        ["Sign-ups", f"{counts.signups:,}"],
        ["Confirmed", f"{counts.confirmed:,}"],
        ["Approved", f"{counts.approved:,}"],
        ["Rejected", f"{counts.rejected:,}"],
        ["Median to approval", _hours_text(counts.median_hours_to_approval)],
    ]


def chart_points(link: LinkPublic) -> list[dict[str, str | int]]:
    """The chart's points: one a day, labelled like "30 Nov"."""
    return [{"day": f"{d.day.day} {d.day:%b}", "views": d.views, "signups": d.signups} for d in link.days]


def link_card(link: LinkPublic) -> LinkCard:
    """Format a link for the dialog."""
    counts = link.counts
    parts = [_plural(counts.signups, "sign-up", "sign-ups"), f"{counts.waiting:,} waiting for approval"]
    if counts.unconfirmed:
        # They cannot be approved until they confirm their email, so they are not counted as waiting for approval.
        parts.append(f"{counts.unconfirmed:,} waiting for email confirmation")
    parts.append(f"{counts.approved:,} approved")
    counts_text = " · ".join(parts)
    limits: list[str] = []
    if link.expires_at:
        limits.append(f"Expires {calendar_date(link.expires_at)}")
    if link.max_signups:
        limits.append(f"Up to {_plural(link.max_signups, 'sign-up', 'sign-ups')}")
    if link.allowed_domains:
        limits.append("Only " + ", ".join(f"@{d}" for d in link.allowed_domains))
    return LinkCard(
        id=link.id,
        label=link.label,
        url=link.url,
        state=link.state,
        state_label=STATE_LABELS.get(link.state, link.state.capitalize()),
        state_color=STATE_COLORS.get(link.state, "gray"),
        counts_text=counts_text,
        limits_text=" · ".join(limits),
        tags=list(link.tags),
        active=link.state == "active",
        funnel=funnel_figures(link),
        chart=chart_points(link),
        chart_label=(
            f"Last 30 days of {link.label}: {sum(d.views for d in link.days):,} views, "
            f"{sum(d.signups for d in link.days):,} sign-ups"
        ),
    )


class LinksState(ContactFormMixin, SessionState):
    """The company's invitation links and the create form."""

    TAG_INPUT_ID: ClassVar[str] = "link-tags"

    links: list[LinkCard] = []
    links_loading: bool = False
    links_error: str = ""
    label: str = ""
    expires_on: str = ""
    max_signups: str = ""
    domains_text: str = ""
    busy_id: int = 0
    confirm_id: int = 0
    confirm_action: str = ""

    @rx.var
    def confirm_open(self) -> bool:
        """Whether a Rotate / Revoke confirmation is showing."""
        return self.confirm_id != 0

    @rx.var
    def confirm_title(self) -> str:
        """The confirmation's question."""
        return "Rotate this link?" if self.confirm_action == "rotate" else "Revoke this link?"

    @rx.var
    def confirm_text(self) -> str:
        """What the confirmed action does."""
        if self.confirm_action == "rotate":
            return (
                "The link gets a new URL. The old URL stops working at once; people who already "
                "signed up are not affected."
            )
        return "Nobody can sign up through this link any more. People who already signed up are not affected."

    @rx.var
    def confirm_button(self) -> str:
        """The confirming button's words."""
        return "Rotate" if self.confirm_action == "rotate" else "Revoke"

    def _reset_form(self) -> None:
        self.label = ""
        self.expires_on = ""
        self.max_signups = ""
        self.domains_text = ""
        self.tags = []
        self.tag_draft = ""
        self.errors = {}
        self.form_error = ""
        self.saving = False

    async def _load(self):
        self.links_loading = True
        self.links_error = ""
        yield
        try:
            links = await self.api().list_links()
        except ApiError as err:
            self.links_loading = False
            self.links_error = err.message()
            yield self._failed(err, inline=True)
            return
        self.links = [link_card(link) for link in links]
        self.links_loading = False

    @rx.event
    async def open_dialog(self):
        """Open the dialog with an empty form and the current links."""
        self._reset_form()
        self.confirm_id = 0
        self.dialog_open = True
        async for update in self._load():
            yield update

    @rx.event
    def close_dialog(self):
        """On load of the Talent Pool: a reload or a new visit starts with the dialog closed."""
        self.dialog_open = False
        self.confirm_id = 0

    @rx.event
    def set_label(self, value: str):
        """Keep the typed label."""
        self.label = value
        self._clear_error("label")

    @rx.event
    def set_expires_on(self, value: str):
        """Keep the chosen date."""
        self.expires_on = value
        self._clear_error("expires_at")

    @rx.event
    def set_max_signups(self, value: str):
        """Keep the typed maximum."""
        self.max_signups = value
        self._clear_error("max_signups")

    @rx.event
    def set_domains_text(self, value: str):
        """Keep the typed domains."""
        self.domains_text = value
        self._clear_error("allowed_domains")

    def _link_create(self) -> LinkCreate | None:
        errors: dict[str, str] = {}
        expires_at = None
        if self.expires_on.strip():
            try:
                day = datetime.strptime(self.expires_on.strip(), "%Y-%m-%d").date()
                expires_at = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
            except ValueError:
                errors["expires_at"] = "Pick a date."
        max_signups = None
        if self.max_signups.strip():
            try:
                max_signups = int(self.max_signups.strip())
            except ValueError:
                errors["max_signups"] = "Enter a whole number."
        if errors:
            self.errors = errors
            return None
        domains = [d.strip().lstrip("@").lower() for d in self.domains_text.replace(";", ",").split(",")]
        return LinkCreate(
            label=self.label.strip(),
            expires_at=expires_at,
            max_signups=max_signups,
            allowed_domains=[d for d in domains if d],
            tags=self._tags_with_draft(),
        )

    @rx.event
    async def create(self, _form_data: dict | None = None):
        """Create the link; it appears first in the list."""
        if self.saving:
            return
        self.errors = {}
        self.form_error = ""
        data = self._link_create()
        if data is None:
            return
        self.saving = True
        yield
        try:
            link = await self.api().create_link(data)
        except ApiError as err:
            self.saving = False
            self.errors = {k: v for k, v in err.field_messages().items() if k in LINK_FIELDS}
            if not self.errors:
                self.form_error = err.message()
            yield self._failed(err, inline=True)
            return
        self._reset_form()
        self.links = [link_card(link)] + [item for item in self.links if item.id != link.id]
        yield rx.toast.success(f"Link “{link.label}” created")

    @rx.event
    def copy_link(self, url: str):
        """Put a link's URL on the clipboard."""
        return [rx.set_clipboard(url), rx.toast.success("Link copied")]

    @rx.event
    def ask(self, link_id: int, action: str):
        """Ask before rotating or revoking a link."""
        self.confirm_id = link_id
        self.confirm_action = action

    @rx.event
    def set_confirm_open(self, is_open: bool):
        """Close the confirmation (Escape, Cancel)."""
        if not is_open:
            self.confirm_id = 0

    @rx.event
    async def confirm(self):
        """Rotate or revoke the link the confirmation is about."""
        link_id, action = self.confirm_id, self.confirm_action
        if not link_id or self.busy_id:
            return
        self.busy_id = link_id
        yield
        api = self.api()
        try:
            link = await (api.rotate_link(link_id) if action == "rotate" else api.revoke_link(link_id))
        except ApiError as err:
            self.busy_id = 0
            self.confirm_id = 0
            yield self._failed(err)
            return
        self.busy_id = 0
        self.confirm_id = 0
        self.links = [link_card(link) if item.id == link_id else item for item in self.links]
        if action == "rotate":
            yield rx.toast.success("Link rotated: the old URL no longer works")
        else:
            yield rx.toast.success("Link revoked")
