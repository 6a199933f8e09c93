"""Settings read from the environment, with safe local defaults."""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'talent_pool.sqlite'}"
DEFAULT_SECRET = "local-development-secret-change-me"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the BFF can be configured with."""

    environment: str
    database_url: str
    secret_key: str
    session_ttl_hours: int
    public_web_url: str
    max_json_body_bytes: int
    database_pool: bool

    @property
    def is_production(self) -> bool:
        """Whether this process serves real users."""
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is an SQLite file."""
        return self.database_url.startswith("sqlite")


class InsecureSettings(RuntimeError):
    """Production was asked to start with a development default."""


@functools.lru_cache
def get_settings() -> Settings:
    """Read the settings once per process."""
    settings = Settings(
        environment=os.environ.get("TP_ENV", "development"),
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        secret_key=os.environ.get("TP_SECRET_KEY", DEFAULT_SECRET),
        session_ttl_hours=int(os.environ.get("TP_SESSION_TTL_HOURS", "336")),
        public_web_url=os.environ.get("TP_PUBLIC_WEB_URL", "http://localhost:3000").rstrip("/"),
        max_json_body_bytes=int(os.environ.get("TP_MAX_JSON_BODY_BYTES", str(256 * 1024))),
        database_pool=os.environ.get("TP_DATABASE_POOL", "1") != "0",
    )
    if settings.is_production and settings.secret_key == DEFAULT_SECRET:
        raise InsecureSettings("TP_SECRET_KEY must be set in production")
    return settings
