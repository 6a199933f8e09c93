"""Production refuses development defaults and says which setting is wrong."""

import os
import subprocess
import sys

import pytest

from backend.settings import PROJECT_ROOT, InsecureSettings

GOOD = {
    "TP_ENV": "production",
    "TP_SECRET_KEY": "k" * 16 + "0123456789abcdef",
    "TP_PUBLIC_WEB_URL": "https://talentpool.example",
    "TP_SMTP_TLS": "starttls",
    "TP_PASSWORD_HASH_COST": "standard",
}


def test_production_settings_accepted_when_safe(set_env):
    settings = set_env(**GOOD)
    assert settings.is_production and settings.public_web_url == "https://talentpool.example"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"TP_SECRET_KEY": "local-development-secret-change-me"}, "TP_SECRET_KEY"),
        ({"TP_SECRET_KEY": "x" * 31}, "TP_SECRET_KEY"),
        ({"TP_PUBLIC_WEB_URL": "http://talentpool.example"}, "TP_PUBLIC_WEB_URL"),
        ({"TP_SMTP_TLS": "none"}, "TP_SMTP_TLS"),
        ({"TP_PASSWORD_HASH_COST": "low"}, "TP_PASSWORD_HASH_COST"),
    ],
)
def test_production_settings_unsafe_value_refused(set_env, changes, named):
    with pytest.raises(InsecureSettings, match=named):
        set_env(**{**GOOD, **changes})


def test_production_settings_default_secret_refused(set_env, monkeypatch):
    monkeypatch.delenv("TP_SECRET_KEY", raising=False)
    with pytest.raises(InsecureSettings, match="TP_SECRET_KEY"):
        set_env(**{key: value for key, value in GOOD.items() if key != "TP_SECRET_KEY"})


def test_development_settings_allow_local_defaults(set_env):
    settings = set_env(TP_ENV="development", TP_SMTP_TLS="none", TP_PUBLIC_WEB_URL="http://localhost:3000")
    assert not settings.is_production


def test_serve_production_with_short_secret_exits_naming_setting():
    env = {**os.environ, **GOOD, "TP_SECRET_KEY": "short"}
    result = subprocess.run(
        [sys.executable, "-m", "backend", "serve", "--port", "9"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TP_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_stack_bff_trusts_forwarded_addresses_only_from_web_app(tmp_path):
    from backend.stack import child_specs

    def bff_env(env: dict, host: str = "127.0.0.1") -> dict:
        specs = child_specs(
            env=env,
            host=host,
            api_port=18000,
            web_port=13000,
            reflex_backend_port=18001,
            prod=True,
            smtp_port=11025,
            mail_web_port=18025,
            mail_store=tmp_path,
        )
        return next(spec for spec in specs if spec.name == "api").env

    assert bff_env({})["TP_TRUSTED_PROXIES"] == "127.0.0.1,::1"
    assert bff_env({}, host="10.0.0.5")["TP_TRUSTED_PROXIES"] == "10.0.0.5"
    assert bff_env({"TP_TRUSTED_PROXIES": "10.1.2.3"})["TP_TRUSTED_PROXIES"] == "10.1.2.3"
