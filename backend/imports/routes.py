"""HTTP routes for Flow 3: upload a contacts CSV, review its rows, choose them, import, and download what was left out."""

from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from backend.auth import REQUIRE_SESSION
from backend.http import CurrentPrincipal, PathId
from backend.imports import service
from backend.imports.runner import wake_runners
from backend.imports.service import PAGE_SIZE_MAX
from backend.imports.upload import received_file
from shared.imports import EmailPreview, ImportMessage, ImportPublic, ImportRowPage, ImportSelection, RowVerdict
from shared.limits import MAX_CSV_BYTES


def _csv_download(filename: str, data: bytes) -> Response:
    return Response(
        content=data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


class ImportController(Controller):
    """The company's CSV uploads."""

    path = "/api/imports"
    tags = ["imports"]
    dependencies = REQUIRE_SESSION

    @post("", status_code=201, request_max_body_size=MAX_CSV_BYTES + 1)
    async def upload(
        self,
        principal: CurrentPrincipal,
        request: Request,
        filename: Annotated[str, QueryParameter(max_length=1000)] = "contacts.csv",
    ) -> ImportPublic:
        """Upload a CSV file as the request body (at most 200 MB, streamed to disk); returns the preview's summary."""
        async with received_file(request.stream()) as upload:
            return await service.create_import(principal, filename, upload)

    @get("")
    async def recent(self, principal: CurrentPrincipal) -> list[ImportPublic]:
        """The latest uploads, newest first."""
        return await service.list_imports(principal)

    @get("/template.csv", media_type="text/csv")
    async def template(self) -> Response:
        """A CSV to fill in: the columns and two example rows."""
        return _csv_download("talent-pool-template.csv", service.template_csv())

    @get("/{import_id:int}")
    async def get_import(self, principal: CurrentPrincipal, import_id: PathId) -> ImportPublic:
        """One upload with its counts and progress."""
        return await service.get_import(principal, import_id)

    @get("/{import_id:int}/rows")
    async def rows(
        self,
        principal: CurrentPrincipal,
        import_id: PathId,
        verdict: FromQuery[RowVerdict | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=PAGE_SIZE_MAX)] = 50,
    ) -> ImportRowPage:
        """A page of the preview, optionally one verdict only."""
        return await service.import_rows(principal, import_id, verdict, page, page_size)

    @post("/{import_id:int}/selection", status_code=200)
    async def select(
        self, principal: CurrentPrincipal, import_id: PathId, data: JSONBody[ImportSelection]
    ) -> ImportPublic:
        """Choose which rows to import."""
        return await service.select_rows(principal, import_id, data)

    @post("/{import_id:int}/email-preview", status_code=200)
    async def email_preview(
        self, principal: CurrentPrincipal, import_id: PathId, data: JSONBody[ImportMessage]
    ) -> EmailPreview:
        """The invitation email with this message, as a recipient will see it."""
        return await service.email_preview(principal, import_id, data.message)

    @post("/{import_id:int}/start", status_code=202)
    async def start(
        self, principal: CurrentPrincipal, import_id: PathId, data: JSONBody[ImportMessage]
    ) -> ImportPublic:
        """Import the selected rows in the background; poll the upload for progress."""
        started = await service.start_import(principal, import_id, data.message)
        await wake_runners()
        return started

    @get("/{import_id:int}/not-imported.csv", media_type="text/csv")
    async def not_imported(self, principal: CurrentPrincipal, import_id: PathId) -> Response:
        """The rows that did not become contacts, with the reason."""
        return _csv_download(*await service.not_imported_csv(principal, import_id))
