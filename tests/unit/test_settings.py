"""Settings fail fast, with one readable line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "WAYMARK_ENV",
        "DATABASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_URL",
        "WAYMARK_INVITE_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout


def test_defaults_run_a_pilot_on_sqlite() -> None:
    settings = load_settings()
    assert settings.database.url == "sqlite:///var/waymark.db"
    assert settings.telegram.api_url == "https://api.telegram.org"
    assert not settings.telegram.has_token


def test_the_api_root_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    assert load_settings().telegram.api_url == "http://127.0.0.1:8081"


def test_postgres_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/waymark")
    assert load_settings().database.url == "postgresql+psycopg://u@db:5432/waymark"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WAYMARK_ENV": "production"}, "TELEGRAM_BOT_TOKEN is missing or a placeholder"),
        ({"WAYMARK_ENV": "production", "TELEGRAM_BOT_TOKEN": "changeme"}, "placeholder"),
        (
            {"WAYMARK_ENV": "production", "TELEGRAM_BOT_TOKEN": "1:real"},
            "production needs a PostgreSQL DATABASE_URL",
        ),
        (
            {
                "WAYMARK_ENV": "production",
                "TELEGRAM_BOT_TOKEN": "1:real",
                "DATABASE_URL": "postgresql://db/waymark",
                "WEB_SECRET_KEY": "short",
            },
            "WEB_SECRET_KEY is missing or shorter than 32 characters",
        ),
        (
            {
                "WAYMARK_ENV": "production",
                "TELEGRAM_BOT_TOKEN": "1:real",
                "DATABASE_URL": "postgresql://db/waymark",
                "WEB_SECRET_KEY": "k" * 40,
            },
            "WEB_SECURE_COOKIES=true",
        ),
        ({"WEB_PUBLIC_URL": "waymark.example.org"}, "WEB_PUBLIC_URL must be"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with"),
        ({"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL must be"),
        ({"WAYMARK_INVITE_DAYS": "31"}, "invite_days"),
        ({"WAYMARK_ENV": "staging"}, "env"),
    ],
)
def test_bad_settings_say_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message) as raised:
        load_settings()
    assert str(raised.value).startswith("Waymark cannot start:")
    assert "1:real" not in str(raised.value)  # secrets never appear in errors


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_TRUSTED_PROXIES", " 10.0.0.5, 172.18.0.0/16 ")
    assert load_settings().web.trusted_proxies == "10.0.0.5,172.18.0.0/16"
    monkeypatch.setenv("WEB_TRUSTED_PROXIES", "10.0.0.5,the-proxy")
    with pytest.raises(SettingsError, match="WEB_TRUSTED_PROXIES: 'the-proxy'"):
        load_settings()
