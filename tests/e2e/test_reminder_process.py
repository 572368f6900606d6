"""Real processes: `tenggat plan` on the command line; kill -9 during a 2,000-reminder send."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from bot.db.models import UserRow
from bot.services.reminders import DeadlineDraft
from tests.conftest import POSTGRES_URL, SteppingClock
from tests.e2e.conftest import TOKEN
from tests.e2e.test_polling_process import bot_process
from tests.fakes.bot_api import FakeBotAPI
from tests.services.test_reminders import member, unit_id
from tests.test_cli import _run

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="process tests run on SQLite only")
RECIPIENTS = 2000


async def _prepare(settings_factory: Any, db: Path, *, now: datetime, users: int) -> None:
    """A database with `users` members of one unit whose reminder is due at `now`."""
    from bot.app import build_services

    clock = SteppingClock(now - timedelta(days=1))
    services = await build_services(
        settings_factory(database_url=f"sqlite+aiosqlite:///{db}"), clock=clock
    )
    try:
        dinkes = await unit_id(services, "dinkes")
        async with services.sessions.begin() as session:
            await session.execute(
                insert(UserRow),
                [
                    {
                        "telegram_id": 50_000 + i,
                        "chat_id": 50_000 + i,
                        "display_name": f"P{i}",
                        "unit_id": dinkes,
                        "role": "member",
                        "language": "id",
                        "timezone": "UTC",
                        "reminder_hour": now.hour,
                        "quiet_weekends": False,
                        "muted": False,
                        "active": True,
                        "blocked": False,
                        "created_at": clock(),
                        "updated_at": clock(),
                    }
                    for i in range(users)
                ],
            )
        admin = await member(services, 900, None)
        # Due two days from now; offset 2 is planned today at the users' hour (UTC): just past.
        await services.reminders.create_deadline(
            admin,
            DeadlineDraft(
                title="Maklumat",
                due_at=now + timedelta(days=2),
                scope={"unit_ids": [dinkes]},
                offsets=(2,),
            ),
        )
    finally:
        await services.engine.dispose()


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


async def test_kill_during_dispatch_then_restart_sends_each_reminder_once(
    tmp_path: Path, settings_factory: Any
) -> None:
    db = tmp_path / "bot.sqlite3"
    await _prepare(settings_factory, db, now=datetime.now(UTC), users=RECIPIENTS)

    def delivered() -> int:
        return sum(api.delivered_per_chat.values())

    def outbox(status: str) -> int:
        with sqlite3.connect(db, timeout=30) as conn:
            return int(
                conn.execute(
                    "select count(*) from reminder_outbox where status = ?", (status,)
                ).fetchone()[0]
            )

    async with FakeBotAPI(token=TOKEN) as api:
        async with bot_process(api, db) as process:
            assert await api.wait_until(lambda: delivered() >= 150, timeout=60), delivered()
            process.kill()  # SIGKILL: no cleanup at all
            await process.wait()
        at_kill = delivered()
        in_flight = outbox("sending")
        assert at_kill < RECIPIENTS and in_flight > 0

        async with bot_process(api, db):
            finished = await api.wait_until(
                lambda: (
                    delivered() >= RECIPIENTS - in_flight
                    and outbox("pending") + outbox("sending") == 0
                ),
                timeout=180,
            )
            assert finished, (delivered(), outbox("pending"), outbox("sending"))

    unknown = outbox("unknown")
    print(
        f"\ncrash test: {at_kill} delivered before kill -9, {in_flight} in flight reported "
        f"unknown, {delivered()} delivered in total"
    )
    assert unknown == in_flight and unknown < 100
    assert outbox("sent") == RECIPIENTS - unknown
    counts = api.delivered_per_chat
    assert max(counts.values()) == 1  # nobody got the reminder twice
    with sqlite3.connect(db) as conn:
        unknown_chats = {
            row[0]
            for row in conn.execute("select chat_id from reminder_outbox where status = 'unknown'")
        }
        sent_chats = {
            row[0]
            for row in conn.execute("select chat_id from reminder_outbox where status = 'sent'")
        }
    assert all(counts.get(chat) == 1 for chat in sent_chats)
    assert sent_chats | unknown_chats == {50_000 + i for i in range(RECIPIENTS)}
    assert sum(counts.get(chat, 0) for chat in unknown_chats) <= len(unknown_chats)
