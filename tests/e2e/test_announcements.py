"""A deadline made in /tenggat_baru is announced the next morning, through the real sender."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.units import Member
from bot.jobs.reminders import Dispatcher
from bot.services.reminders import DeadlineDraft
from tests.builders import ADMIN, WIB, WITA, member, unit_id
from tests.cli_runner import _run
from tests.conftest import POSTGRES_URL, SteppingClock
from tests.e2e.harness import Harness
from tests.e2e.steps import sweep

HEADER = "📅 <b>Tenggat baru atau berubah</b>"


def news(harness: Harness, chat: int) -> list[str]:
    return [t for t in harness.texts(chat) if HEADER in t]


async def test_a_new_deadline_reaches_its_unit_next_morning_in_each_readers_zone(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes", tz=WITA)
    await member(services, 102, "dinkes", tz=WIB)
    await member(services, 103, "dinsos", tz=WITA)
    await harness.send(ADMIN, "/tenggat_baru")
    await harness.send(ADMIN, "SK <petugas> pengaduan")
    await harness.press_label(ADMIN, "Lewati")
    await harness.press_label(ADMIN, "Pilih unit")
    await harness.press_label(ADMIN, "Dinas Kesehatan")
    await harness.press_label(ADMIN, "Selesai")
    await harness.send(ADMIN, "31 Juli 2025 14.00")  # typed in WIB
    await harness.press_label(ADMIN, "Simpan")
    assert "Tersimpan" in harness.last_text(ADMIN)
    assert await sweep(services, sender) == 0  # nothing the same day

    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # Friday 08.00 WITA
    await sweep(services, sender)
    (text,) = news(harness, 101)
    assert "<b>SK &lt;petugas&gt; pengaduan</b> (baru)" in text
    assert "Tenggat: Kamis, 31 Juli 2025 pukul 15.00 WITA (48 hari lagi)" in text
    assert "/tenggat" in text
    assert news(harness, 102) == [] and news(harness, 103) == []  # 07.00 WIB; another unit

    clock.advance(hours=1)  # 08.00 WIB
    await sweep(services, sender)
    (text,) = news(harness, 102)
    assert "Tenggat: Kamis, 31 Juli 2025 pukul 14.00 WIB (48 hari lagi)" in text
    clock.advance(days=1)
    await sweep(services, sender)
    assert [len(news(harness, c)) for c in (101, 102, 103)] == [1, 1, 0]


async def test_two_changes_in_one_message_and_a_move_says_so(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes", tz=WITA)
    admin = await member(services, ADMIN, None, tz=WIB)
    first = await _create(services, admin, "Maklumat dipajang", datetime(2025, 8, 1, 15, 59))
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    clock.advance(hours=3)
    await services.reminders.edit_due(admin, first, datetime(2025, 8, 8, 15, 59, tzinfo=UTC))
    await _create(services, admin, "Foto ruang tunggu", datetime(2025, 8, 4, 15, 59))
    clock.now = datetime(2025, 6, 14, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    latest = news(harness, 101)[-1]
    assert len(news(harness, 101)) == 2
    assert "1. <b>Foto ruang tunggu</b> (baru)" in latest
    assert "2. <b>Maklumat dipajang</b> (tanggal diubah)" in latest
    assert "Jumat, 8 Agustus 2025 pukul 23.59 WITA" in latest


async def _create(services: Any, admin: Member, title: str, due: datetime) -> int:
    dinkes = await unit_id(services, "dinkes")
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(title=title, due_at=due.replace(tzinfo=UTC), scope={"unit_ids": [dinkes]}),
    )
    return int(info.id)


async def test_tenggat_plan_shows_the_announcement(tmp_path: Path, settings_factory: Any) -> None:
    if POSTGRES_URL:
        return
    from bot.app import build_services

    db = tmp_path / "cli.sqlite3"
    clock = SteppingClock(datetime(2025, 6, 12, 0, 0, tzinfo=UTC))
    services = await build_services(
        settings_factory(database_url=f"sqlite+aiosqlite:///{db}"), clock=clock
    )
    try:
        await member(services, 101, "dinkes", tz=WITA)
        admin = await member(services, ADMIN, None, tz=WIB)
        clock.advance(hours=2)
        await _create(services, admin, "Maklumat", datetime(2025, 8, 1, 15, 59))
    finally:
        await services.engine.dispose()
    result = _run(["tenggat", "plan", "--at", "2025-06-13T08:00+08:00", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["kind"], row["moved"], row["recipient"]["telegram_id"]) == (
        "announcement",
        False,
        101,
    )
    assert row["local_time"] == "2025-06-13T08:00:00+08:00"
    assert "Tenggat baru atau berubah" in row["text"]
    earlier = _run(["tenggat", "plan", "--at", "2025-06-13T07:59+08:00"], tmp_path)
    assert earlier.returncode == 0 and earlier.stdout.strip().endswith(
        "0 reminder(s) would go out at 2025-06-13T07:59:00+08:00"
    )
