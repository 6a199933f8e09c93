"""Piccolo's configuration: the engine chosen by DATABASE_URL and the app registry."""

from piccolo.conf.apps import AppRegistry

from backend.db import engine_from_url
from backend.settings import get_settings

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["backend.piccolo_app"])
