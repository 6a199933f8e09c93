"""Reflex configuration for the Talent Pool web app; ports come from the CLI."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

config = rx.Config(
    app_name="talent_pool",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="light",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="light",
                accent_color="indigo",
                gray_color="slate",
                radius="large",
                scaling="100%",
            )
        ),
    ],
    disable_plugins=[SitemapPlugin],
)
