"""HTTP routes for staged uploads: send one file ahead of the invitation, or remove it."""

from typing import Annotated

from litestar import Controller, Request, delete, post
from litestar.params import QueryParameter

from backend.auth import REQUIRE_SESSION
from backend.files import IncomingFile
from backend.http import CurrentPrincipal, PathId
from backend.settings import get_settings
from backend.uploads import service
from shared.uploads import UploadPublic


class UploadController(Controller):
    """The company's staged files."""

    path = "/api/uploads"
    tags = ["uploads"]
    dependencies = REQUIRE_SESSION

    @post("", status_code=201, request_max_body_size=get_settings().max_file_bytes + 1)
    async def stage(
        self,
        principal: CurrentPrincipal,
        request: Request,
        filename: Annotated[str, QueryParameter(min_length=1, max_length=1000)],
    ) -> UploadPublic:
        """Upload one file as the request body; an invitation attaches it by its id within 24 hours."""
        return await service.stage_upload(principal, IncomingFile(filename=filename, data=await request.body()))

    @delete("/{upload_id:int}", status_code=204)
    async def remove(self, principal: CurrentPrincipal, upload_id: PathId) -> None:
        """Remove a staged file that is no longer wanted."""
        await service.remove_upload(principal, upload_id)
