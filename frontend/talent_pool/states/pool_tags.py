"""The Talent Pool page's tag filter: suggestions for what was typed, and picking one."""

from __future__ import annotations

import dataclasses

import reflex as rx

from ..api import ApiError
from ..display import count_text
from .pool import PoolState

TAG_SUGGESTIONS = 20


@dataclasses.dataclass
class TagOption:
    """A tag suggestion in the tag filter."""

    name: str
    count: str


class PoolTagsState(PoolState):
    """The tag filter's search box and the company's tags that match it."""

    tag_query: str = ""
    tag_options: list[TagOption] = []

    async def _search_tags(self, value: str):
        self.tag_query = value
        try:
            found = await self.api().tags(q=value.strip(), limit=TAG_SUGGESTIONS)
        except ApiError as err:
            self.tag_options = []
            yield self._failed(err, inline=True)
            return
        self.tag_options = [
            TagOption(name=tag.name, count=count_text(tag.count, tag.exact))
            for tag in found
            if tag.name not in self.tags
        ]

    @rx.event
    def clear_suggestions(self):
        """On load of the Talent Pool page: an empty search box (the suggestions load when the filter opens)."""
        self.tag_query = ""
        self.tag_options = []

    @rx.event
    async def search_tags(self, value: str):
        """Suggest tags that match what was typed in the tag filter."""
        async for update in self._search_tags(value):
            yield update

    @rx.event
    async def open_tag_picker(self, is_open: bool):
        """Load the most used tags when the tag filter opens."""
        if is_open:
            async for update in self._search_tags(self.tag_query):
                yield update

    async def _pick(self, name: str):
        if not name or name in self.tags:
            return
        self.tag_query = ""
        self.tags = [*self.tags, name]
        async for update in self._apply_filters():
            yield update

    @rx.event
    async def add_tag_filter(self, name: str):
        """Narrow the list to contacts that have this tag too."""
        async for update in self._pick(name):
            yield update

    @rx.event
    async def add_typed_tag(self, key: str):
        """Enter in the tag filter picks the first suggestion."""
        if key != "Enter" or not self.tag_options:
            return
        async for update in self._pick(self.tag_options[0].name):
            yield update
