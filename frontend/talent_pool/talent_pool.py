"""The Talent Pool web app: pages and their routes."""

import reflex as rx

from .pages.activity import activity_page
from .pages.auth import login_page, signup_page
from .pages.invitation import invitation_page
from .pages.join import confirm_email_page, join_page
from .pages.passwords import (
    change_password_page,
    forgot_password_page,
    reset_password_page,
    worker_change_password_page,
    worker_forgot_password_page,
    worker_reset_password_page,
)
from .pages.pool import pool_page
from .pages.profile import profile_page
from .pages.settings import settings_page
from .pages.team import team_page
from .pages.team_join import team_join_page
from .pages.worker import worker_login_page, worker_portal_page
from .readiness import readiness_api
from .session_routes import session_api
from .states.activity import ActivityState
from .states.auth import AuthFormState
from .states.company_name import CompanyNameState
from .states.csv_progress import CsvProgressState
from .states.invitation import InvitationPageState
from .states.join import ConfirmEmailState, JoinState
from .states.links import LinksState
from .states.passwords import ChangePasswordState, ForgotPasswordState, ResetPasswordState
from .states.pool import PoolState
from .states.pool_bulk import PoolBulkState
from .states.pool_decisions import PoolDecisionState
from .states.pool_tags import PoolTagsState
from .states.profile import ProfileState
from .states.profile_invitation import ProfileInvitationState
from .states.profile_jobs import ProfileJobsState
from .states.session import SessionState
from .states.settings import SettingsState
from .states.team import TeamState
from .states.team_join import TeamJoinState
from .states.worker import WorkerLoginState, WorkerPortalState

app = rx.App(
    stylesheets=["/talent_pool.css"],
    # At the top: at the bottom right, toasts covered the buttons of dialogs that scroll (a new link's Revoke).
    toaster=rx.toast.provider(position="top-center"),
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
    ],
    # Sets and removes the HttpOnly session cookies (the routes change the app's states);
    # GET /_ready for the load balancer.
    api_transformer=[session_api(lambda: app), readiness_api()],
)
app.add_page(
    pool_page,
    route="/",
    title="Talent Pool",
    on_load=[
        LinksState.close_dialog,
        PoolBulkState.close_dialogs,
        PoolDecisionState.close_confirm,
        PoolTagsState.clear_suggestions,
        PoolState.load_pool,
        CsvProgressState.load_recent,
    ],
)
app.add_page(activity_page, route="/activity", title="Activity · Talent Pool", on_load=ActivityState.load_activity)
app.add_page(login_page, route="/login", title="Log in · Talent Pool", on_load=AuthFormState.open_form)
app.add_page(
    signup_page,
    route="/signup",
    title="Create your company account · Talent Pool",
    on_load=AuthFormState.open_form,
)
app.add_page(
    profile_page,
    route="/contacts/[contact_id]",
    title="Contact · Talent Pool",
    on_load=[ProfileInvitationState.close_confirm, ProfileJobsState.close_confirm, ProfileState.load_contact],
)
app.add_page(team_page, route="/team", title="Team · Talent Pool", on_load=TeamState.load_team)
app.add_page(
    team_join_page,
    route="/team/join/[team_token]",
    title="Join your team · Talent Pool",
    on_load=TeamJoinState.load_invitation,
)

# The invitee's and worker's pages: their own session cookie, apart from the company's.
app.add_page(
    invitation_page,
    route="/invite/[invite_token]",
    title="Your invitation · Talent Pool",
    on_load=InvitationPageState.load_invitation,
)
app.add_page(
    worker_login_page,
    route="/worker/login",
    title="Log in to your worker account · Talent Pool",
    on_load=WorkerLoginState.open_form,
)
app.add_page(
    worker_portal_page,
    route="/worker",
    title="Your companies · Talent Pool",
    on_load=WorkerPortalState.load_portal,
)
app.add_page(
    join_page,
    route="/join/[link_token]",
    title="Join a Talent Pool",
    on_load=JoinState.load_link,
)
app.add_page(
    confirm_email_page,
    route="/confirm-email/[confirm_token]",
    title="Confirm your email · Talent Pool",
    on_load=ConfirmEmailState.confirm,
)

# Forgotten and changed passwords, for company users and (under /worker/) workers.
app.add_page(
    forgot_password_page,
    route="/forgot-password",
    title="Forgot your password? · Talent Pool",
    on_load=ForgotPasswordState.open_form,
)
app.add_page(
    worker_forgot_password_page,
    route="/worker/forgot-password",
    title="Forgot your password? · Talent Pool",
    on_load=ForgotPasswordState.open_form,
)
app.add_page(
    reset_password_page,
    route="/reset-password/[reset_token]",
    title="Set a new password · Talent Pool",
    on_load=ResetPasswordState.open_form,
)
app.add_page(
    worker_reset_password_page,
    route="/worker/reset-password/[reset_token]",
    title="Set a new password · Talent Pool",
    on_load=ResetPasswordState.open_form,
)
app.add_page(
    settings_page,
    route="/settings",
    title="Settings · Talent Pool",
    on_load=[SessionState.require_session, SettingsState.load, CompanyNameState.load],
)
app.add_page(
    change_password_page,
    route="/account/password",
    title="Change your password · Talent Pool",
    on_load=[SessionState.require_session, ChangePasswordState.open_company_form],
)
app.add_page(
    worker_change_password_page,
    route="/worker/password",
    title="Change your password · Talent Pool",
    on_load=ChangePasswordState.open_worker_form,
)
