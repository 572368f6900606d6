"""Settings: aliases, parsing, and one-line errors that never show the value."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load_settings


def test_zone_aliases_resolve_to_iana(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "wita")
    assert load_settings().timezone == "Asia/Makassar"


def test_admin_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_ADMIN_IDS", "12, 34,56")
    assert load_settings().admin_ids == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_ADMIN_IDS", "12,abc", "BOT_ADMIN_IDS: must be comma-separated Telegram user ids"),
        ("BOT_DATABASE_URL", "not a url", "BOT_DATABASE_URL: is not a database URL"),
        (
            "BOT_DATABASE_URL",
            "mysql://u@h/db",
            "BOT_DATABASE_URL: driver 'mysql' is not supported",
        ),
        ("BOT_TIMEZONE", "Mars/Olympus", "BOT_TIMEZONE: unknown time zone"),
        ("BOT_LOG_LEVEL", "LOUD", "BOT_LOG_LEVEL: must be one of"),
        ("BOT_WEBHOOK_PORT", "99999", "BOT_WEBHOOK_PORT:"),
    ],
)
def test_bad_values_give_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_plain_dialect_urls_get_async_drivers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql://u:p@127.0.0.1/db")
    assert load_settings().database_url == "postgresql+asyncpg://u:p@127.0.0.1/db"


def test_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:SECRET-VALUE")
    settings = load_settings()
    assert "SECRET-VALUE" not in repr(settings)
    assert settings.token is not None and settings.token.get_secret_value() == "123:SECRET-VALUE"
