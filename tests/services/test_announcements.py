"""Announcing new or moved deadlines the next morning, through the reminder outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.db.models import ReminderDeliveryRow
from bot.domain.timeline import Timeline, TimelineEntry, UnitSelector
from bot.domain.units import Member
from bot.services.reminders import DeadlineDraft, ReminderService
from tests.builders import WIB, WITA, member
from tests.conftest import SteppingClock
from tests.services.notifier import RecordingNotifier, run

# The services fixture syncs the shipped example timeline at its clock (Thu 12 June 2025,
# 08.00 WITA). Thursday 13 June, 08.00 WITA is the next morning for a WITA reader.
NEXT_MORNING_WITA = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
FAR = datetime(2025, 7, 31, 15, 59, tzinfo=UTC)  # 23.59 WITA, no reminder for weeks


async def create(services: Any, admin: Member, title: str, due: datetime = FAR) -> int:
    info = await services.reminders.create_deadline(
        admin, DeadlineDraft(title=title, due_at=due, scope={"all": True})
    )
    return int(info.id)


def announced(notifier: RecordingNotifier, user_id: int) -> list[list[tuple[str, bool]]]:
    return [
        [(a.title, a.moved) for a in m.announcements]
        for m in notifier.to(user_id)
        if m.announcements
    ]


async def test_new_deadlines_are_announced_once_next_morning_merged_in_the_readers_zone(
    services: Any, clock: SteppingClock
) -> None:
    admin = await member(services, 900, None, tz=WIB)
    wita = await member(services, 101, "dinkes", tz=WITA)
    wib = await member(services, 102, "dinsos", tz=WIB)
    await create(services, admin, "Maklumat dipajang")
    clock.advance(hours=3)
    await create(services, admin, "SK pengelola pengaduan", FAR - timedelta(days=5))
    notifier = RecordingNotifier()
    clock.now = NEXT_MORNING_WITA - timedelta(minutes=1)
    assert await run(services, notifier) == 0  # 07.59 WITA: not yet
    clock.now = NEXT_MORNING_WITA
    assert await run(services, notifier) == 1  # the WITA reader only; WIB is at 07.00 WIB
    (message,) = notifier.to(wita.user_id)
    assert message.timezone == WITA
    assert [(a.title, a.moved, a.days_left) for a in message.announcements] == [
        ("SK pengelola pengaduan", False, 43),  # by due date
        ("Maklumat dipajang", False, 48),
    ]
    assert message.reminders == () and message.escalations == ()
    # (the examples synced into the fresh database at start-up are not among them)
    clock.advance(hours=1)  # 08.00 WIB
    assert await run(services, notifier) == 1
    assert len(announced(notifier, wib.user_id)) == 1
    assert announced(notifier, admin.user_id) == []  # no unit: nothing to prepare
    # A second sweep, and a restart (a fresh service on the same database), send nothing more.
    services.reminders.changed()
    assert await run(services, notifier) == 0
    restarted = ReminderService(
        services.sessions,
        clock,
        access=services.reminders._access,  # noqa: SLF001 - the same wiring as the app
        content=services.reminders._content,  # noqa: SLF001
        admin_ids=frozenset(),
        default_tz=WIB,
    )
    await restarted.recover()
    await restarted.tick()
    assert await restarted.deliver(notifier) == 0
    clock.advance(days=1)
    assert await run(services, notifier) == 0
    assert len(notifier.sent) == 2
    async with services.sessions() as session:
        claims = (
            await session.scalars(
                select(ReminderDeliveryRow).where(ReminderDeliveryRow.kind == "announce")
            )
        ).all()
    assert sorted((c.user_id, c.status) for c in claims) == [
        (wita.user_id, "sent"),
        (wita.user_id, "sent"),
        (wib.user_id, "sent"),
        (wib.user_id, "sent"),
    ]


async def test_a_moved_deadline_is_announced_and_an_archived_one_is_not(
    services: Any, clock: SteppingClock
) -> None:
    admin = await member(services, 900, None, tz=WIB)
    reader = await member(services, 101, "dinkes", tz=WITA)
    moved = await create(services, admin, "Maklumat dipajang")
    gone = await create(services, admin, "Dibatalkan")
    notifier = RecordingNotifier()
    clock.now = NEXT_MORNING_WITA
    await run(services, notifier)
    assert announced(notifier, reader.user_id) == [
        [("Maklumat dipajang", False), ("Dibatalkan", False)]
    ]
    # At 10.00 one is moved, one made and archived, one archived: only the move is news.
    clock.advance(hours=2)
    await services.reminders.edit_due(admin, moved, FAR + timedelta(days=7))
    again = await create(services, admin, "Dibatalkan juga")
    await services.reminders.archive(admin, again)
    await services.reminders.archive(admin, gone)
    clock.now = NEXT_MORNING_WITA + timedelta(days=1)
    await run(services, notifier)
    assert announced(notifier, reader.user_id)[1:] == [[("Maklumat dipajang", True)]]
    assert "Dibatalkan juga" not in str(notifier.sent)


async def test_archived_after_planning_is_dropped_when_sent(
    services: Any, clock: SteppingClock
) -> None:
    admin = await member(services, 900, None, tz=WIB)
    await member(services, 101, "dinkes", tz=WITA)
    deadline = await create(services, admin, "Dibatalkan")
    clock.now = NEXT_MORNING_WITA
    await services.reminders.tick()  # planned into the outbox ...
    await services.reminders.archive(admin, deadline)  # ... archived before it goes out
    notifier = RecordingNotifier()
    assert await services.reminders.deliver(notifier) == 0
    assert notifier.sent == []
    assert (await services.reminders.outbox_counts()).get("skipped") == 1


async def test_content_sync_announces_added_and_moved_entries_only_after_the_first_sync(
    services: Any, clock: SteppingClock
) -> None:
    reader = await member(services, 101, "dinkes", tz=WITA)

    def timeline(*entries: tuple[str, datetime]) -> Timeline:
        return Timeline(
            False,
            "2025",
            tuple(
                TimelineEntry(
                    id=slug,
                    title=slug,
                    description="",
                    due_at=due,
                    offsets=(7, 1),
                    units=UnitSelector(),
                    indicators=(),
                    topics=(),
                )
                for slug, due in entries
            ),
        )

    clock.advance(hours=1)
    await services.reminders.sync_timeline(timeline(("baru", FAR), ("geser", FAR)))
    notifier = RecordingNotifier()
    clock.now = NEXT_MORNING_WITA
    await run(services, notifier)
    assert announced(notifier, reader.user_id) == [[("baru", False), ("geser", False)]]
    clock.advance(hours=4)
    await services.reminders.sync_timeline(
        timeline(("baru", FAR), ("geser", FAR + timedelta(days=1)))
    )
    clock.now = NEXT_MORNING_WITA + timedelta(days=1)
    await run(services, notifier)
    assert announced(notifier, reader.user_id)[1:] == [[("geser", True)]]
