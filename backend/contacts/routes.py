"""HTTP routes for the Talent Pool: contacts, tags and status counts."""

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from backend.auth import REQUIRE_SESSION
from backend.contacts import changes, delivery, listing, removal, service
from backend.contacts.listing import PAGE_SIZE_MAX, ContactQuery
from backend.http import CurrentPrincipal, PathId
from shared.contacts import (
    TAG_CHARS,
    ContactCreate,
    ContactIds,
    ContactPage,
    ContactPublic,
    ContactSort,
    ContactStatus,
    ContactUpdate,
    EmailFailureCount,
    PoolStamp,
    StatusCount,
    Tag,
    TagCount,
)
from shared.fields import NO_NUL_PATTERN, text_schema


class ContactController(Controller):
    """The caller's trusted contacts."""

    path = "/api"
    tags = ["contacts"]
    dependencies = REQUIRE_SESSION

    @get("/contacts")
    async def list_contacts(
        self,
        principal: CurrentPrincipal,
        q: Annotated[str, QueryParameter(max_length=200, pattern=NO_NUL_PATTERN)] = "",
        status: FromQuery[tuple[ContactStatus, ...]] = (),
        tag: Annotated[tuple[Tag, ...], QueryParameter(schema_extra={"items": text_schema(TAG_CHARS)})] = (),
        sort: FromQuery[ContactSort] = ContactSort.NAME,
        worked_before: FromQuery[bool] = False,
        email_failed: FromQuery[bool] = False,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=PAGE_SIZE_MAX)] = 25,
    ) -> ContactPage:
        """Search, filter, sort and page the Talent Pool."""
        query = ContactQuery(
            q=q,
            statuses=list(status),
            tags=list(tag),
            sort=sort,
            worked_before=worked_before,
            email_failed=email_failed,
            page=page,
            page_size=page_size,
        )
        return await listing.list_contacts(principal, query)

    @post("/contacts", status_code=201)
    async def create_contact(self, principal: CurrentPrincipal, data: JSONBody[ContactCreate]) -> ContactPublic:
        """Add a trusted contact."""
        return await service.create_contact(principal, data)

    @get("/contacts/{contact_id:int}")
    async def get_contact(self, principal: CurrentPrincipal, contact_id: PathId) -> ContactPublic:
        """One contact's profile."""
        return await service.get_contact(principal, contact_id)

    @patch("/contacts/{contact_id:int}")
    async def update_contact(
        self, principal: CurrentPrincipal, contact_id: PathId, data: JSONBody[ContactUpdate]
    ) -> ContactPublic:
        """Change some fields of a contact."""
        return await service.update_contact(principal, contact_id, data)

    @delete("/contacts/{contact_id:int}", status_code=204)
    async def delete_contact(self, principal: CurrentPrincipal, contact_id: PathId) -> None:
        """Remove a contact from the pool."""
        await removal.delete_contacts(principal, [contact_id])

    @post("/contacts/bulk-delete", status_code=204)
    async def delete_contacts(self, principal: CurrentPrincipal, data: JSONBody[ContactIds]) -> None:
        """Remove several contacts at once, all or none."""
        await removal.delete_contacts(principal, data.ids)

    @get("/contacts/status-counts")
    async def status_counts(self, principal: CurrentPrincipal) -> list[StatusCount]:
        """How many contacts are in each status."""
        return await listing.status_counts(principal)

    @get("/contacts/email-failures")
    async def email_failures(self, principal: CurrentPrincipal) -> EmailFailureCount:
        """How many contacts have an email that could not be delivered."""
        return await delivery.count_email_failures(principal)

    @get("/contacts/changes")
    async def pool_stamp(self, principal: CurrentPrincipal) -> PoolStamp:
        """A stamp that changes whenever the Talent Pool's rows or counts may have changed (for live refresh)."""
        return await changes.pool_stamp(principal)

    @get("/tags")
    async def list_tags(
        self,
        principal: CurrentPrincipal,
        q: Annotated[str, QueryParameter(max_length=200, pattern=NO_NUL_PATTERN)] = "",
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> list[TagCount]:
        """The company's tags, most used first."""
        return await listing.list_tags(principal, q, limit)
