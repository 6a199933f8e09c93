"""The Litestar application: routes, error mapping, OpenAPI and the database lifecycle."""

from litestar import Litestar
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from backend.accounts.routes import AuthController
from backend.accounts.service import authenticate
from backend.activity.routes import ActivityController
from backend.auth import use_session_lookups
from backend.connections.routes import WorkerConnectionController
from backend.contacts.routes import ContactController
from backend.db import close_database, open_database
from backend.email.sender import start_sender_in_app, stop_sender_in_app
from backend.health import health, ready
from backend.http import ApiRequest, screen_request
from backend.imports.routes import ImportController
from backend.imports.runner import start_import_runner_in_app, stop_import_runner_in_app
from backend.invitations.routes import InvitationController, PublicInvitationController
from backend.invitations.sweeper import start_sweeper_in_app, stop_sweeper_in_app
from backend.jobs.routes import JobOfferController, WorkerOfferController
from backend.links.routes import (
    LinkController,
    PublicLinkController,
    WorkerApplicationController,
    WorkerConfirmationController,
)
from backend.openapi import document_errors_and_auth, openapi_components
from backend.passwords.routes import PasswordController, WorkerPasswordController
from backend.problems import EXCEPTION_HANDLERS
from backend.reminders.routes import ReminderSettingsController
from backend.settings import get_settings
from backend.team.routes import CompanyController, PublicTeamController, TeamController
from backend.uploads.routes import UploadController
from backend.validation import common_passwords
from backend.workers.routes import WorkerAuthController
from backend.workers.service import authenticate_worker


async def open_bff_database() -> None:
    """Start-up hook: the BFF's database pool. It takes no argument: Litestar passes the app to hooks that do."""
    await open_database()


def create_app() -> Litestar:
    """Build the BFF."""
    settings = get_settings()
    use_session_lookups(company=authenticate, worker=authenticate_worker)
    common_passwords()  # read the list now rather than during someone's sign-up
    app = Litestar(
        route_handlers=[
            health,
            ready,
            AuthController,
            ContactController,
            InvitationController,
            UploadController,
            PublicInvitationController,
            WorkerAuthController,
            WorkerConnectionController,
            JobOfferController,
            WorkerOfferController,
            LinkController,
            PublicLinkController,
            WorkerConfirmationController,
            WorkerApplicationController,
            ImportController,
            ActivityController,
            PasswordController,
            WorkerPasswordController,
            TeamController,
            CompanyController,
            PublicTeamController,
            ReminderSettingsController,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=ApiRequest,
        before_request=screen_request,
        on_startup=[open_bff_database, start_sender_in_app, start_sweeper_in_app, start_import_runner_in_app],
        on_shutdown=[stop_import_runner_in_app, stop_sweeper_in_app, stop_sender_in_app, close_database],
        request_max_body_size=settings.max_json_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Talent Pool BFF",
            version="1.0.0",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            components=openapi_components(),
        ),
        debug=False,
    )
    document_errors_and_auth(app)
    return app


app = create_app()
