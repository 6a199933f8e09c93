"""Settings read from the environment, with safe local defaults."""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from shared.limits import MAX_FILE_BYTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'talent_pool.sqlite'}"
DEFAULT_SECRET = "local-development-secret-change-me"


@dataclass(frozen=True, kw_only=True)
class MailSettings:
    """How the outbox sender reaches the SMTP server, and how it retries."""

    smtp_host: str
    smtp_port: int
    smtp_tls: str
    smtp_username: str
    smtp_password: str
    smtp_timeout_seconds: float
    smtp_concurrency: int
    mail_from: str
    batch_size: int
    max_attempts: int
    claim_lease_seconds: float
    run_sender: bool
    # Bounces come back to bounce+{id}-{signature}@ this domain (empty: to TP_MAIL_FROM's address).
    bounce_domain: str = ""
    bounce_port: int = 2525


def mail_settings_from_env() -> MailSettings:
    """Read the TP_SMTP_* / TP_MAIL_* variables; the defaults suit the local mail catcher."""
    mail = MailSettings(
        smtp_host=os.environ.get("TP_SMTP_HOST", "127.0.0.1"),
        smtp_port=int(os.environ.get("TP_SMTP_PORT", "1025")),
        smtp_tls=os.environ.get("TP_SMTP_TLS", "none").strip().lower(),
        smtp_username=os.environ.get("TP_SMTP_USERNAME", ""),
        smtp_password=os.environ.get("TP_SMTP_PASSWORD", ""),
        smtp_timeout_seconds=float(os.environ.get("TP_SMTP_TIMEOUT_SECONDS", "30")),
        smtp_concurrency=max(1, int(os.environ.get("TP_SMTP_CONCURRENCY", "4"))),
        mail_from=os.environ.get("TP_MAIL_FROM", "Talent Pool <no-reply@talentpool.example>"),
        batch_size=max(1, int(os.environ.get("TP_MAIL_BATCH_SIZE", "100"))),
        max_attempts=max(1, int(os.environ.get("TP_MAIL_MAX_ATTEMPTS", "8"))),
        claim_lease_seconds=float(os.environ.get("TP_MAIL_CLAIM_LEASE_SECONDS", "60")),
        run_sender=os.environ.get("TP_RUN_SENDER", "1") != "0",
        bounce_domain=os.environ.get("TP_BOUNCE_DOMAIN", "").strip().lower(),
        bounce_port=int(os.environ.get("TP_BOUNCE_PORT", "2525")),
    )
    if mail.smtp_tls not in ("none", "starttls", "tls"):
        raise ValueError("TP_SMTP_TLS must be none, starttls or tls")
    return mail


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
    invitation_ttl_days: int
    # How often the reminder pass runs beside the sender (seconds).
    reminder_interval_seconds: float = 60.0
    public_rate_limit: int
    trusted_proxies: tuple[str, ...]
    public_rate_window_seconds: int
    files_dir: str
    max_file_bytes: int
    run_imports: bool
    auth_rate_window_seconds: int
    auth_client_limit: int
    auth_account_limit: int
    reset_email_limit: int
    password_hash_workers: int
    password_hash_cost: str
    sqlite_tuning: bool
    mail: MailSettings

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
        invitation_ttl_days=int(os.environ.get("TP_INVITATION_TTL_DAYS", "14")),
        reminder_interval_seconds=max(1.0, float(os.environ.get("TP_REMINDER_INTERVAL_SECONDS", "60"))),
        public_rate_limit=int(os.environ.get("TP_PUBLIC_RATE_LIMIT", "30")),
        # Peers whose X-Forwarded-For is believed (the web app calls the BFF for its visitors); none by default.
        trusted_proxies=tuple(p.strip() for p in os.environ.get("TP_TRUSTED_PROXIES", "").split(",") if p.strip()),
        public_rate_window_seconds=int(os.environ.get("TP_PUBLIC_RATE_WINDOW_SECONDS", "60")),
        files_dir=os.environ.get("TP_FILES_DIR", str(PROJECT_ROOT / "var" / "files")),
        max_file_bytes=int(os.environ.get("TP_MAX_FILE_BYTES", str(MAX_FILE_BYTES))),
        run_imports=os.environ.get("TP_RUN_IMPORTS", "1") != "0",
        auth_rate_window_seconds=max(1, int(os.environ.get("TP_AUTH_RATE_WINDOW_SECONDS", "900"))),
        auth_client_limit=max(1, int(os.environ.get("TP_AUTH_CLIENT_LIMIT", "100"))),
        auth_account_limit=max(1, int(os.environ.get("TP_AUTH_ACCOUNT_LIMIT", "10"))),
        reset_email_limit=max(1, int(os.environ.get("TP_RESET_EMAIL_LIMIT", "3"))),
        password_hash_workers=max(1, int(os.environ.get("TP_PASSWORD_HASH_WORKERS", "2"))),
        # The argon2 parameters of new password hashes; "low" is for test suites only.
        password_hash_cost=os.environ.get("TP_PASSWORD_HASH_COST", "standard").strip().lower(),
        # The SQLite-only process tuning (backend/db/sqlite_tuning.py); ignored on PostgreSQL.
        sqlite_tuning=os.environ.get("TP_SQLITE_TUNING", "1") != "0",
        mail=mail_settings_from_env(),
    )
    if settings.password_hash_cost not in PASSWORD_HASH_COSTS:
        raise ValueError("TP_PASSWORD_HASH_COST must be standard or low")
    if settings.is_production:
        check_production(settings)
    return settings


MIN_SECRET_BYTES = 32
PASSWORD_HASH_COSTS = ("standard", "low")


def check_production(settings: Settings) -> None:
    """Refuse settings that are only safe on a developer's machine; the message names the setting."""
    if settings.secret_key == DEFAULT_SECRET:
        raise InsecureSettings("TP_SECRET_KEY must be set in production (the development secret is refused)")
    if len(settings.secret_key.encode()) < MIN_SECRET_BYTES:
        raise InsecureSettings(f"TP_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long in production")
    if not settings.public_web_url.lower().startswith("https://"):
        raise InsecureSettings("TP_PUBLIC_WEB_URL must start with https:// in production")
    if settings.mail.smtp_tls == "none":
        raise InsecureSettings("TP_SMTP_TLS must be starttls or tls in production")
    if settings.password_hash_cost != "standard":
        raise InsecureSettings("TP_PASSWORD_HASH_COST must be standard in production")
