"""ReminderService with a stepped clock and a recording notifier: timing, idempotency, outcomes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import OutboxRow, ReminderDeliveryRow, UserRow
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.timeline import Timeline, TimelineEntry, UnitSelector
from bot.domain.units import Member
from bot.services.reminders import (
    Recovery,
    SendResult,
    SendStatus,
)
from tests.builders import DUE, WIB, WITA, member, new_deadline, unit_id
from tests.conftest import POSTGRES_URL, SteppingClock
from tests.services.notifier import RecordingNotifier, run


@pytest.fixture
async def admin(services: Any) -> Member:
    return await member(services, 900, None)


async def test_reminders_go_out_at_eight_in_each_users_zone(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    wita = await member(services, 101, "dinkes", tz=WITA)
    wib = await member(services, 102, "dinkes", tz=WIB)
    deadline = await new_deadline(services, admin)
    notifier = RecordingNotifier()

    clock.now = datetime(2025, 6, 12, 23, 59, tzinfo=UTC)  # 07.59 WITA on Friday 13 June
    assert await run(services, notifier) == 0
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # 08.00 WITA, 07.00 WIB
    await run(services, notifier)
    assert [(m.user_id, [r.offset for r in m.reminders]) for m in notifier.sent] == [
        (wita.user_id, [7])
    ]
    clock.advance(minutes=59)
    await run(services, notifier)
    assert [m.user_id for m in notifier.sent] == [wita.user_id]
    clock.advance(minutes=1)  # 08.00 WIB
    await run(services, notifier)
    assert [m.user_id for m in notifier.sent] == [wita.user_id, wib.user_id]
    item = notifier.sent[1].reminders[0]
    assert (item.deadline_id, item.days_left, item.late) == (deadline, 7, False)
    # Sweeping again at the same moment, or a minute later, sends nothing more.
    clock.advance(minutes=1)
    assert await run(services, notifier) == 0
    assert set(notifier.keys().values()) == {1}


async def test_done_stops_reminders_for_the_whole_unit(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    first = await member(services, 101, "dinkes")
    second = await member(services, 102, "dinkes")
    other = await member(services, 103, "dinsos")
    deadline = await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    assert len(notifier.sent) == 3

    done = await services.reminders.mark_done(first, deadline)
    assert (done.already, done.done_by) == (False, "U101")
    again = await services.reminders.mark_done(second, deadline)
    assert (again.already, again.done_by) == (True, "U101")

    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)  # H-3
    await run(services, notifier)
    assert [m.user_id for m in notifier.sent[3:]] == [other.user_id]
    statuses = {s.deadline.id: s for s in await services.reminders.upcoming(second)}
    assert statuses[deadline].done_by == "U101" and statuses[deadline].days_left == 3


async def test_done_from_another_unit_cannot_reach_a_deadline_of_one_unit(
    services: Any, admin: Member
) -> None:
    outsider = await member(services, 103, "dinsos")
    deadline = await new_deadline(
        services, admin, scope={"unit_ids": [await unit_id(services, "dinkes")]}
    )
    with pytest.raises(NotFound):
        await services.reminders.mark_done(outsider, deadline)
    with pytest.raises(NotFound):
        await services.reminders.guide(outsider, deadline)


async def test_snooze_moves_the_next_reminder_to_tomorrow(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    person = await member(services, 101, "dinkes")
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)  # H-3, Tuesday 08.00 WITA
    await run(services, notifier)
    snoozed = await services.reminders.snooze(person, notifier.sent[0].outbox_id)
    assert snoozed.until == datetime(2025, 6, 18, 0, 0, tzinfo=UTC)
    clock.advance(hours=23, minutes=59)
    assert await run(services, notifier) == 0
    clock.advance(minutes=1)
    await run(services, notifier)
    assert [m.reminders[0].days_left for m in notifier.sent] == [3, 2]
    clock.now = datetime(2025, 6, 19, 0, 0, tzinfo=UTC)  # H-1 as planned
    await run(services, notifier)
    assert [m.reminders[0].days_left for m in notifier.sent] == [3, 2, 1]


async def test_snooze_of_someone_elses_message_is_refused(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    await member(services, 101, "dinkes")
    other = await member(services, 102, "dinkes")
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    mine = next(m for m in notifier.sent if m.telegram_id == 101)
    with pytest.raises(NotFound):
        await services.reminders.snooze(other, mine.outbox_id)


async def test_escalation_lists_exactly_the_late_units(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    dinkes, dinsos, disdik = [await unit_id(services, c) for c in ("dinkes", "dinsos", "disdik")]
    coordinator = await member(services, 201, "dinsos", role="coordinator")
    done_coordinator = await member(services, 202, "dinkes", role="coordinator")
    worker = await member(services, 203, "dinkes")
    deadline = await new_deadline(services, admin, scope={"unit_ids": [dinkes, dinsos, disdik]})
    await services.reminders.mark_done(worker, deadline)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 19, 1, 0, tzinfo=UTC)  # H-1, 08.00 WIB (admins' zone)
    await run(services, notifier)
    escalations = {m.user_id: m.escalations for m in notifier.sent if m.escalations}
    assert set(escalations) == {admin.user_id, coordinator.user_id}
    (summary,) = escalations[admin.user_id]
    assert summary.pending_units == (
        "Dinas Pendidikan dan Kebudayaan",
        "Dinas Sosial dan Pemberdayaan Masyarakat",
    )
    assert summary.total_units == 3
    assert escalations[coordinator.user_id][0].pending_units == (
        "Dinas Sosial dan Pemberdayaan Masyarakat",
    )
    assert done_coordinator.user_id not in escalations
    # Idempotent: the same sweep again sends nothing; the due day sends the second summary.
    clock.advance(minutes=10)
    await run(services, notifier)
    assert sum(1 for m in notifier.sent if m.escalations) == 2
    clock.now = datetime(2025, 6, 20, 1, 0, tzinfo=UTC)
    await run(services, notifier)
    assert sum(1 for m in notifier.sent if m.escalations) == 4


async def test_content_edit_replans_without_duplicates(
    services: Any, clock: SteppingClock
) -> None:
    person = await member(services, 101, "dinkes")

    def timeline(due: datetime) -> Timeline:
        return Timeline(
            False,
            "2025",
            (
                TimelineEntry(
                    id="maklumat",
                    title="Maklumat",
                    description="",
                    due_at=due,
                    offsets=(7, 3, 1, 0),
                    units=UnitSelector(),
                    indicators=(),
                    topics=(),
                ),
            ),
        )

    first = await services.reminders.sync_timeline(timeline(DUE))
    assert (first.added, first.updated) == (1, 0)
    assert (await services.reminders.sync_timeline(timeline(DUE))).updated == 0  # idempotent
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # H-7
    await run(services, notifier)
    assert len(notifier.sent) == 1
    moved = await services.reminders.sync_timeline(timeline(DUE + timedelta(days=2)))
    assert (moved.updated, moved.replanned) == (1, 1)
    await run(services, notifier)  # same moment: nothing twice
    clock.now = datetime(2025, 6, 15, 0, 0, tzinfo=UTC)  # the new H-7
    await run(services, notifier)
    clock.now = datetime(2025, 6, 19, 0, 0, tzinfo=UTC)  # the new H-3
    await run(services, notifier)
    assert [m.reminders[0].days_left for m in notifier.to(person.user_id)] == [7, 7, 3]
    gone = await services.reminders.sync_timeline(Timeline(False, "2025", ()))
    assert gone.archived == 1
    clock.now = datetime(2025, 6, 21, 0, 0, tzinfo=UTC)
    assert await run(services, notifier) == 0


async def test_downtime_within_grace_is_late_and_older_is_skipped(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    await member(services, 101, "dinkes")
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 17, 6, 0, tzinfo=UTC)  # H-3 planned 6 hours ago
    await run(services, notifier)
    assert notifier.sent[0].reminders[0].late is True
    clock.now = datetime(2025, 6, 19, 13, 0, tzinfo=UTC)  # H-1 planned 13 hours ago
    await run(services, notifier)
    assert len(notifier.keys()) == 1  # (the admins' escalation, 12 hours late, still goes)
    async with services.sessions() as session:
        skipped = (
            await session.scalars(
                select(ReminderDeliveryRow).where(
                    ReminderDeliveryRow.offset == 1, ReminderDeliveryRow.kind == "reminder"
                )
            )
        ).one()
    assert (skipped.status, skipped.reason) == ("skipped", "expired")


async def test_retry_after_timeout_and_forbidden(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    people = [await member(services, 100 + i, "dinkes") for i in range(3)]
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    notifier.fail_next(SendResult(SendStatus.RETRY_AFTER, retry_after=7))
    notifier.fail_next(SendResult(SendStatus.TIMED_OUT, error="Timed out"))
    notifier.fail_next(SendResult(SendStatus.FORBIDDEN, error="bot was blocked by the user"))
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    assert notifier.sent == []
    counts = await services.reminders.outbox_counts()
    assert counts == {"pending": 1, "unknown": 1, "blocked": 1}
    clock.advance(seconds=6)
    assert await services.reminders.deliver(notifier) == 0  # Telegram said 7 seconds
    clock.advance(seconds=1)
    assert await services.reminders.deliver(notifier) == 1
    assert [m.user_id for m in notifier.sent] == [people[0].user_id]
    blocked = await services.members.get(people[2].user_id)
    assert blocked.active is False
    # The timed-out one is never resent, the blocked person gets nothing more.
    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    assert sorted(m.user_id for m in notifier.sent[1:]) == [people[0].user_id, people[1].user_id]


async def test_network_errors_retry_with_backoff_then_fail(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    await member(services, 101, "dinkes")
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    notifier.fail_next(SendResult(SendStatus.NETWORK, error="connection reset"), times=2)
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    clock.advance(seconds=5)
    assert await services.reminders.deliver(notifier) == 1  # second failure
    clock.advance(seconds=9)
    assert await services.reminders.deliver(notifier) == 0  # backoff doubled to 10 s
    clock.advance(seconds=1)
    assert await services.reminders.deliver(notifier) == 1
    assert len(notifier.sent) == 1


async def test_restart_resends_claimed_rows_but_not_started_ones(
    settings: Any, clock: SteppingClock, services: Any, admin: Member
) -> None:
    from bot.app import build_services

    await member(services, 101, "dinkes")
    await member(services, 102, "dinkes")
    await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await run(services, notifier)
    assert len(notifier.sent) == 2
    # A crash after claiming two rows, while the request of the first one was under way.
    clock.now = datetime(2025, 6, 17, 0, 0, tzinfo=UTC)
    await services.reminders.tick()
    started, waiting = await services.reminders.claim(10)
    assert await services.reminders.start_request(started.outbox_id)
    assert await services.reminders.outbox_counts() == {"sent": 2, "claimed": 1, "sending": 1}
    clock.advance(minutes=3)  # on PostgreSQL only an expired lease proves the sender is gone
    again = await build_services(settings, clock=clock)
    try:
        assert await again.reminders.recover() == Recovery(requeued=1, unknown=1)
        # The old sender lost its lease: it may no longer start the waiting row.
        assert not await services.reminders.start_request(waiting.outbox_id)
        await run(again, notifier)
        assert [m.user_id for m in notifier.sent[2:]] == [waiting.user_id]
        assert notifier.sent[2].reminders[0].late is False  # on time: recovery is not lateness
        assert await again.reminders.outbox_counts() == {"sent": 3, "unknown": 1}
    finally:
        await again.engine.dispose()


async def test_expired_lease_returns_claimed_rows_and_parks_started_ones(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    people = [await member(services, 101 + i, "dinkes") for i in range(3)]
    await new_deadline(services, admin)
    services.reminders.single_sender = False
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await services.reminders.tick()
    first, *rest = await services.reminders.claim(10)
    assert len(rest) == 2
    assert await services.reminders.start_request(first.outbox_id)
    clock.advance(seconds=60)
    assert await services.reminders.recover() == Recovery()  # leases still held: a live sender
    clock.advance(minutes=2)
    result = await services.reminders.tick()
    assert (result.requeued, result.abandoned) == (2, 1)
    assert await services.reminders.outbox_counts() == {"pending": 2, "unknown": 1}
    notifier = RecordingNotifier()
    assert await services.reminders.deliver(notifier) == 2
    assert sorted(m.user_id for m in notifier.sent) == sorted(p.user_id for p in people[1:])
    # The answer to the parked request still arrives: it is recorded as sent after all.
    await services.reminders.record(first.outbox_id, SendResult(SendStatus.SENT, message_id=9))
    assert await services.reminders.outbox_counts() == {"sent": 3}


async def test_preferences_and_mute(services: Any, clock: SteppingClock, admin: Member) -> None:
    person = await member(services, 101, "dinkes")
    await new_deadline(services, admin)
    prefs = await services.reminders.set_prefs(
        person.user_id, reminder_hour=9, quiet_weekends=True
    )
    assert (prefs.reminder_hour, prefs.quiet_weekends, prefs.muted) == (9, True, False)
    notifier = RecordingNotifier()
    # H-7 falls on Friday 13 June: 09.00 WITA = 01.00 UTC.
    clock.now = datetime(2025, 6, 13, 0, 30, tzinfo=UTC)
    await run(services, notifier)
    assert notifier.sent == []
    clock.now = datetime(2025, 6, 13, 1, 0, tzinfo=UTC)
    await run(services, notifier)
    assert len(notifier.sent) == 1
    await services.reminders.set_prefs(person.user_id, muted=True)
    clock.now = datetime(2025, 6, 17, 1, 0, tzinfo=UTC)
    await run(services, notifier)
    assert len(notifier.sent) == 1


async def test_coordinator_creates_only_for_own_unit_and_edits_it(
    services: Any, clock: SteppingClock
) -> None:
    coordinator = await member(services, 201, "dinsos", role="coordinator")
    dinsos, dinkes = await unit_id(services, "dinsos"), await unit_id(services, "dinkes")
    with pytest.raises(NotAllowed):
        await new_deadline(services, coordinator, scope={"all": True})
    with pytest.raises(NotAllowed):
        await new_deadline(services, coordinator, scope={"unit_ids": [dinkes]})
    deadline = await new_deadline(services, coordinator, scope={"unit_ids": [dinsos]})
    moved = await services.reminders.edit_due(coordinator, deadline, DUE + timedelta(days=1))
    assert moved.due_at == DUE + timedelta(days=1)
    listed = [s.deadline.id for s in await services.reminders.upcoming(coordinator)]
    assert deadline in listed
    await services.reminders.archive(coordinator, deadline)
    assert deadline not in [s.deadline.id for s in await services.reminders.upcoming(coordinator)]


async def test_preview_writes_nothing(services: Any, clock: SteppingClock, admin: Member) -> None:
    await member(services, 101, "dinkes")
    await member(services, 102, "dinkes", tz=WIB)
    await new_deadline(services, admin)
    at = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    messages = await services.reminders.preview(at)
    assert [(m.telegram_id, m.reminders[0].offset) for m in messages] == [(101, 7)]
    assert await services.reminders.outbox_counts() == {}


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BOT_TEST_POSTGRES_URL")
async def test_two_processes_on_postgres_send_each_reminder_once(
    settings: Any, clock: SteppingClock, services: Any, admin: Member
) -> None:
    from sqlalchemy import insert

    from bot.app import build_services

    dinkes = await unit_id(services, "dinkes")
    now = clock()
    async with services.sessions.begin() as session:
        await session.execute(
            insert(UserRow),
            [
                {
                    "telegram_id": 10_000 + i,
                    "chat_id": 10_000 + i,
                    "display_name": f"P{i}",
                    "unit_id": dinkes,
                    "role": "member",
                    "timezone": WITA,
                    "reminder_hour": 8,
                    "quiet_weekends": False,
                    "muted": False,
                    "active": True,
                    "blocked": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(300)
            ],
        )
    await new_deadline(services, admin)
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    other = await build_services(settings, clock=clock)
    try:
        other.reminders.single_sender = services.reminders.single_sender = False
        first, second = RecordingNotifier(), RecordingNotifier()
        await asyncio.gather(services.reminders.tick(), other.reminders.tick())

        async def drain(svc: Any, notifier: RecordingNotifier) -> None:
            while messages := await svc.reminders.claim(7):
                for message in messages:
                    await asyncio.sleep(0)  # let the other process interleave
                    await svc.reminders.record(message.outbox_id, await notifier.send(message))

        await asyncio.gather(drain(services, first), drain(other, second))
        keys = first.keys() + second.keys()
        assert len(keys) == 300 and set(keys.values()) == {1}
        assert first.sent and second.sent  # both really worked
        async with services.sessions() as session:
            rows = (await session.scalars(select(OutboxRow))).all()
        assert len(rows) == 300 and {r.status for r in rows} == {"sent"}
    finally:
        await other.engine.dispose()
