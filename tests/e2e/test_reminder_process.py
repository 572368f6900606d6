"""Real processes: `tenggat plan` on the command line; kill -9 during a 300-reminder send."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.cli_runner import _run
from tests.conftest import POSTGRES_URL
from tests.e2e.conftest import TOKEN
from tests.e2e.processes import CONCURRENCY, _prepare, bot_process
from tests.fakes.bot_api import FakeBotAPI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(POSTGRES_URL), reason="process tests run on SQLite only"),
]
RECIPIENTS = 300


async def test_tenggat_plan_prints_json_without_sending(
    tmp_path: Path, settings_factory: Any
) -> None:
    db = tmp_path / "cli.sqlite3"
    now = datetime(2025, 6, 10, 0, 0, tzinfo=UTC)
    await _prepare(settings_factory, db, now=now, users=2)
    result = _run(["tenggat", "plan", "--at", "2025-06-10T08:30+08:00", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["recipient"]["telegram_id"], r["offset"]) for r in rows] == [
        (50_000, 2),
        (50_001, 2),
    ]
    assert rows[0]["local_time"] == "2025-06-10T00:00:00+00:00"
    assert rows[0]["late"] is True  # 30 minutes after the planned moment
    assert "Tenggat: Kamis, 12 Juni 2025 pukul 00.00 UTC (2 hari lagi)" in rows[0]["text"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from reminder_outbox").fetchone() == (0,)
    bad = _run(["tenggat", "plan", "--at", "2025-06-10T08:30"], tmp_path)
    assert bad.returncode != 0 and "offset" in bad.stderr


async def test_kill_during_dispatch_loses_only_the_requests_in_flight(
    tmp_path: Path, settings_factory: Any
) -> None:
    db = tmp_path / "bot.sqlite3"
    await _prepare(settings_factory, db, now=datetime.now(UTC), users=RECIPIENTS)

    def delivered() -> int:
        return sum(api.delivered_per_chat.values())

    def outbox(*statuses: str) -> int:
        with sqlite3.connect(db, timeout=30) as conn:
            marks = ",".join("?" * len(statuses))
            query = f"select count(*) from reminder_outbox where status in ({marks})"  # noqa: S608
            return int(conn.execute(query, statuses).fetchone()[0])

    # Telegram's limits are enforced: a request over 30/s or 1/s per chat gets a 429.
    async with FakeBotAPI(token=TOKEN, rate_limit=True) as api:
        async with bot_process(api, db) as process:
            assert await api.wait_until(lambda: delivered() >= 100, timeout=60), delivered()
            process.kill()  # SIGKILL: no cleanup at all
            await process.wait()
        at_kill = delivered()
        waiting, in_flight, sent_before = outbox("claimed"), outbox("sending"), outbox("sent")
        # A batch was claimed and waiting for its turn; only requests already started count.
        assert at_kill < RECIPIENTS and waiting > 0
        assert in_flight <= CONCURRENCY

        async with bot_process(api, db, BOT_LOG_JSON="true") as process:
            finished = await api.wait_until(
                lambda: (
                    delivered() >= RECIPIENTS - in_flight
                    and outbox("pending", "claimed", "sending") == 0
                ),
                timeout=120,
            )
            assert finished, (delivered(), outbox("pending", "claimed", "sending"))
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=10)

    recovery = [
        json.loads(line)
        for line in output.decode().splitlines()
        if line.startswith("{") and "outbox_requeued" in line
    ]
    assert [(r["outbox_requeued"], r["outbox_unknown"]) for r in recovery] == [
        (waiting, in_flight)
    ]
    after = recovery[0]["outbox"]
    assert (after["sent"], after["unknown"], after.get("claimed"), after.get("sending")) == (
        sent_before,
        in_flight,
        None,
        None,
    )
    counts = api.delivered_per_chat
    with sqlite3.connect(db) as conn:
        chats = {
            status: {
                row[0]
                for row in conn.execute(
                    "select chat_id from reminder_outbox where status = ?", (status,)
                )
            }
            for status in ("sent", "unknown")
        }
    lost = [chat for chat in chats["unknown"] if not counts.get(chat)]
    print(
        f"\ncrash test: {at_kill} delivered before kill -9, {waiting} claimed and waiting, "
        f"{in_flight} in flight (unknown), {len(lost)} of them never arrived; "
        f"{delivered()} delivered in total"
    )
    assert len(chats["unknown"]) == in_flight
    assert RECIPIENTS - len(counts) == len(lost) <= in_flight  # only requests in flight are lost
    assert chats["sent"] | chats["unknown"] == {50_000 + i for i in range(RECIPIENTS)}
    assert all(counts[chat] == 1 for chat in chats["sent"])  # exactly one each
    assert max(counts.values()) == 1  # nobody got the reminder twice
    assert api.rate_limit_violations == 0
