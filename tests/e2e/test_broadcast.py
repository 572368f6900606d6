"""/siaran end to end: draft, audience, preview, one confirm, paced delivery, summary.

The sender is the reminders' Dispatcher with a Pacer at the production rate (26 messages a
second, 1.1 s per chat) on a virtual clock: the test records the moment the pacer lets each
message go and checks the spacing, and the fake Bot API, in its rate-limited mode on the same
virtual clock, checks that nothing went over Telegram's limits, instead of waiting 20 s of
wall-clock time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, select

from bot.db.models import AuditRow, BroadcastRow, UserRow
from bot.domain.units import Role
from bot.handlers import broadcast
from bot.handlers import broadcast_render as view
from bot.handlers import callback_data as cd
from bot.jobs.reminders import Dispatcher, Pacer, dispatcher
from bot.services.reminders import OutgoingMessage, SendResult
from tests.builders import ADMIN, person, unit_id
from tests.e2e.harness import Harness
from tests.fakes.bot_api import FakeBotAPI

RATE = 26
PEOPLE = 500
REFUSAL = "Maaf, fitur ini khusus admin"  # /siaran is admin-only; the refusal says so


@pytest.fixture
async def quiet(api_settings: Any, services: Any, bot_api: FakeBotAPI) -> AsyncIterator[Harness]:
    """The application without PTB's real-time limiter (the Pacer under test spaces sends)."""
    from bot.app import build_application

    app = build_application(api_settings, services, rate_limit=False)
    async with app:
        yield Harness(app, bot_api)


async def _people(services: Any, count: int, *, inactive: int = 0) -> None:
    """`count` reachable users in dinkes/dinsos (type opd), plus some deactivated ones."""
    ids = [await unit_id(services, "dinkes"), await unit_id(services, "dinsos")]
    now = services.clock()
    rows = [
        {
            "telegram_id": 10_000 + n,
            "chat_id": 10_000 + n,
            "display_name": f"Orang {n}",
            "unit_id": ids[n % 2],
            "role": "member",
            "active": n >= inactive,
            "created_at": now,
            "updated_at": now,
            "language": "id",
        }
        for n in range(count + inactive)
    ]
    async with services.sessions.begin() as session:
        await session.execute(insert(UserRow), rows)


class Recorder:
    """Wraps the notifier: notes the virtual moment each message is handed over."""

    def __init__(self, inner: Any, now: list[float]) -> None:
        self.inner = inner
        self.now = now
        self.times: list[float] = []

    async def send(self, message: OutgoingMessage) -> SendResult:
        self.times.append(self.now[0])
        return await self.inner.send(message)  # type: ignore[no-any-return]


class VirtualTime:
    """A clock that sleeping advances at once (never suspends): 20 s of sending in no time."""

    def __init__(self) -> None:
        self.now = [0.0]

    def clock(self) -> float:
        return self.now[0]

    async def sleep(self, seconds: float) -> None:
        self.now[0] += max(0.0, seconds)


@pytest.fixture
async def limited(
    api_settings: Any, services: Any, bot_api: FakeBotAPI
) -> AsyncIterator[tuple[Harness, VirtualTime]]:
    """The application with the production limiter, its windows on a virtual clock.

    PTB's own real-time bucket is left out (overall_max_rate=0): it would wait in real time.
    """
    from bot.app import build_application
    from bot.jobs.reminders import BulkAwareRateLimiter

    time = VirtualTime()
    limiter = BulkAwareRateLimiter(
        overall_max_rate=0, group_max_rate=0, clock=time.clock, sleep=time.sleep
    )
    app = build_application(api_settings, services, rate_limiter=limiter)
    async with app:
        yield Harness(app, bot_api), time


def _virtual(sender: Dispatcher, time: VirtualTime) -> Recorder:
    sender.pacer = Pacer(RATE, per_chat=1.1, clock=time.clock, sleep=time.sleep)
    recorder = Recorder(sender.notifier, time.now)
    sender.notifier = recorder
    return recorder


