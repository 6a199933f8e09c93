"""Every route of the BFF against every caller: anonymous, a worker-less Member, an Admin and an Owner.

The table below names the rule of each route. It is checked against the app's own route list, so a new
route without a rule here fails the suite until someone decides who may use it.
"""

import pytest

from backend.app import create_app
from backend.auth import role_rule
from shared.team import TeamRole
from tests.factories import make_company, make_teammate

PUBLIC, WORKER, SESSION, ADMIN, OWNER = "public", "worker", "session", "admin", "owner"

RULES: dict[tuple[str, str], str] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/schema"): PUBLIC,
    ("GET", "/schema/openapi.json"): PUBLIC,
    ("GET", "/schema/scalar"): PUBLIC,
    ("GET", "/schema/{path:str}"): PUBLIC,
    # Company accounts.
    ("POST", "/api/auth/signup"): PUBLIC,
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/logout"): SESSION,
    ("GET", "/api/auth/me"): SESSION,
    ("POST", "/api/auth/password-reset"): PUBLIC,
    ("POST", "/api/auth/password-reset/complete"): PUBLIC,
    ("POST", "/api/auth/password"): SESSION,
    # The Talent Pool: every teammate.
    ("POST", "/api/contacts"): SESSION,
    ("GET", "/api/contacts"): SESSION,
    ("PATCH", "/api/contacts/{contact_id:int}"): SESSION,
    ("DELETE", "/api/contacts/{contact_id:int}"): SESSION,
    ("GET", "/api/contacts/{contact_id:int}"): SESSION,
    ("POST", "/api/contacts/bulk-delete"): SESSION,
    ("GET", "/api/contacts/email-failures"): SESSION,
    ("GET", "/api/tags"): SESSION,
    ("GET", "/api/contacts/changes"): SESSION,
    # The company's name: Owners only.
    ("PATCH", "/api/company"): OWNER,
    # Company settings: Owners and Admins.
    ("GET", "/api/settings/reminders"): ADMIN,
    ("PUT", "/api/settings/reminders"): ADMIN,
    # The activity log: every teammate reads it; nobody edits it.
    ("GET", "/api/activity"): SESSION,
    ("GET", "/api/activity/people"): SESSION,
    ("GET", "/api/activity.csv"): SESSION,
    ("GET", "/api/contacts/status-counts"): SESSION,
    ("POST", "/api/contacts/{contact_id:int}/correct-email"): SESSION,
    ("GET", "/api/contacts/{contact_id:int}/files/{file_id:int}"): SESSION,
    ("GET", "/api/contacts/{contact_id:int}/history"): SESSION,
    ("POST", "/api/invitations"): SESSION,
    ("POST", "/api/invitations/form"): SESSION,
    ("POST", "/api/contacts/{contact_id:int}/invitation/resend"): SESSION,
    ("POST", "/api/invitations/resend"): SESSION,
    ("POST", "/api/contacts/{contact_id:int}/invitation/revoke"): SESSION,
    ("POST", "/api/invitations/revoke"): SESSION,
    ("POST", "/api/contacts/{contact_id:int}/invitation"): SESSION,
    ("DELETE", "/api/uploads/{upload_id:int}"): SESSION,
    ("POST", "/api/uploads"): SESSION,
    ("POST", "/api/contacts/{contact_id:int}/offers"): SESSION,
    ("GET", "/api/contacts/{contact_id:int}/offers"): SESSION,
    ("GET", "/api/contacts/{contact_id:int}/offers/prefill"): SESSION,
    ("POST", "/api/offers/{offer_id:int}/withdraw"): SESSION,
    # Applicants: everyone decides; the pool's badge reads the counts.
    ("GET", "/api/applicants/counts"): SESSION,
    ("POST", "/api/applicants/approve"): SESSION,
    ("POST", "/api/applicants/reject"): SESSION,
    # Invitation links: managed by Owners and Admins only.
    ("GET", "/api/links"): ADMIN,
    ("POST", "/api/links"): ADMIN,
    ("POST", "/api/links/{link_id:int}/revoke"): ADMIN,
    ("POST", "/api/links/{link_id:int}/rotate"): ADMIN,
    # CSV imports: everyone.
    ("POST", "/api/imports/{import_id:int}/email-preview"): SESSION,
    ("GET", "/api/imports/{import_id:int}"): SESSION,
    ("GET", "/api/imports/{import_id:int}/not-imported.csv"): SESSION,
    ("GET", "/api/imports"): SESSION,
    ("POST", "/api/imports"): SESSION,
    ("GET", "/api/imports/{import_id:int}/rows"): SESSION,
    ("POST", "/api/imports/{import_id:int}/selection"): SESSION,
    ("POST", "/api/imports/{import_id:int}/start"): SESSION,
    ("GET", "/api/imports/template.csv"): PUBLIC,
    # The team: Owners and Admins (the Owner's own rights are checked by the service).
    ("GET", "/api/team"): ADMIN,
    ("POST", "/api/team/invitations"): ADMIN,
    ("POST", "/api/team/invitations/{invitation_id:int}/resend"): ADMIN,
    ("POST", "/api/team/invitations/{invitation_id:int}/revoke"): ADMIN,
    ("POST", "/api/team/members/{user_id:int}/role"): ADMIN,
    ("POST", "/api/team/members/{user_id:int}/remove"): ADMIN,
    ("GET", "/api/public/team-invitations/{token:str}"): PUBLIC,
    ("POST", "/api/public/team-invitations/{token:str}/join"): PUBLIC,
    # Public pages of invitations and links.
    ("GET", "/api/public/invitations/{token:str}"): PUBLIC,
    ("POST", "/api/public/invitations/{token:str}/accept"): PUBLIC,
    ("GET", "/api/public/links/{token:str}"): PUBLIC,
    ("POST", "/api/public/links/{token:str}/signup"): PUBLIC,
    ("POST", "/api/public/links/{token:str}/apply"): WORKER,
    ("POST", "/api/public/confirm-email/{token:str}"): PUBLIC,
    # Workers: no company user's session opens these.
    ("POST", "/api/worker/auth/login"): PUBLIC,
    ("POST", "/api/worker/auth/logout"): WORKER,
    ("GET", "/api/worker/auth/me"): WORKER,
    ("POST", "/api/worker/auth/password-reset"): PUBLIC,
    ("POST", "/api/worker/auth/password-reset/complete"): PUBLIC,
    ("POST", "/api/worker/auth/password"): WORKER,
    ("GET", "/api/worker/connections"): WORKER,
    ("POST", "/api/worker/connections/{contact_id:int}/accept"): WORKER,
    ("POST", "/api/worker/connections/{contact_id:int}/decline"): WORKER,
    ("GET", "/api/worker/offers"): WORKER,
    ("POST", "/api/worker/offers/{offer_id:int}/accept"): WORKER,
    ("POST", "/api/worker/offers/{offer_id:int}/decline"): WORKER,
    ("GET", "/api/worker/applications"): WORKER,
    ("POST", "/api/worker/confirmation/resend"): WORKER,
}

