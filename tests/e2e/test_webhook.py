"""Webhook mode in-process: secret check, processing, de-duplication, health, per-update logs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import CommandHandler

from bot.app import ALLOWED_UPDATES, build_application
from bot.jobs.maintenance import PRUNE_EVERY, PRUNE_JOB
from bot.logging_setup import secrets_of, setup_logging
from bot.observability import bot_id_salt, instrument, user_hash
from bot.webhook import SECRET_HEADER, WebhookServer
from tests.e2e.conftest import TOKEN
from tests.factories import message_update
from tests.fakes.bot_api import FakeBotAPI

SECRET = "s3cret_Webhook-Token"
PUBLIC_URL = "https://bot.example.invalid/telegram"


class Webhook:
    """A started WebhookServer and a client that posts to it as Telegram would."""

    def __init__(
        self, server: WebhookServer, client: aiohttp.ClientSession, api: FakeBotAPI, services: Any
    ) -> None:
        self.server = server
        self.client = client
        self.api = api
        self.services = services

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    async def post(self, update: dict[str, Any], *, secret: str | None = SECRET) -> int:
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with self.client.post(
            f"{self.base}/telegram", json=update, headers=headers
        ) as response:
            return response.status

    async def health(self) -> tuple[int, dict[str, Any]]:
        async with self.client.get(f"{self.base}/healthz") as response:
            return response.status, await response.json()

    async def replies(self, chat_id: int, count: int) -> list[Any]:
        """Wait until `count` messages were sent to the chat; return them."""
        assert await self.api.wait_until(
            lambda: len(self.api.messages_to(chat_id)) >= count, timeout=10
        ), chat_id
        return self.api.messages_to(chat_id)

    async def drained(self) -> None:
        """Wait until every update put on the queue has been fully processed (and logged)."""
        await asyncio.wait_for(self.server.application.update_queue.join(), timeout=10)


@pytest.fixture
async def webhook(
    settings_factory: Any, services: Any, bot_api: FakeBotAPI
) -> AsyncIterator[Webhook]:
    settings = settings_factory(
        token=TOKEN,
        api_base_url=bot_api.base_url,
        api_file_url=bot_api.base_file_url,
        webhook_url=PUBLIC_URL,
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
    )
    server = WebhookServer(build_application(settings, services), settings, port=0)
    await server.start(allowed_updates=ALLOWED_UPDATES)
    try:
        async with aiohttp.ClientSession() as client:
            yield Webhook(server, client, bot_api, services)
    finally:
        await server.stop()


@pytest.fixture
def captured_log() -> Iterator[io.StringIO]:
    """The bot's own logging set-up (JSON lines, secrets redacted) writing into a buffer."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging("INFO", json_lines=True, secrets=secrets_of(TOKEN, SECRET), stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_set_webhook_registers_the_secret_and_keeps_pending_updates(
    webhook: Webhook,
) -> None:
    call = webhook.api.last("setWebhook")
    assert call["url"] == PUBLIC_URL
    assert call["secret_token"] == SECRET
    assert call.get("drop_pending_updates") in (False, None)
    assert set(call["allowed_updates"]) == set(ALLOWED_UPDATES)


async def test_missing_or_wrong_secret_is_refused_and_logged(
    webhook: Webhook, captured_log: io.StringIO
) -> None:
    assert await webhook.post(message_update(701, "/bantuan", update_id=11), secret=None) == 403
    assert (
        await webhook.post(message_update(702, "/bantuan", update_id=12), secret=SECRET + "x")
        == 403
    )
    assert await webhook.post(message_update(703, "/bantuan", update_id=13), secret="") == 403
    # A good request after them is served; the refused ones never reached the bot.
    assert await webhook.post(message_update(704, "/bantuan", update_id=14)) == 200
    await webhook.replies(704, 1)
    assert webhook.api.messages_to(701) == webhook.api.messages_to(702) == []
    assert webhook.api.messages_to(703) == []
    refusals = [
        line for line in _lines(captured_log) if line["msg"].startswith("webhook: refused")
    ]
    assert [line["msg"].split("(")[1] for line in refusals] == [
        "missing secret token)",
        "wrong secret token)",
        "wrong secret token)",
    ]
    assert SECRET not in captured_log.getvalue()


