"""Pure pieces of operations: user hashes, redaction of tracebacks, secrets, stats headings."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import Settings
from bot.logging_setup import JsonFormatter, RedactFilter, secrets_of
from bot.observability import bot_id_salt, user_hash
from bot.services.stats import classify

TOKEN = "123456:AAH-secret-part_xyz"


def test_user_hash_is_stable_salted_and_hides_the_id() -> None:
    salt = bot_id_salt(TOKEN)
    assert salt == "123456"
    assert user_hash(777001, salt) == user_hash(777001, salt)
    assert user_hash(777001, salt) != user_hash(777002, salt)
    assert user_hash(777001, salt) != user_hash(777001, "654321")
    assert "777001" not in user_hash(777001, salt) and len(user_hash(777001, salt)) == 12


def test_secrets_include_the_token_secret_part() -> None:
    assert secrets_of(TOKEN, "hook", None) == [TOKEN, "AAH-secret-part_xyz", "hook"]
    assert secrets_of(None) == []


@pytest.mark.parametrize("json_lines", [True, False])
def test_tracebacks_are_redacted_too(json_lines: bool) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(message)s"))
    handler.addFilter(RedactFilter(secrets_of(TOKEN)))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
        except RuntimeError as exc:
            logger.error("failed: %r", exc, exc_info=exc)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    output = stream.getvalue()
    assert "RuntimeError" in output and "[REDACTED]" in output
    assert "AAH-secret-part_xyz" not in output


@pytest.mark.parametrize("secret", ["abc", "A-Z_a-z_0-9", "x" * 256])
def test_webhook_secret_accepts_telegram_characters(secret: str) -> None:
    assert Settings(webhook_secret=secret).webhook_secret is not None


@pytest.mark.parametrize(
    "table, heading",
    [
        ("reminder_outbox", "outbox"),
        ("qa_gaps", "qa_gaps"),
        ("quiz_answers", "quiz_answers"),
        ("quiz_attempts", "quiz_answers"),
        ("selfcheck_answers", "self_check_answers"),
        ("selfcheck_sessions", "self_check_answers"),
        ("deadlines", "other"),
        ("evidence", "other"),
        ("a_table_from_a_newer_migration", "other"),
    ],
)
def test_stats_headings_by_table(table: str, heading: str) -> None:
    assert classify(table) == heading


def test_every_table_is_either_core_or_has_a_stats_heading() -> None:
    """A new table must be placed on purpose, not counted under "other" by accident."""
    from bot.db.models import Base
    from bot.services.stats import CORE_TABLES, HEADINGS

    tables = set(Base.metadata.tables)
    assert tables - CORE_TABLES == set(HEADINGS)
