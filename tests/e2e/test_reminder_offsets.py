"""Reminder schedule (offsets) in chat: toggles and typed days, through the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.jobs.reminders import Dispatcher, Pacer, dispatcher
from tests.builders import ADMIN, WIB, member, new_deadline, unit_id
from tests.conftest import SteppingClock
from tests.e2e.harness import Harness
from tests.e2e.steps import deadline, reminders_to, sweep

DEFAULT = "H-14, H-7, H-3, H-1, hari H"


@pytest.fixture
def sender(harness: Harness) -> Dispatcher:
    """The application's sender with pacing off (tests never wait for wall-clock time)."""
    found = dispatcher(harness.app)
    found.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    return found


async def press_exact(harness: Harness, user: int, label: str) -> None:
    """Press the button labelled exactly `label` ("H-1" must not hit "H-14")."""
    data = [d for text, d in harness.buttons(user) if text == label]
    assert data, (label, harness.buttons(user))
    await harness.press(user, data[0], message_id=harness.last_message_id(user))


def labels(harness: Harness, user: int) -> list[str]:
    return [text for text, _ in harness.buttons(user)]


async def test_admin_toggles_days_saves_and_the_new_schedule_is_sent(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes")
    deadline_id = await deadline(services)
    await harness.send(ADMIN, "/tenggat")
    await harness.press_label(ADMIN, "1. Ubah")
    menu = harness.last_text(ADMIN)
    assert "<b>Maklumat &lt;dipajang&gt;</b>" in menu
    assert f"Pengingat: {DEFAULT}" in menu and "Ketik tanggal" in menu
    await harness.press_label(ADMIN, "Ubah jadwal pengingat")
    assert f"Terpilih: {DEFAULT}" in harness.last_text(ADMIN)
    assert labels(harness, ADMIN) == [
        "H-30",
        "✓ H-14",
        "✓ H-7",
        "✓ H-3",
        "H-2",
        "✓ H-1",
        "✓ hari H",
        "✅ Simpan",
        "Batal",
    ]
    presses = len(harness.answers())
    await press_exact(harness, ADMIN, "H-2")
    await press_exact(harness, ADMIN, "✓ H-1")
    assert "Terpilih: H-14, H-7, H-3, H-2, hari H" in harness.last_text(ADMIN)
    assert "✓ H-2" in labels(harness, ADMIN) and "H-1" in labels(harness, ADMIN)
    await press_exact(harness, ADMIN, "✅ Simpan")
    assert harness.last_text(ADMIN) == (
        "Jadwal pengingat <b>Maklumat &lt;dipajang&gt;</b> tersimpan: H-14, H-7, H-3, H-2, hari H."
    )
    answers = harness.answers()[presses:]
    assert len(answers) == 3 and answers[-1].params["text"] == "Tersimpan."
    info = await services.reminders.get(await services.members.get(1), deadline_id)
    assert info.offsets == (14, 7, 3, 2, 0)

    clock.now = datetime(2025, 6, 17, 23, 59, tzinfo=UTC)  # 07.59 WITA on H-2
    await sweep(services, sender)
    assert reminders_to(harness, 101) == []
    clock.now = datetime(2025, 6, 18, 0, 0, tzinfo=UTC)  # H-2, 08.00 WITA
    await sweep(services, sender)
    (text,) = reminders_to(harness, 101)
    assert "Tenggat: Jumat, 20 Juni 2025 pukul 23.59 WITA (2 hari lagi)" in text
    assert "terlambat" not in text
    clock.now = datetime(2025, 6, 19, 0, 0, tzinfo=UTC)  # H-1 no longer reminds
    await sweep(services, sender)
    assert len(reminders_to(harness, 101)) == 1


async def test_no_day_chosen_is_refused_and_a_stale_toggle_is_answered(
    harness: Harness, services: Any
) -> None:
    await member(services, 101, "dinkes")
    deadline_id = await deadline(services)
    admin = await member(services, ADMIN, None, tz=WIB)
    await harness.send(ADMIN, "/tenggat")
    await harness.press_label(ADMIN, "1. Ubah")
    await harness.press_label(ADMIN, "Ubah jadwal pengingat")
    first_keyboard = harness.buttons(ADMIN)
    for label in ("✓ H-14", "✓ H-7", "✓ H-3", "✓ H-1", "✓ hari H"):
        await press_exact(harness, ADMIN, label)
    assert "Terpilih: —" in harness.last_text(ADMIN)
    await press_exact(harness, ADMIN, "✅ Simpan")
    alert = harness.answers()[-1].params
    assert alert["text"] == "Pilih minimal satu hari pengingat." and alert["show_alert"] is True
    # A button from an earlier revision of the keyboard is stale: answered, nothing changes.
    await harness.press(ADMIN, dict((t, d) for t, d in first_keyboard)["H-2"], message_id=1)
    assert harness.answers()[-1].params["text"] == "Tombol ini sudah tidak berlaku."
    await press_exact(harness, ADMIN, "Batal")
    assert harness.last_text(ADMIN) == "Dibatalkan."
    assert (await services.reminders.get(admin, deadline_id)).offsets == (14, 7, 3, 1, 0)


async def test_coordinator_types_days_and_invalid_input_gets_a_friendly_message(
    harness: Harness, services: Any
) -> None:
    coordinator = await member(services, 201, "dinsos", role="coordinator")
    own = await new_deadline(
        services, coordinator, scope={"unit_ids": [await unit_id(services, "dinsos")]}
    )
    await harness.send(201, "/tenggat")
    await harness.press_label(201, "1. Ubah")
    await harness.press_label(201, "Ubah jadwal pengingat")
    hint = (
        "Ketik jumlah hari sebelum tenggat, misalnya <i>14 7 3 1 0</i> atau "
        "<i>H-7, H-1, hari H</i>."
    )
    for typed, reason in (
        ("H-7, H-99", "Hari pengingat harus antara 0 (hari H) dan 60 hari sebelum tenggat."),
        ("besok lusa", "Maaf, hari pengingat itu tidak dapat saya baca."),
        ("7 7 1", "Setiap hari hanya boleh disebut satu kali."),
        ("<b>", "Maaf, hari pengingat itu tidak dapat saya baca."),
    ):
        await harness.send(201, typed)
        assert harness.last_text(201) == f"{reason}\n{hint}", typed
    assert (await services.reminders.get(coordinator, own)).offsets == (14, 7, 3, 1, 0)
    await harness.send(201, "H-7, H-1, hari H")
    assert harness.last_text(201).endswith("tersimpan: H-7, H-1, hari H.")
    assert (await services.reminders.get(coordinator, own)).offsets == (7, 1, 0)
    # The flow is over: the next text is a question again, not reminder days.
    assert (await services.flows.get(coordinator.user_id)) is None


async def test_new_deadline_offers_the_schedule_with_the_default_preselected(
    harness: Harness, services: Any
) -> None:
    await member(services, ADMIN, None)
    await harness.send(ADMIN, "/tenggat_baru")
    await harness.send(ADMIN, "SK petugas pengaduan")
    await harness.press_label(ADMIN, "Lewati")
    await harness.press_label(ADMIN, "Semua unit")
    await harness.send(ADMIN, "15 Juni 2025 14.00")
    assert f"Pengingat: {DEFAULT}, pada jam pengingat" in harness.last_text(ADMIN)
    await harness.press_label(ADMIN, "Ubah jadwal pengingat")
    assert f"Terpilih: {DEFAULT}" in harness.last_text(ADMIN)
    await press_exact(harness, ADMIN, "H-30")
    await harness.send(ADMIN, "H-30 H-30")  # typing works here too, with the same checks
    assert harness.last_text(ADMIN).startswith("Setiap hari hanya boleh disebut satu kali.")
    await press_exact(harness, ADMIN, "✅ Simpan")
    confirm = harness.last_text(ADMIN)
    assert "Pengingat: H-30, H-14, H-7, H-3, H-1, hari H, pada jam" in confirm
    await harness.press_label(ADMIN, "Ubah jadwal pengingat")
    await harness.send(ADMIN, "3 0")
    assert "Pengingat: H-3, hari H, pada jam" in harness.last_text(ADMIN)
    await harness.press_label(ADMIN, "Simpan")
    assert "Tersimpan: <b>SK petugas pengaduan</b>" in harness.last_text(ADMIN)
    admin = await services.members.get(1)
    made = [s.deadline for s in await services.reminders.upcoming(admin, limit=100)]
    assert [d.offsets for d in made if d.title == "SK petugas pengaduan"] == [(3, 0)]
