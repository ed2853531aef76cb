"""Settings: one typed object, read from the environment, that fails fast.

Every setting is listed in `.env.example`. Names are flat (``DATABASE_URL``,
``TELEGRAM_BOT_TOKEN``) and grouped by concern through prefixes.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_TOKENS = {"", "changeme", "change-me", "your-token-here", "123456:ABC-DEF"}
# What Telegram accepts as a webhook's secret_token: 1 to 256 of these characters.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(Exception):
    """The environment does not describe a runnable Waymark."""


def _default_database_url() -> str:
    return f"sqlite:///{Path('var') / 'waymark.db'}"


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DATABASE_", env_file=".env", extra="ignore")

    url: str = Field(default_factory=_default_database_url)

    @field_validator("url")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("DATABASE_URL must start with sqlite:// or postgresql://")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; name it so SQLAlchemy does not look for psycopg2.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value


class TelegramSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TELEGRAM_", env_file=".env", extra="ignore")

    bot_token: SecretStr = SecretStr("")
    api_url: str = "https://api.telegram.org"
    bot_username: str = "waymark_bot"
    request_timeout: float = Field(default=10.0, gt=0)
    poll_timeout: int = Field(default=30, ge=0, le=50)
    framework: Literal["ptb", "aiogram"] = "ptb"
    webhook_url: str = ""
    webhook_secret: SecretStr = SecretStr("")

    @field_validator("api_url")
    @classmethod
    def _http_root(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_URL must be an http:// or https:// address")
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(
                "TELEGRAM_WEBHOOK_URL must be an https:// (or http://) address, or empty"
            )
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> TelegramSettings:
        # Without the secret anyone who finds the URL could post updates as Telegram.
        if self.webhook_url:
            secret = self.webhook_secret.get_secret_value()
            if secret in PLACEHOLDER_TOKENS or not WEBHOOK_SECRET.fullmatch(secret):
                raise ValueError(
                    "TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is: "
                    "1 to 256 letters, digits, '_' or '-'"
                )
        return self

    @property
    def has_token(self) -> bool:
        return self.bot_token.get_secret_value().strip() not in PLACEHOLDER_TOKENS

    @property
    def uses_webhook(self) -> bool:
        return bool(self.webhook_url)


class SendingSettings(BaseSettings):
    """How fast and how stubbornly the bot sends."""

    model_config = SettingsConfigDict(env_prefix="SEND_", env_file=".env", extra="ignore")

    per_second: float = Field(default=30.0, gt=0)
    per_chat_per_second: float = Field(default=1.0, gt=0)
    max_attempts: int = Field(default=4, ge=1, le=10)
    backoff_seconds: float = Field(default=1.0, ge=0)
    max_retry_after: float = Field(default=60.0, ge=0)
    # Requests one worker has with Telegram at once; a hung request holds one until its
    # time-out. At 30 a second a few are in flight, so this binds only when limits are lifted.
    concurrency: int = Field(default=32, ge=1, le=1000)
    # Seconds added to each one-second window the limits are counted in, for requests
    # that reach Telegram a little late: 30 a second go out over 1.04 s (bot/channels/limits.py).
    window_margin: float = Field(default=0.04, ge=0, le=1)
    # Where the limits are kept: "auto" is Redis when REDIS_URL is set, else the database
    # when it is PostgreSQL (every worker shares them), else this process.
    limiter: Literal["auto", "local", "postgres", "redis"] = "auto"
    redis_url: SecretStr = Field(default=SecretStr(""), validation_alias="REDIS_URL")


class WebSettings(BaseSettings):
    """The web app: where it listens, how its sessions are signed, what it accepts."""

    model_config = SettingsConfigDict(env_prefix="WEB_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (tests)
    # Signs session cookies and CSRF tokens. Empty in development: a new random key each
    # start (everyone logs in again after a restart). Production needs 32 characters or more.
    secret_key: SecretStr = SecretStr("")
    # The address people and coaches open (invite QR codes and web chat links use it).
    public_url: str = "http://127.0.0.1:8080"
    session_hours: int = Field(default=8, ge=1, le=24)
    max_body_bytes: int = Field(default=1_000_000, ge=10_000)
    # Cookies only over HTTPS; always on in production.
    secure_cookies: bool = False
    # Keys the pseudonyms in the evaluation export; empty: derived from secret_key.
    export_key: SecretStr = SecretStr("")
    # Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
    # Empty: none, not even loopback, so nobody can choose the address that throttles count.
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"WEB_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
                ) from None
        return ",".join(entries)

    @field_validator("public_url")
    @classmethod
    def _public_root(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("WEB_PUBLIC_URL must be an http:// or https:// address")
        return value.rstrip("/")


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCHEDULER_", env_file=".env", extra="ignore")

    tick_seconds: float = Field(default=5.0, gt=0)
    batch_size: int = Field(default=50, ge=1, le=1000)
    claim_lease_seconds: int = Field(default=120, ge=10)
    retry_delay_seconds: int = Field(default=60, ge=1)
    max_send_attempts: int = Field(default=5, ge=1)


class SpeechSettings(BaseSettings):
    """Voice notes: Google's voice (gTTS) when it is allowed and answers, else espeak-ng."""

    model_config = SettingsConfigDict(env_prefix="SPEECH_", env_file=".env", extra="ignore")

    # Off by default: gTTS sends the words of each voice note (names and places) to Google.
    gtts: bool = False
    gtts_url: str = "https://translate.google.co.uk"  # .co.uk: Google's British English voice
    gtts_timeout: float = Field(default=5.0, gt=0)
    rest_seconds: int = Field(default=300, ge=0)  # after a failure, espeak-ng answers this long
    words_per_minute: int = Field(default=140, ge=80, le=300)  # espeak-ng's pace

    @field_validator("gtts_url")
    @classmethod
    def _http_root(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("SPEECH_GTTS_URL must be an http:// or https:// address")
        return value.rstrip("/")


class MediaSettings(BaseSettings):
    """Where picture cards and voice notes are kept, and the font cards are drawn in."""

    model_config = SettingsConfigDict(env_prefix="MEDIA_", env_file=".env", extra="ignore")

    cache_dir: Path = Path("var") / "media"
    # None: content/fonts, the font that ships with Waymark (bot/media/layout.py).
    font_dir: Path | None = None

    @field_validator("font_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value


class RetentionSettings(BaseSettings):
    """How long each kind of data is kept, in days (docs/data-protection.md, "Retention").
    The daily job deletes or pseudonymises what is past its period, a batch at a time."""

    model_config = SettingsConfigDict(env_prefix="RETENTION_", env_file=".env", extra="ignore")

    # The words of messages: sent messages, the web chat, finished outbox rows (relays and
    # coach replies with them), the words in alerts, cached cards and voice notes.
    message_words_days: int = Field(default=90, ge=1)
    # What people did: replies, button presses, moods, check-ins; alerts and what was done.
    engagement_days: int = Field(default=365, ge=1)
    # A closed case: pseudonymised this long after it was closed (reopening is possible
    # until then).
    closed_case_days: int = Field(default=730, ge=1)
    # Invites after they were used, voided or expired.
    invite_days: int = Field(default=90, ge=1)
    # Failed link codes and logins, and Telegram update ids (throttles and duplicates).
    throttle_days: int = Field(default=1, ge=1)
    # API tokens after they were revoked.
    api_token_days: int = Field(default=365, ge=1)
    # The audit trail, and the job's own runs.
    audit_days: int = Field(default=2190, ge=1)
    # Rows deleted or pseudonymised in one transaction.
    batch_size: int = Field(default=500, ge=1, le=10_000)
    # When the daily job runs, on the London clock (HH:MM).
    run_at: str = "03:30"

    @field_validator("run_at")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError("RETENTION_RUN_AT must be a time on the 24-hour clock, like 03:30")
        return value.strip()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAYMARK_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    # text: key=value lines for a terminal; json: one JSON object a line for a log store.
    log_format: Literal["text", "json"] = "text"
    invite_days: int = Field(default=7, ge=1, le=30)
    # The evaluation's reports and export leave out people who declined or withdrew their
    # consent (to Waymark or to the evaluation), and say how many.
    evaluation_leaves_out: bool = True
    # The content library (messages.yaml and its translations); None: content/ in the code.
    content_dir: Path | None = None
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    sending: SendingSettings = Field(default_factory=SendingSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    # True only inside `waymark demo` (run_as_demo): the demo's own accounts then log in
    # without a second factor. Not a setting: no environment variable can turn it on.
    _demo: bool = PrivateAttr(default=False)
    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @field_validator("content_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def demo(self) -> bool:
        return self._demo

    def run_as_demo(self) -> None:
        """Only `waymark demo` (and the screenshots, made the same way) call this."""
        self._demo = True

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if not self.telegram.has_token:
                raise ValueError("TELEGRAM_BOT_TOKEN is missing or a placeholder")
            if self.database.url.startswith("sqlite"):
                raise ValueError("production needs a PostgreSQL DATABASE_URL")
            if len(self.web.secret_key.get_secret_value()) < 32:
                raise ValueError("WEB_SECRET_KEY is missing or shorter than 32 characters")
            if not self.web.secure_cookies:
                raise ValueError("production needs WEB_SECURE_COOKIES=true (behind HTTPS)")
        return self


def load_settings() -> Settings:
    """Read the environment, or raise SettingsError with one readable line per problem."""
    try:
        return Settings()
    except ValidationError as error:
        lines = [
            f"{'.'.join(str(part) for part in problem['loc']) or 'settings'}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise SettingsError("Waymark cannot start:\n  " + "\n  ".join(lines)) from None
