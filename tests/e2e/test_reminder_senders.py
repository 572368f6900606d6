"""Two real sender processes on one PostgreSQL database; one is killed with SIGKILL mid-dispatch.

The survivor keeps sending; when the dead one's leases expire, its claimed rows that never
reached the Bot API go back to pending and are sent, its requests in flight become "unknown".
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import OutboxRow
from bot.db.session import create_engine
from tests.conftest import CONTENT, POSTGRES_URL, ROOT
from tests.e2e.conftest import TOKEN
from tests.e2e.processes import CONCURRENCY, BotProcess, _prepare
from tests.fakes.bot_api import FakeBotAPI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="several senders need PostgreSQL"),
]
RECIPIENTS = 300
LEASE_SECONDS = 5  # the shortest allowed: the dead sender's rows come back soon


async def _sender(api: FakeBotAPI, database_url: str, tmp_path: Path) -> BotProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=api.base_url,
        BOT_API_FILE_URL=api.base_file_url,
        BOT_DATABASE_URL=database_url,
        BOT_CONTENT_DIR=str(CONTENT),
        BOT_STORAGE_DIR=str(tmp_path / "files"),
        BOT_REMINDER_LEASE_SECONDS=str(LEASE_SECONDS),
        # Each process paces itself (README: 26/s divided by the processes). 10/s each leaves
        # room for the fake's own event loop, which on a busy 2-core machine reads bursts of
        # requests late and would count them as arriving together; this test is about recovery.
        BOT_REMINDER_RATE="10",
        BOT_LOG_JSON="true",
        PYTHONPATH=str(ROOT),
    )
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return BotProcess(child, 0)


async def _statuses(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {status: int(n) for status, n in rows}
    finally:
        await engine.dispose()


async def test_killed_sender_loses_only_its_requests_in_flight(
    database_url: str, tmp_path: Path, settings_factory: Any
) -> None:
    await _prepare(settings_factory, database_url, now=datetime.now(UTC), users=RECIPIENTS)
    statuses: dict[str, int] = {}

    def delivered() -> int:
        return sum(api.delivered_per_chat.values())

    async with FakeBotAPI(token=TOKEN, rate_limit=True) as api:
        killed = await _sender(api, database_url, tmp_path)
        survivor = await _sender(api, database_url, tmp_path)
        try:
            assert await api.wait_until(lambda: delivered() >= 100, timeout=60), delivered()
            killed.process.kill()  # SIGKILL: its leases stay until they expire
            await killed.process.wait()
            at_kill = await _statuses(database_url)

            async def settled() -> bool:
                statuses.clear()
                statuses.update(await _statuses(database_url))
                return not any(statuses.get(s) for s in ("pending", "claimed", "sending"))

            # The survivor's sweep (every 30 s) releases the expired leases.
            for _ in range(180):
                if await settled() and delivered() >= RECIPIENTS - statuses.get("unknown", 0):
                    break
                await asyncio.sleep(0.5)  # real processes: no clock to step
            else:
                raise AssertionError((statuses, delivered()))
            released = [
                json.loads(line)
                for line in survivor.lines
                if line.startswith("{") and '"outbox_requeued"' in line
            ]
        finally:
            await survivor.stop()
            await killed.stop()

    unknown = statuses.get("unknown", 0)
    requeued = sum(r["outbox_requeued"] for r in released)
    print(
        f"\ntwo senders: at the kill {at_kill}; released later: {requeued} back to pending, "
        f"{unknown} unknown; {delivered()} delivered"
    )
    assert requeued > 0  # the dead sender's waiting batch was sent after all
    assert unknown <= CONCURRENCY
    counts = api.delivered_per_chat
    assert max(counts.values()) == 1  # nobody twice
    assert RECIPIENTS - len(counts) <= unknown  # nobody missed but for requests in flight
    assert statuses.get("sent", 0) + unknown == RECIPIENTS
    assert api.rate_limit_violations == 0
    assert "Traceback" not in "\n".join(survivor.lines)
