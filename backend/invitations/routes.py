"""HTTP routes for Flow 1: inviting, resending, revoking, history, files and the public invitation page."""

from urllib.parse import quote

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, JSONBody

from backend.auth import REQUIRE_SESSION
from backend.contacts import service as contacts
from backend.contacts.history import contact_history
from backend.errors import ValidationFailed
from backend.files import MAX_FILES, IncomingFile
from backend.http import THROTTLED, CurrentPrincipal, PathId, client_address
from backend.invitations import corrections, public, service
from backend.ratelimit import throttle
from backend.settings import get_settings
from shared.contacts import ContactIds, ContactPublic, EmailCorrection
from shared.invitations import (
    ContactEvent,
    InvitationAccept,
    InvitationPreview,
    InvitationResult,
    InvitationSend,
    InviteCreate,
    WorkerSessionPublic,
)
from shared.problems import FieldError


def _upload_limit() -> int:
    return MAX_FILES * get_settings().max_file_bytes + 1024 * 1024


def _invite_part(raw: str) -> InviteCreate:
    """The `invite` part of the Invite form: InviteCreate as JSON, or a field error for `invite`."""
    try:
        return msgspec.json.decode(raw, type=InviteCreate)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(errors=[FieldError(field="invite", message=str(exc), code="invalid")]) from None
    except (msgspec.DecodeError, RecursionError):
        message = "The `invite` part must be the invitation as JSON."
        raise ValidationFailed(errors=[FieldError(field="invite", message=message, code="invalid")]) from None


async def _invite_form(request: Request) -> tuple[InviteCreate, list[IncomingFile]]:
    """Read the multipart Invite form: the `invite` part is InviteCreate as JSON, `files` the attachments."""
    form = await request.form()
    invite = _invite_part(str(form.get("invite") or ""))
    files = []
    for part in form.getall("files") if "files" in form else []:
        if isinstance(part, UploadFile):
            files.append(IncomingFile(filename=part.filename or "file", data=await part.read()))
    return invite, files


class InvitationController(Controller):
    """The company's side of personal invitations."""

    path = "/api"
    tags = ["invitations"]
    dependencies = REQUIRE_SESSION

    @post("/contacts/{contact_id:int}/correct-email", status_code=200)
    async def correct_email(
        self, principal: CurrentPrincipal, contact_id: PathId, data: JSONBody[EmailCorrection]
    ) -> ContactPublic:
        """Correct the address of an invitation that could not be delivered, and send it again."""
        return await corrections.correct_email_and_resend(principal, contact_id, data)

    @post("/invitations", status_code=201)
    async def invite(self, principal: CurrentPrincipal, data: JSONBody[InviteCreate]) -> ContactPublic:
        """Invite a person by email (no files)."""
        return await service.invite_contact(principal, data)

    @post("/invitations/form", status_code=201, request_max_body_size=_upload_limit())
    async def invite_with_files(self, principal: CurrentPrincipal, request: Request) -> ContactPublic:
        """Invite a person by email with files, as multipart form data."""
        invite, files = await _invite_form(request)
        return await service.invite_contact(principal, invite, files)

    @post("/contacts/{contact_id:int}/invitation", status_code=204)
    async def send(self, principal: CurrentPrincipal, contact_id: PathId, data: JSONBody[InvitationSend]) -> None:
        """Invite a contact added by hand (Flow 1), optionally with a job offer that waits for the answer."""
        await service.send_invitation(principal, contact_id, data.message, data.offer)

    @post("/contacts/{contact_id:int}/invitation/resend", status_code=204)
    async def resend(self, principal: CurrentPrincipal, contact_id: PathId) -> None:
        """Send a fresh invitation link; the old one stops working."""
        await service.resend_invitation(principal, contact_id)

    @post("/contacts/{contact_id:int}/invitation/revoke", status_code=204)
    async def revoke(self, principal: CurrentPrincipal, contact_id: PathId) -> None:
        """Withdraw the pending invitation."""
        await service.revoke_invitation(principal, contact_id)

    @post("/invitations/resend", status_code=200)
    async def resend_many(self, principal: CurrentPrincipal, data: JSONBody[ContactIds]) -> InvitationResult:
        """Resend to several contacts."""
        return await service.resend_invitations(principal, data.ids)

    @post("/invitations/revoke", status_code=200)
    async def revoke_many(self, principal: CurrentPrincipal, data: JSONBody[ContactIds]) -> InvitationResult:
        """Revoke several contacts' invitations."""
        return await service.revoke_invitations(principal, data.ids)

    @get("/contacts/{contact_id:int}/history")
    async def history(self, principal: CurrentPrincipal, contact_id: PathId) -> list[ContactEvent]:
        """A contact's history, newest first."""
        await service.contact_for_company(principal, contact_id)
        return await contact_history(principal.company_id, contact_id)

    @get("/contacts/{contact_id:int}/files/{file_id:int}")
    async def download(self, principal: CurrentPrincipal, contact_id: PathId, file_id: PathId) -> Response:
        """Download a contact's file (team only)."""
        file = await contacts.read_contact_file(principal, contact_id, file_id)
        return Response(
            content=file.data,
            media_type=file.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.filename)}",
                "X-Content-Type-Options": "nosniff",
            },
        )


class PublicInvitationController(Controller):
    """The invitee's side: no session needed, the link's token is the key."""

    path = "/api/public/invitations"
    tags = ["public"]

    @get("/{token:str}", opt=THROTTLED)
    async def preview(self, request: Request, token: FromPath[str]) -> InvitationPreview:
        """What the invitation page shows."""
        await throttle("invitation-view", client_address(request), token)
        return await public.preview_invitation(token)

    @post("/{token:str}/accept", status_code=201, opt=THROTTLED)
    async def accept(
        self, request: Request, token: FromPath[str], data: JSONBody[InvitationAccept]
    ) -> WorkerSessionPublic:
        """Create the worker account and sign in."""
        await throttle("invitation-accept", client_address(request), token)
        return await public.accept_invitation(token, data)
