"""HTTP routes of the activity log: read and export only (the log is append-only through the product)."""

from datetime import date
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, get
from litestar.params import FromQuery, QueryParameter

from backend.activity import service
from backend.activity.service import PAGE_SIZE_MAX, ActivityFilter
from backend.auth import REQUIRE_SESSION
from backend.http import CurrentPrincipal
from shared.activity import ActivityKind, ActivityPage, ActivityPerson
from shared.fields import ID_MAX

ActorId = Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)]


def _filters(actor: int | None, kind: tuple[ActivityKind, ...], date_from: date | None, date_to: date | None):
    return ActivityFilter(actor=actor, kinds=list(kind), date_from=date_from, date_to=date_to)


class ActivityController(Controller):
    """The company's activity log."""

    path = "/api"
    tags = ["activity"]
    dependencies = REQUIRE_SESSION

    @get("/activity")
    async def list_activity(
        self,
        principal: CurrentPrincipal,
        actor: ActorId = None,
        kind: FromQuery[tuple[ActivityKind, ...]] = (),
        date_from: FromQuery[date | None] = None,
        date_to: FromQuery[date | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=PAGE_SIZE_MAX)] = 25,
    ) -> ActivityPage:
        """Who changed what, newest first, filtered by person, kind and date range."""
        filters = _filters(actor, kind, date_from, date_to)
        return await service.list_activity(principal, filters, page, page_size)

    @get("/activity/people")
    async def people(self, principal: CurrentPrincipal) -> list[ActivityPerson]:
        """The teammates the log can be filtered by."""
        return await service.activity_people(principal)

    @get("/activity.csv", media_type="text/csv")
    async def export(
        self,
        principal: CurrentPrincipal,
        actor: ActorId = None,
        kind: FromQuery[tuple[ActivityKind, ...]] = (),
        date_from: FromQuery[date | None] = None,
        date_to: FromQuery[date | None] = None,
    ) -> Response:
        """The filtered log as a CSV file that opens safely in a spreadsheet."""
        filename, data = await service.activity_csv(principal, _filters(actor, kind, date_from, date_to))
        return Response(
            content=data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
        )