async def test_right_secret_is_processed_and_answered(webhook: Webhook) -> None:
    assert await webhook.post(message_update(705, "/bantuan", update_id=21)) == 200
    (reply,) = await webhook.replies(705, 1)
    assert "/bantuan" in reply["text"] or "/start" in reply["text"]


async def test_malformed_body_is_rejected(webhook: Webhook) -> None:
    async with webhook.client.post(
        f"{webhook.base}/telegram", data=b"not json", headers={SECRET_HEADER: SECRET}
    ) as response:
        assert response.status == 400


async def test_repeated_update_id_is_processed_once(webhook: Webhook) -> None:
    update = message_update(706, "/bantuan", update_id=31)
    assert await webhook.post(update) == 200
    await webhook.replies(706, 1)
    # Telegram retries the same update (e.g. our 200 was lost): it must not be answered again.
    assert await webhook.post(update) == 200
    assert await webhook.post(message_update(706, "/bantuan", update_id=32)) == 200
    await webhook.replies(706, 2)
    await webhook.drained()
    assert len(webhook.api.messages_to(706)) == 2


async def test_health_ok_then_reports_a_stopped_database(webhook: Webhook) -> None:
    status, report = await webhook.health()
    assert status == 200
    assert report == {
        "database": True,
        "content": True,
        "content_version": webhook.services.content.version,
        "scheduler": True,
        "updates": True,
        "ok": True,
    }

    # The database goes away: nothing listens on port 1 of the loopback address.
    real = webhook.services.engine
    gone = create_async_engine("postgresql+asyncpg://bot@127.0.0.1:1/bot")
    webhook.services.engine = gone
    try:
        status, report = await webhook.health()
    finally:
        webhook.services.engine = real
        await gone.dispose()
    assert status == 503
    assert report["database"] is False and report["ok"] is False
    assert report["content"] is True and report["scheduler"] is True


async def test_one_log_line_per_update_without_token_or_text(
    webhook: Webhook, captured_log: io.StringIO
) -> None:
    async def explode(update: Any, context: Any) -> None:
        # A failing HTTP call names the URL, and the URL contains the token.
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")

    app = webhook.server.application
    app.add_handler(CommandHandler("meledak", explode), group=1)
    instrument(app)
    user = 7770123
    private = "nomor KTP saya 3201234567890001"
    assert await webhook.post(message_update(user, f"/meledak {private}", update_id=41)) == 200
    # The error handler apologises to the user (after the /meledak fallback reply).
    await webhook.replies(user, 2)
    await webhook.drained()

    output = captured_log.getvalue()
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "[REDACTED]" in output  # the traceback was logged, with the token cut out
    assert private not in output and "KTP" not in output
    assert str(user) not in output

    lines = _lines(captured_log)
    (record,) = [line for line in lines if line.get("update_id") == 41]
    assert record["level"] == "INFO" and record["logger"] == "bot.updates"
    assert record["user"] == user_hash(user, bot_id_salt(TOKEN))
    assert record["handler"].endswith("explode")
    assert record["outcome"] == "error" and record["error"] == "RuntimeError"
    assert isinstance(record["latency_ms"], float) and record["latency_ms"] >= 0
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors and all(TOKEN not in line.get("exc", "") for line in errors)


async def test_prune_job_is_hourly_and_forgets_old_update_ids(
    webhook: Webhook, clock: Any
) -> None:
    from bot.db.models import ProcessedUpdateRow

    members = webhook.services.members
    await members.arrive(
        update_id=51, telegram_id=708, chat_id=708, display_name="A", language_code="id"
    )
    clock.advance(days=3)
    await members.arrive(
        update_id=52, telegram_id=708, chat_id=708, display_name="A", language_code="id"
    )
    app = webhook.server.application
    (job,) = app.job_queue.get_jobs_by_name(PRUNE_JOB)
    assert job.trigger.interval == PRUNE_EVERY
    await job.run(app)
    async with webhook.services.sessions() as session:
        kept = (await session.scalars(select(ProcessedUpdateRow.update_id))).all()
        total = await session.scalar(select(func.count()).select_from(ProcessedUpdateRow))
    assert list(kept) == [52] and total == 1
