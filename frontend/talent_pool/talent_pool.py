"""The Talent Pool web app: pages and their routes."""

import reflex as rx

from .components.chip_input import CHIP_INPUT_SCRIPT
from .pages.auth import login_page, signup_page
from .pages.pool import pool_page
from .pages.profile import profile_page
from .states.auth import AuthFormState
from .states.pool import PoolState
from .states.profile import ProfileState

app = rx.App(
    stylesheets=["/talent_pool.css"],
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.script(CHIP_INPUT_SCRIPT),
    ],
)
app.add_page(pool_page, route="/", title="Talent Pool", on_load=PoolState.load_pool)
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
    on_load=ProfileState.load_contact,
)