async def _draft(harness: Harness, text: str) -> None:
    await harness.send(ADMIN, "/siaran")
    assert "Ketik pesan yang akan dikirim" in harness.last_text(ADMIN)
    await harness.send(ADMIN, text)
    assert "Siapa yang akan menerimanya? Saat ini: semua pengguna." in harness.last_text(ADMIN)


async def test_broadcast_to_500_people_is_paced_and_summarised(
    limited: tuple[Harness, VirtualTime], services: Any, bot_api: FakeBotAPI
) -> None:
    harness, time = limited
    await person(services, ADMIN, None, name="Admin")
    await _people(services, PEOPLE, inactive=2)
    sender = dispatcher(harness.app)
    recorder = _virtual(sender, time)
    woken: list[bool] = []
    sender.wake = lambda: woken.append(True)  # type: ignore[method-assign]

    await _draft(harness, "Rapat <b>besok</b> & bawa bukti")
    await harness.press_label(ADMIN, "Jenis: OPD (dinas/badan)")  # a name, not the code
    preview = harness.last_text(ADMIN)
    assert "Rapat &lt;b&gt;besok&lt;/b&gt; &amp; bawa bukti" in preview
    assert f"Kepada: unit berjenis OPD (dinas/badan) — {PEOPLE} orang." in preview
    assert "bawa bukti\n\n— Budi, admin" in preview  # signed as it will be delivered
    send_id, send_data = harness.find_button(ADMIN, "Kirim")
    await harness.press(ADMIN, send_data, message_id=send_id)
    assert f"Sedang dikirim ke {PEOPLE} orang" in harness.last_text(ADMIN) and woken
    # A double press (or a stale preview) queues nothing more.
    await harness.press(ADMIN, send_data, message_id=send_id)
    assert harness.answers()[-1]["text"] == "Tombol ini sudah tidak berlaku."
    assert (await services.reminders.outbox_counts()) == {"pending": PEOPLE}

    bot_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", times=3)
    # From here the fake counts arrivals on the virtual clock and answers 429 beyond 30 a
    # second overall or one a second per chat, as Telegram does.
    bot_api.rate_limit, bot_api.clock = True, time.clock
    assert await sender.drain() == PEOPLE
    assert bot_api.rate_limit_violations == 0
    assert await broadcast.report_finished(harness.app) == 1
    assert await broadcast.report_finished(harness.app) == 0  # reported once

    counts = await services.reminders.outbox_counts()
    assert counts == {"sent": PEOPLE - 3, "blocked": 3}
    summary = harness.last_text(ADMIN).split("\n")
    assert summary[0] == (
        "📢 Siaran selesai: 497 terkirim, 3 memblokir bot, 0 gagal, "
        "0 dilewati (dinonaktifkan sementara itu), dari 500."
    )
    # Who did not get it, and why: the three who blocked the bot, by name and unit.
    assert len(summary) == 4
    assert all(line.startswith("• ") and line.endswith(": memblokir bot") for line in summary[1:])
    delivered = [
        c
        for c in bot_api.calls_to("sendMessage")
        if "Pengumuman" in str(c.get("text")) and c.error_code is None
    ]
    assert len(delivered) == PEOPLE - 3
    assert delivered[0]["text"] == (  # signed: who sends it, with role (and unit, if any)
        "📢 <b>Pengumuman</b>\n\nRapat &lt;b&gt;besok&lt;/b&gt; &amp; bawa bukti\n\n— Budi, admin"
    )
    assert len({c["chat_id"] for c in delivered}) == PEOPLE - 3  # nobody twice

    # Pacing: never more than RATE hand-overs in any one second, so 500 take >= 499/26 s.
    times = sorted(recorder.times)
    assert len(times) == PEOPLE
    assert all(times[i + RATE] - times[i] >= 1.0 - 1e-9 for i in range(len(times) - RATE))
    assert times[-1] - times[0] >= (PEOPLE - 1) / RATE - 1e-6
    async with services.sessions() as session:
        blocked = (await session.scalars(select(UserRow).where(UserRow.blocked.is_(True)))).all()
        row = (await session.scalars(select(BroadcastRow))).one()
    assert len(blocked) == 3 and all(not u.active for u in blocked)
    assert row.status == "done" and row.summary == {
        "sent": 497,
        "blocked": 3,
        "failed": 0,
        "skipped": 0,
    }


