"""Settings from the environment and an optional .env file (edge layer; read only when asked)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.dates import ZONE_ALIASES, UnknownZoneError, resolve_zone
from bot.domain.editions import default_edition, editions_with_indicators
from bot.domain.errors import NotFound

if TYPE_CHECKING:
    from bot.domain.methodology import Methodology

__all__ = ["ZONE_ALIASES", "Settings", "SettingsError", "load_settings", "resolve_zone_name"]
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
# Telegram's rule for setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def resolve_zone_name(value: str) -> str:
    """Return the IANA name for an IANA zone or a WIB/WITA/WIT alias (ValueError if unknown)."""
    try:
        return str(resolve_zone(value).key)
    except UnknownZoneError:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name or WIB/WITA/WIT)"
        ) from None


class Settings(BaseSettings):
    """Everything the bot can be configured with; environment variables use the BOT_ prefix."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite+aiosqlite:///./data/pendamping.sqlite3"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Asia/Jakarta"
    content_dir: Path = Path("./content")
    storage_dir: Path = Path("./data/files")
    log_level: str = "INFO"
    log_json: bool = False
    default_locale: str = "id"
    # None: the edition in force (the newest edition with indicators, see bot/domain/editions.py).
    edition: str | None = None
    operators_chat_id: int | None = None
    # Joining a unit without a coordinator: false = the admins decide; true = anyone joins.
    # A unit with a coordinator always asks its coordinators (see domain/membership.py).
    open_join: bool = False
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Reminders: how late a missed reminder may still go out ("(terlambat)"), how long a sender
    # holds a claimed outbox row, and the bulk sending rate (kept under Telegram's 30/s so
    # interactive replies keep headroom).
    reminder_grace_hours: float = Field(default=12, ge=0, le=72)
    reminder_lease_seconds: int = Field(default=120, ge=5, le=3600)
    reminder_rate: float = Field(default=26, gt=0, le=28)
    # PTB's client-side limiter (30 requests/s overall). Turn off only for load benchmarks or a
    # local Bot API server: Telegram answers 429 beyond its limits.
    rate_limit: bool = True

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(
                    "must be comma-separated Telegram user ids, e.g. 12345,67890"
                ) from None
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        return resolve_zone_name(value)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "is not a database URL; expected e.g. sqlite+aiosqlite:///./data/bot.sqlite3 "
                "or postgresql+asyncpg://user:pass@host/db"
            ) from None
        # Plain dialect names get the async driver we ship.
        url = url.set(
            drivername={"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}.get(
                url.drivername, url.drivername
            )
        )
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"driver {url.drivername!r} is not supported; "
                f"use one of {', '.join(SUPPORTED_DRIVERS)}"
            )
        return url.render_as_string(hide_password=False)

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("may only contain A-Z a-z 0-9 _ - (1 to 256 characters)")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be the public https:// address Telegram will post updates to")
        return value

    @field_validator("edition")
    @classmethod
    def _check_edition(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in {"id", "en"}:
            raise ValueError("must be 'id' or 'en'")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The default time zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    def edition_for(self, methodologies: Mapping[str, Methodology]) -> str:
        """The default edition with this content: BOT_EDITION, else the edition in force.

        Every feature takes its default edition from here (via the services built with it).

        Raises:
            SettingsError: BOT_EDITION names no edition that has self-check indicators.
        """
        try:
            return default_edition(methodologies, self.edition)
        except NotFound:
            known = ", ".join(editions_with_indicators(methodologies)) or "none"
            raise SettingsError(
                f"BOT_EDITION: {self.edition!r} is not an edition with self-check indicators "
                f"(editions with indicators: {known})"
            ) from None


class SettingsError(Exception):
    """Raised with one operator-readable line when the settings cannot be loaded."""


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from the environment (and .env), turning errors into one clear line.

    The message names the variable and the problem, never the value (it may be the token).
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            reason = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"BOT_{field.upper()}: {reason}")
        raise SettingsError("; ".join(lines)) from None
