"""Time zones from the unit: a WITA deadline read in WITA, shown in WITA and in WIB; moving it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.units import Role
from tests.builders import person
from tests.e2e.harness import Harness
from tests.e2e.steps import register

COORDINATOR = 7401
WITA_MEMBER = 7402
WIB_MEMBER = 7403


async def test_a_new_member_takes_the_zone_of_their_unit(harness: Harness, services: Any) -> None:
    await register(harness, WITA_MEMBER)  # Dinas Kesehatan, Pemkot Bontang
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=WITA_MEMBER,
        chat_id=WITA_MEMBER,
        display_name="Budi",
        language_code="id",
    )
    assert arrival.member.timezone == "Asia/Makassar"


async def test_wita_deadline_in_wita_and_in_wib_for_a_wib_reader(
    harness: Harness, services: Any
) -> None:
    await person(services, COORDINATOR, "dinkes", Role.COORDINATOR)
    await person(services, WITA_MEMBER, "dinkes")
    wib = await person(services, WIB_MEMBER, "dinkes")
    await services.members.set_timezone(wib.user_id, "Asia/Jakarta")  # chose WIB himself

    await harness.send(COORDINATOR, "/tenggat_baru")
    await harness.send(COORDINATOR, "Foto ramp di pintu masuk")
    await harness.press_label(COORDINATOR, "Lewati")
    help_text = harness.last_text(COORDINATOR)
    # The examples are computed from today (12 June 2025 in tests): the 15th of next month.
    assert "<i>15 Juli 2025</i>, <i>15/7/2025 14.00</i>" in help_text, help_text
    await harness.send(COORDINATOR, "tgl 8 juli 2025")
    assert "Selasa, 8 Juli 2025 pukul 23.59 WITA" in harness.last_text(COORDINATOR)
    await harness.press_label(COORDINATOR, "Simpan")
    infos = await services.reminders.upcoming(await services.members.get(wib.user_id))
    saved = next(s.deadline for s in infos if s.deadline.title == "Foto ramp di pintu masuk")
    assert saved.due_at == datetime(2025, 7, 8, 15, 59, tzinfo=UTC)

    await harness.send(WITA_MEMBER, "/tenggat")
    assert "Selasa, 8 Juli 2025 pukul 23.59 WITA" in harness.last_text(WITA_MEMBER)
    await harness.send(WIB_MEMBER, "/tenggat")
    assert "Selasa, 8 Juli 2025 pukul 22.59 WIB" in harness.last_text(WIB_MEMBER)


async def test_moving_a_due_date_shows_it_and_asks_first(harness: Harness, services: Any) -> None:
    await person(services, COORDINATOR, "dinkes", Role.COORDINATOR)
    await harness.send(COORDINATOR, "/tenggat_baru")
    await harness.send(COORDINATOR, "Foto ruang tunggu")
    await harness.press_label(COORDINATOR, "Lewati")
    await harness.send(COORDINATOR, "8 juli 2025")
    await harness.press_label(COORDINATOR, "Simpan")
    coordinator = await services.members.get(
        (await person(services, COORDINATOR, "dinkes", Role.COORDINATOR)).user_id
    )

    async def due() -> datetime:
        statuses = await services.reminders.upcoming(coordinator)
        return next(s.deadline.due_at for s in statuses if s.deadline.title == "Foto ruang tunggu")

    await harness.send(COORDINATOR, "/tenggat")
    number = harness.last_text(COORDINATOR).split(". <b>Foto ruang tunggu")[0].rsplit("\n", 1)[1]
    await harness.press_label(COORDINATOR, f"{number}. Ubah")
    await harness.send(COORDINATOR, "15 juli 2025")
    question = harness.last_text(COORDINATOR)
    assert "Selasa, 8 Juli 2025 pukul 23.59 WITA" in question
    assert "Selasa, 15 Juli 2025 pukul 23.59 WITA" in question
    assert await due() == datetime(2025, 7, 8, 15, 59, tzinfo=UTC)  # not yet
    await harness.send(COORDINATOR, "tidak")
    assert "Dibatalkan" in harness.last_text(COORDINATOR)
    assert await due() == datetime(2025, 7, 8, 15, 59, tzinfo=UTC)
    await harness.send(COORDINATOR, "/tenggat")
    await harness.press_label(COORDINATOR, f"{number}. Ubah")
    await harness.send(COORDINATOR, "15 juli 2025")
    await harness.send(COORDINATOR, "iya")
    assert "Tersimpan" in harness.last_text(COORDINATOR)
    assert await due() == datetime(2025, 7, 15, 15, 59, tzinfo=UTC)