async def test_chosen_units_cancel_and_deactivated_meanwhile(
    quiet: Harness, services: Any, clock: Any
) -> None:
    harness = quiet
    await person(services, ADMIN, None, name="Admin")
    ani = await person(services, 7301, "dinkes", name="Ani")
    beni = await person(services, 7302, "dinkes", name="Beni")
    await person(services, 7303, "dinsos", name="Cici")
    sender = dispatcher(harness.app)
    sender.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    sender.wake = lambda: None  # type: ignore[method-assign]

    await _draft(harness, "Halo")
    await harness.press_label(ADMIN, "Pilih unit")
    await harness.press_label(ADMIN, "Dinas Kesehatan")
    assert "Saat ini: Dinas Kesehatan." in harness.last_text(ADMIN)
    assert "✅ Dinas Kesehatan" in [label for label, _ in harness.buttons(ADMIN)]
    await harness.press_label(ADMIN, "Pratinjau")
    assert "Kepada: Dinas Kesehatan — 2 orang." in harness.last_text(ADMIN)
    await harness.press_label(ADMIN, "Kirim")
    # Beni is deactivated before the sender gets to him: skipped, and said so.
    await services.users.set_active(await person(services, ADMIN, None), beni.user_id, False)
    await sender.drain()
    await broadcast.report_finished(harness.app)
    assert "1 terkirim, 0 memblokir bot, 0 gagal, 1 dilewati" in harness.last_text(ADMIN)
    assert any("Halo" in t for t in harness.texts(ani.telegram_id))
    assert not any("Halo" in t for t in harness.texts(7303))

    # Cancel: the draft's buttons stop working.
    await _draft(harness, "Batal saja")
    cancel_id, cancel_data = harness.find_button(ADMIN, "Batal")
    all_id, all_data = harness.find_button(ADMIN, "Semua pengguna")
    await harness.press(ADMIN, cancel_data, message_id=cancel_id)
    assert harness.last_text(ADMIN) == "Siaran dibatalkan."
    await harness.press(ADMIN, all_data, message_id=all_id)
    assert harness.answers()[-1]["text"] == "Tombol ini sudah tidak berlaku."
    clock.advance(seconds=1)
    assert (await services.reminders.outbox_counts()).get("pending", 0) == 0


async def test_non_admins_are_refused_and_cannot_use_an_admins_draft(
    quiet: Harness, services: Any
) -> None:
    harness = quiet
    await person(services, ADMIN, None, name="Admin")
    coordinator = await person(services, 7401, "dinkes", Role.COORDINATOR, name="Koor")
    await _draft(harness, "Rahasia admin")
    async with services.sessions() as session:
        draft_id = (await session.scalars(select(BroadcastRow.id))).one()
    await harness.send(coordinator.telegram_id, "/siaran")
    assert REFUSAL in harness.last_text(coordinator.telegram_id)
    await harness.press(coordinator.telegram_id, cd.encode(view.Send(draft_id)), message_id=1)
    assert REFUSAL in harness.answers()[-1]["text"]
    async with services.sessions() as session:
        refused = (
            await session.scalars(
                select(AuditRow).where(
                    AuditRow.outcome == "refused", AuditRow.action == "broadcast.send"
                )
            )
        ).all()
        status = (await session.get(BroadcastRow, draft_id)).status
    assert [r.actor_user_id for r in refused] == [coordinator.user_id] * 2
    assert status == "draft"