# Who may use a route of each rule; anyone else is refused (401 without a fitting session, 403 by role).
ALLOWED = {
    PUBLIC: {"anonymous", "member", "admin", "owner"},
    WORKER: set(),
    SESSION: {"member", "admin", "owner"},
    ADMIN: {"admin", "owner"},
    OWNER: {"owner"},
}
# An id no row has, and a token no link has: an allowed call reaches the service and finds nothing.
NO_ID = "2147483000"
# Required query parameters, read before the caller is.
QUERY = {("POST", "/api/uploads"): {"filename": "cv.pdf"}}


def _app_routes() -> set[tuple[str, str]]:
    routes = set()
    for route in create_app().routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                if method not in ("OPTIONS", "HEAD"):
                    routes.add((method, route.path))
    return routes


def _url(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith(":int}"):
            part = NO_ID
        elif part.startswith("{path:"):
            part = "nothing.json"
        elif part.startswith("{"):
            part = "no-such-token"
        parts.append(part)
    return "/".join(parts)


def test_list_routes_every_route_has_a_rule():
    app_routes = _app_routes()
    assert sorted(app_routes - RULES.keys()) == [], "routes without a rule: add them to RULES"
    assert sorted(RULES.keys() - app_routes) == [], "rules of routes that no longer exist"


def test_list_routes_declared_guard_matches_rule():
    """The guard a route declares (its `principal` provider) is the rule the table names."""
    app = create_app()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            rule = role_rule(handler)
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                expected = RULES[(method, route.path)]
                if expected in (SESSION, ADMIN, OWNER):
                    assert rule == expected, f"{method} {route.path} declares {rule}, the table says {expected}"
                else:
                    assert rule is None, f"{method} {route.path} resolves a company session but is {expected}"


@pytest.fixture
async def callers():
    """A company with an Owner, an Admin and a Member, each signed in; headers per caller."""
    owner = await make_company("Acme Ltd")
    admin = await make_teammate(owner, TeamRole.ADMIN)
    member = await make_teammate(owner, TeamRole.MEMBER)
    return {"anonymous": {}, "member": member.headers, "admin": admin.headers, "owner": owner.headers}


@pytest.mark.parametrize(("method", "path"), sorted(RULES), ids=[f"{m} {p}" for m, p in sorted(RULES)])
async def test_call_route_each_role_allowed_or_refused(client, callers, method, path):
    rule = RULES[(method, path)]
    for caller, headers in callers.items():
        # An empty JSON object: enough to get past the body to the rule (a form route reads it as no file).
        body = {"json": {}} if method in ("POST", "PATCH", "PUT") and caller != "anonymous" else {}
        response = await client.request(
            method, _url(path), headers=headers, params=QUERY.get((method, path), {}), **body
        )
        answer = response.json() if response.headers.get("content-type", "").endswith("json") else None
        code = answer.get("code") if isinstance(answer, dict) else None
        where = f"{method} {path} as {caller}: {response.status_code} {code}"
        if caller in ALLOWED[rule]:
            assert response.status_code not in (401, 403), where
            assert response.status_code < 500, where
        elif caller == "anonymous" or rule == WORKER:
            assert response.status_code == 401, where
        else:
            assert (response.status_code, code) == (403, "role_required"), where
