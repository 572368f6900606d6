"""Reminders end to end: the real Application and sender, the fake Bot API, a stepped clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.jobs.reminders import Dispatcher, Pacer, TelegramNotifier, dispatcher
from bot.services.reminders import DeadlineDraft, OutgoingMessage, SendStatus
from tests.conftest import SteppingClock
from tests.e2e.harness import Harness
from tests.services.test_reminders import DUE, WIB, WITA, member, unit_id

ADMIN = 900


@pytest.fixture
def sender(harness: Harness) -> Dispatcher:
    """The application's sender with pacing off (tests never wait for wall-clock time)."""
    found = dispatcher(harness.app)
    found.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    return found


async def sweep(services: Any, sender: Dispatcher) -> int:
    await services.reminders.tick()
    return await sender.drain()


async def deadline(services: Any, *, scope: dict[str, Any] | None = None) -> int:
    admin = await member(services, ADMIN, None, tz=WIB)
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title="Maklumat <dipajang>",
            due_at=DUE,
            scope=scope or {"all": True},
            topics=("maklumat-pelayanan",),
        ),
    )
    return int(info.id)


def reminders_to(harness: Harness, chat: int) -> list[str]:
    return [t for t in harness.texts(chat) if "Pengingat bukti dukung" in t]


async def test_wita_and_wib_users_get_theirs_at_eight_local_an_hour_apart(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes", tz=WITA)
    await member(services, 102, "dinsos", tz=WIB)
    await deadline(services)
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # 08.00 WITA
    await sweep(services, sender)
    assert len(reminders_to(harness, 101)) == 1 and reminders_to(harness, 102) == []
    text = reminders_to(harness, 101)[0]
    assert "<b>Maklumat &lt;dipajang&gt;</b>" in text
    assert "Tenggat: Jumat, 20 Juni 2025 pukul 23.59 WITA (7 hari lagi)" in text
    assert "terlambat" not in text
    labels = [label for label, _ in harness.buttons(101)]
    assert labels == ["✅ Sudah siap", "📎 Kirim bukti", "📘 Panduan", "⏰ Ingatkan besok"]

    clock.advance(minutes=59)
    await sweep(services, sender)
    assert reminders_to(harness, 102) == []
    clock.advance(minutes=1)  # 08.00 WIB
    await sweep(services, sender)
    (text,) = reminders_to(harness, 102)
    assert "Tenggat: Jumat, 20 Juni 2025 pukul 22.59 WIB (7 hari lagi)" in text
    assert len(reminders_to(harness, 101)) == 1


async def test_ready_stops_the_whole_unit_and_shows_in_tenggat(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes")
    await member(services, 102, "dinkes")
    await member(services, 103, "dinsos")
    await deadline(services)
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    await harness.press_label(101, "Sudah siap")
    assert "sudah siap untuk unit Anda (oleh Budi" in harness.last_text(101)
    assert harness.answers()[-1].params["text"] == "Terima kasih!"

    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)  # H-3
    await sweep(services, sender)
    assert len(reminders_to(harness, 101)) == 1 and len(reminders_to(harness, 102)) == 1
    assert len(reminders_to(harness, 103)) == 2
    assert (
        "Tenggat: Jumat, 20 Juni 2025 pukul 23.59 WITA (3 hari lagi)"
        in reminders_to(harness, 103)[1]
    )
    await harness.send(102, "/tenggat")
    listing = harness.last_text(102)
    assert "Maklumat &lt;dipajang&gt;" in listing
    assert "✅ Sudah siap (ditandai oleh Budi" in listing


async def test_snooze_and_guide(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await member(services, 101, "dinkes")
    await deadline(services)
    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)  # H-3, Tuesday
    await sweep(services, sender)
    await harness.press_label(101, "Panduan")
    guide = harness.last_text(101)
    assert guide.startswith("📘 <b>") and "Sumber:" in guide
    await harness.press_label(101, "Ingatkan besok")
    assert harness.answers()[-1].params["text"] == (
        "Baik, saya akan mengingatkan Anda lagi pada Rabu, 18 Juni 2025 pukul 08.00 WITA."
    )
    clock.now = datetime(2025, 6, 18, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    assert "(2 hari lagi)" in reminders_to(harness, 101)[-1]


async def test_escalation_summary_to_admin_and_coordinator(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    ids = [await unit_id(services, c) for c in ("dinkes", "dinsos")]
    await member(services, 201, "dinsos", role="coordinator")
    worker = await member(services, 101, "dinkes")
    deadline_id = await deadline(services, scope={"unit_ids": ids})
    await services.reminders.mark_done(worker, deadline_id)
    clock.now = datetime(2025, 6, 19, 1, 0, tzinfo=UTC)  # H-1 08.00 WIB
    await sweep(services, sender)
    admin_text = harness.last_text(ADMIN)
    assert "Unit yang belum siap" in admin_text
    assert "1 dari 2 unit belum siap:\n• Dinas Sosial dan Pemberdayaan Masyarakat" in admin_text
    assert "Dinas Kesehatan" not in admin_text
    assert "• Dinas Sosial" in harness.last_text(201)
    clock.advance(minutes=30)
    await sweep(services, sender)
    assert sum("Unit yang belum siap" in t for t in harness.texts(ADMIN)) == 1


async def test_retry_after_and_blocked_through_the_fake(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    other = await member(services, 101, "dinkes")
    blocked = await member(services, 102, "dinkes")
    await deadline(services)
    harness.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    harness.api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    assert await services.reminders.outbox_counts() == {"pending": 1, "blocked": 1}
    clock.advance(seconds=5)
    await sender.drain()
    assert await services.reminders.outbox_counts() == {"sent": 1, "blocked": 1}
    # The sender sends both rows at once: which of them meets the 429 and which the 403 is
    # the order their requests reach the fake, not the order of the users.
    first = await services.members.get(other.user_id)
    gone, kept = (first, blocked) if not first.active else (blocked, first)
    assert not (await services.members.get(gone.user_id)).active
    assert (await services.members.get(kept.user_id)).active
    assert len(harness.api.messages_to(kept.telegram_id)) == 1
    assert harness.api.messages_to(gone.telegram_id) == []


async def test_new_deadline_flow_for_admin(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    await harness.send(ADMIN, "/tenggat_baru")
    assert "Tenggat baru" in harness.last_text(ADMIN)
    await harness.send(ADMIN, "SK petugas pengaduan")
    await harness.press_label(ADMIN, "Lewati")
    await harness.press_label(ADMIN, "Pilih unit")
    await harness.press_label(ADMIN, "Dinas Kesehatan")
    await harness.press_label(ADMIN, "Selesai")
    await harness.send(ADMIN, "31 Februari 2026")
    assert harness.last_text(ADMIN).startswith("Tanggal itu tidak ada.\nKetik tanggal")
    await harness.send(ADMIN, "kemarin")
    assert harness.last_text(ADMIN).startswith("Tanggal itu sudah lewat.")
    await harness.send(ADMIN, "15 Juni 2025 14.00")
    confirm = harness.last_text(ADMIN)
    assert "Tenggat: Minggu, 15 Juni 2025 pukul 14.00 WIB" in confirm
    assert "Unit: Dinas Kesehatan" in confirm
    message_id, save = harness.find_button(ADMIN, "Simpan")
    await harness.press(ADMIN, save, message_id=message_id)
    assert "Tersimpan: <b>SK petugas pengaduan</b>" in harness.last_text(ADMIN)
    await harness.press(ADMIN, save, message_id=message_id)  # a double press saves nothing
    assert harness.answers()[-1].params["text"] == "Tombol ini sudah tidak berlaku."
    worker = await member(services, 101, "dinkes")
    titles = [s.deadline.title for s in await services.reminders.upcoming(worker)]
    assert "SK petugas pengaduan" in titles
    outsider = await member(services, 103, "dinsos")
    assert "SK petugas pengaduan" not in [
        s.deadline.title for s in await services.reminders.upcoming(outsider)
    ]
    assert titles.count("SK petugas pengaduan") == 1


async def test_coordinator_flow_skips_the_unit_question_and_members_are_refused(
    harness: Harness, services: Any
) -> None:
    await member(services, 201, "dinsos", role="coordinator")
    await member(services, 101, "dinkes")
    await harness.send(101, "/tenggat_baru")
    assert "hanya untuk koordinator atau admin" in harness.last_text(101)
    await harness.send(201, "/tenggat_baru")
    await harness.send(201, "Foto sarana difabel")
    await harness.press_label(201, "Lewati")
    assert harness.last_text(201).startswith("Ketik tanggal tenggatnya")
    await harness.send(201, "senin depan")
    assert "Unit: Dinas Sosial dan Pemberdayaan Masyarakat" in harness.last_text(201)
    await harness.press_label(201, "Simpan")
    await harness.send(201, "/tenggat")
    assert "Foto sarana difabel" in harness.last_text(201)
    labels = [label for label, _ in harness.buttons(201)]
    assert any("Ubah" in label for label in labels)


async def test_settings_gain_reminder_hour_weekends_and_mute(
    harness: Harness, services: Any
) -> None:
    person = await member(services, 101, "dinkes")
    await harness.send(101, "/pengaturan")
    text = harness.last_text(101)
    assert "Jam pengingat: 08.00" in text and "Bahasa" in text
    await harness.press_label(101, "09.00")
    assert "Jam pengingat: 09.00" in harness.last_text(101)
    await harness.press_label(101, "Senyap akhir pekan: nonaktif")
    await harness.press_label(101, "Bisukan pengingat")
    prefs = await services.reminders.prefs(person.user_id)
    assert (prefs.reminder_hour, prefs.quiet_weekends, prefs.muted) == (9, True, True)
    await harness.press_label(101, "WIB")  # the existing buttons still work
    assert (await services.members.get(person.user_id)).timezone == WIB


async def test_forged_reminder_buttons_are_answered(harness: Harness, services: Any) -> None:
    await member(services, 101, "dinkes")
    await harness.send(101, "/tenggat")
    for data in ("rm1.d:99999", "rm1.z:99999", "rm1.g:99999", "tg1.y:5", "rm1.ay:1"):
        await harness.press(101, data, message_id=1)
    answers = harness.answers()
    assert len(answers) == 5
    assert all(a.params.get("text") for a in answers)


class _RaisingBot:
    rate_limiter = None

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RetryAfter(12), SendStatus.RETRY_AFTER),
        (TimedOut(), SendStatus.TIMED_OUT),
        (Forbidden("bot was blocked by the user"), SendStatus.FORBIDDEN),
        (BadRequest("chat not found"), SendStatus.FAILED),
        (NetworkError("connection reset"), SendStatus.NETWORK),
    ],
)
async def test_notifier_maps_telegram_errors(
    error: Exception, status: SendStatus, harness: Harness
) -> None:
    catalogs = harness.app.bot_data["catalogs"]
    notifier = TelegramNotifier(_RaisingBot(error), catalogs)  # type: ignore[arg-type]
    message = OutgoingMessage(
        outbox_id=1,
        user_id=1,
        telegram_id=1,
        display_name="x",
        chat_id=1,
        language="id",
        timezone=WITA,
    )
    result = await notifier.send(message)
    assert result.status is status
    if status is SendStatus.RETRY_AFTER:
        assert result.retry_after == 12


async def test_pacer_spaces_overall_and_per_chat() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(rate=10, per_chat=1.0, clock=lambda: now[0], sleep=sleep)
    times = []
    for chat in (1, 2, 3, 1):
        await pacer.wait(chat)
        times.append(now[0])
    assert times[:3] == pytest.approx([0.0, 0.1, 0.2])
    assert times[3] == pytest.approx(1.0)  # chat 1 again: a second after its first message
    assert all(w > 0 for w in waits)


async def test_content_deadline_moved_in_the_file_replans_without_duplicates(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    from datetime import timedelta

    from bot.domain.timeline import Timeline, TimelineEntry, UnitSelector

    def timeline(due: datetime) -> Timeline:
        return Timeline(
            True,
            "2025",
            (
                TimelineEntry(
                    id="maklumat-pelayanan",
                    title="Maklumat pelayanan",
                    description="",
                    due_at=due,
                    offsets=(7, 3, 1, 0),
                    units=UnitSelector(types=frozenset({"opd"})),
                    indicators=(),
                    topics=("maklumat-pelayanan",),
                ),
            ),
        )

    await member(services, 101, "dinkes")
    await member(services, 102, "kec-bontang-utara")  # not an OPD: never reminded
    await services.reminders.sync_timeline(timeline(DUE))
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await sweep(services, sender)
    await services.reminders.sync_timeline(timeline(DUE + timedelta(days=7)))
    await sweep(services, sender)
    clock.now = datetime(2025, 6, 20, 0, 0, tzinfo=UTC)  # the new H-7 (old due day)
    await sweep(services, sender)
    texts = reminders_to(harness, 101)
    assert len(texts) == 2
    assert "Jumat, 27 Juni 2025 pukul 23.59 WITA (7 hari lagi)" in texts[1]
    assert reminders_to(harness, 102) == []


async def test_sliding_window_keeps_the_limit_and_serves_a_waiting_reply_first() -> None:
    import asyncio

    from bot.jobs.reminders import SlidingWindow

    now = [0.0]

    async def sleep(seconds: float) -> None:  # a stepped clock: no real waiting
        now[0] += seconds
        await asyncio.sleep(0)

    window = SlidingWindow(clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        async with window.slot(3):
            pass
    order: list[tuple[str, float]] = []

    async def take(name: str, urgent: bool) -> None:
        async with window.slot(3, urgent=urgent):
            order.append((name, now[0]))

    reply = asyncio.create_task(take("reply", True))
    await asyncio.sleep(0)  # the reply waits for the window to free up
    bulk = asyncio.create_task(take("bulk", False))
    await asyncio.wait_for(asyncio.gather(reply, bulk), timeout=5)
    assert [name for name, _ in order] == ["reply", "bulk"]
    assert all(at > 1.0 for _, at in order)  # nothing more than 3 within one second


async def test_sliding_window_holds_the_limit_at_the_far_end_whatever_the_delays() -> None:
    """Requests that wait on the way (a busy loop, a slow network) must not bunch on arrival."""
    import asyncio
    import random

    from bot.jobs.reminders import SlidingWindow

    now = [0.0]
    arrivals: list[float] = []
    timers: list[tuple[float, int, asyncio.Future[None]]] = []
    order = [0]

    async def sleep(seconds: float) -> None:  # a virtual event loop: wake in time order
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        order[0] += 1
        timers.append((now[0] + max(0.0, seconds), order[0], future))
        await future

    window = SlidingWindow(clock=lambda: now[0], sleep=sleep)
    rng = random.Random(7)

    async def send() -> None:
        async with window.slot(5):
            await sleep(rng.choice([0.0, 0.01, 0.3, 0.9]))  # on the way to Telegram
            arrivals.append(now[0])
            await sleep(rng.choice([0.0, 0.05, 0.6]))  # the answer coming back

    tasks = [asyncio.create_task(send()) for _ in range(60)]
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0)
        if timers:
            timers.sort()
            at, _, future = timers.pop(0)
            now[0] = max(now[0], at)
            future.set_result(None)
    arrivals.sort()
    assert len(arrivals) == 60
    # Any one second (Telegram's window: (t-1, t]) holds at most 5 arrivals.
    assert all(arrivals[i + 5] - arrivals[i] > 1.0 - 1e-9 for i in range(len(arrivals) - 5))


async def test_bulk_sends_to_one_chat_wait_a_second_after_the_previous_answer() -> None:
    import asyncio

    from bot.jobs.reminders import ChatSpacing

    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    chats = ChatSpacing(clock=lambda: now[0], sleep=sleep)
    await chats.wait(1)
    chats.begin(1)
    now[0] = 0.4  # the answer takes 0.4 s
    chats.end(1)
    await chats.wait(2)  # another chat: no wait
    assert now[0] == pytest.approx(0.4)
    await chats.wait(1)
    assert now[0] >= 1.4  # a second after the answer, not after the start


async def test_restart_in_the_middle_of_new_deadline_continues_at_the_same_step(
    harness: Harness, services: Any, api_settings: Any, clock: SteppingClock
) -> None:
    from bot.app import build_application, build_services

    await harness.send(ADMIN, "/tenggat_baru")
    await harness.send(ADMIN, "Foto sarana disabilitas")
    await harness.press_label(ADMIN, "Lewati")
    await harness.press_label(ADMIN, "Pilih unit")
    await harness.press_label(ADMIN, "Dinas Sosial")
    message_id, done = harness.find_button(ADMIN, "Selesai")

    # A new process: new services and a new Application on the same database.
    services2 = await build_services(api_settings, clock=clock)
    try:
        app2 = build_application(api_settings, services2)
        async with app2:
            second = Harness(app2, harness.api)
            await second.press(ADMIN, done, message_id=message_id)
            await second.send(ADMIN, "20 Juni 2025")
            assert "Unit: Dinas Sosial" in second.last_text(ADMIN)
            await second.press_label(ADMIN, "Simpan")
            assert "Tersimpan: <b>Foto sarana disabilitas</b>" in second.last_text(ADMIN)
    finally:
        await services2.engine.dispose()
    worker = await member(services, 104, "dinsos")
    titles = [s.deadline.title for s in await services.reminders.upcoming(worker)]
    assert titles.count("Foto sarana disabilitas") == 1
