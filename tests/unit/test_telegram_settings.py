"""The Telegram framework and webhook settings fail fast, with readable lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

NAMES = (
    "WAYMARK_ENV",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_FRAMEWORK",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "WEB_HOST",
    "WEB_PORT",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout


def test_defaults_are_python_telegram_bot_long_polling_and_a_local_web_port() -> None:
    settings = load_settings()
    assert settings.telegram.framework == "ptb"
    assert not settings.telegram.uses_webhook
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8080)


def test_aiogram_and_a_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_FRAMEWORK", "aiogram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", " https://waymark.example.org/telegram/webhook ")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "a-Long_secret-0123456789")
    settings = load_settings()
    assert settings.telegram.framework == "aiogram"
    assert settings.telegram.webhook_url == "https://waymark.example.org/telegram/webhook"
    assert settings.telegram.uses_webhook


HOOK = "https://w.example.org/telegram/webhook"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TELEGRAM_FRAMEWORK": "django"}, "framework: Input should be 'ptb' or 'aiogram'"),
        ({"TELEGRAM_WEBHOOK_URL": HOOK}, "TELEGRAM_WEBHOOK_SECRET must be set"),
        (
            {"TELEGRAM_WEBHOOK_URL": HOOK, "TELEGRAM_WEBHOOK_SECRET": "changeme"},
            "TELEGRAM_WEBHOOK_SECRET must be set",
        ),
        (
            {"TELEGRAM_WEBHOOK_URL": HOOK, "TELEGRAM_WEBHOOK_SECRET": "a b;c"},
            "1 to 256 letters, digits",
        ),
        ({"TELEGRAM_WEBHOOK_URL": "w.example.org/hook"}, "TELEGRAM_WEBHOOK_URL must be an https"),
        ({"WEB_PORT": "70000"}, "port: Input should be less than or equal to 65535"),
    ],
)
def test_bad_telegram_settings_say_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message) as raised:
        load_settings()
    assert "a b;c" not in str(raised.value)  # secrets never appear in errors
