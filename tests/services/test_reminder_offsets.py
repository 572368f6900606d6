"""Editing a deadline's reminder offsets: re-planning on a stepped clock, no duplicates, roles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow, OutboxRow, ReminderDeliveryRow
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.timeline import Timeline, TimelineEntry, UnitSelector
from bot.domain.units import Member
from tests.builders import DUE, WIB, WITA, member, new_deadline, unit_id
from tests.conftest import SteppingClock
from tests.services.notifier import RecordingNotifier, run


@pytest.fixture
async def admin(services: Any) -> Member:
    return await member(services, 900, None)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in June 2025, UTC."""
    return datetime(2025, 6, day, hour, minute, tzinfo=UTC)


async def test_added_h2_goes_out_at_eight_in_each_zone_and_removed_h1_stops(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    wita = await member(services, 101, "dinkes", tz=WITA)
    wib = await member(services, 102, "dinkes", tz=WIB)
    deadline = await new_deadline(services, admin)
    info = await services.reminders.edit_offsets(admin, deadline, [14, 7, 3, 2, 0])
    assert info.offsets == (14, 7, 3, 2, 0)
    notifier = RecordingNotifier()

    for moment in (at(17, 0), at(17, 1), at(17, 23, 59)):  # H-3 in both zones; then 07.59 WITA
        clock.now = moment
        await run(services, notifier)
    assert [r.offset for m in notifier.sent for r in m.reminders] == [3, 3]
    clock.now = at(18, 0)  # 08.00 WITA = H-2 for the WITA user, 07.00 WIB
    await run(services, notifier)
    assert [(m.user_id, m.reminders[0].offset) for m in notifier.sent[2:]] == [(wita.user_id, 2)]
    assert notifier.sent[2].reminders[0].days_left == 2
    clock.now = at(18, 1)  # 08.00 WIB
    await run(services, notifier)
    assert [(m.user_id, m.reminders[0].offset) for m in notifier.sent[3:]] == [(wib.user_id, 2)]
    # H-1 was removed: Thursday 19 June passes in silence; the due day still reminds.
    for moment in (at(19, 0), at(19, 1), at(19, 12)):
        clock.now = moment
        await run(services, notifier)  # (the admin's H-1 summary of late units still goes out)
    assert [m.reminders for m in notifier.sent[4:] if m.reminders] == []
    clock.now = at(20, 1)
    await run(services, notifier)
    assert {(m.user_id, m.reminders[0].offset) for m in notifier.sent[4:] if m.reminders} == {
        (wita.user_id, 0),
        (wib.user_id, 0),
    }
    assert max(notifier.keys().values()) == 1


async def test_already_sent_offsets_are_never_sent_again(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    person = await member(services, 101, "dinkes")
    deadline = await new_deadline(services, admin)
    notifier = RecordingNotifier()
    clock.now = at(13, 0)  # H-7, 08.00 WITA
    await run(services, notifier)
    assert notifier.keys() == {(person.user_id, deadline, 7): 1}
    # Remove H-7, put it back, change the others: nothing goes out twice, nothing late.
    await services.reminders.edit_offsets(admin, deadline, [14, 3, 1, 0])
    clock.now = at(13, 1)
    await services.reminders.edit_offsets(admin, deadline, [14, 7, 3, 1, 0])
    await services.reminders.edit_offsets(admin, deadline, [7, 3, 1, 0])
    for moment in (at(13, 2), at(13, 6), at(17, 0), at(19, 0), at(20, 0)):
        clock.now = moment
        await run(services, notifier)
    assert notifier.keys() == {
        (person.user_id, deadline, 7): 1,
        (person.user_id, deadline, 3): 1,
        (person.user_id, deadline, 1): 1,
        (person.user_id, deadline, 0): 1,
    }
    assert not any(r.late for m in notifier.sent for r in m.reminders)


async def test_an_added_offset_already_past_today_is_not_sent_late(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    person = await member(services, 101, "dinkes")
    deadline = await new_deadline(services, admin)
    await services.reminders.edit_offsets(admin, deadline, [14, 3, 1, 0])
    notifier = RecordingNotifier()
    clock.now = at(13, 2)  # 10.00 WITA on H-7: its 08.00 is two hours past
    await run(services, notifier)
    # Only the morning announcement of the new deadline goes out, no late H-7 reminder.
    assert [(m.reminders, len(m.announcements)) for m in notifier.sent] == [((), 1)]
    await services.reminders.edit_offsets(admin, deadline, [14, 7, 3, 1, 0])
    assert await run(services, notifier) == 0
    async with services.sessions() as session:
        claim = await session.scalar(
            select(ReminderDeliveryRow).where(ReminderDeliveryRow.offset == 7)
        )
    assert claim is not None
    assert (claim.user_id, claim.status, claim.reason) == (
        person.user_id,
        "skipped",
        "offset_added_late",
    )
    clock.now = at(17, 0)  # a later offset goes out as usual
    await run(services, notifier)
    assert notifier.keys() == {(person.user_id, deadline, 3): 1}


async def test_pending_reminders_of_a_removed_offset_are_dropped(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    person = await member(services, 101, "dinkes")
    first = await new_deadline(services, admin, title="Maklumat dipajang")
    second = await new_deadline(services, admin, title="SK petugas pengaduan")
    alone = await new_deadline(services, admin, title="Foto sarana", due=DUE.replace(day=22))
    clock.now = at(19, 0)  # H-1 of the first two: one merged pending row
    await services.reminders.tick()
    await services.reminders.edit_offsets(admin, first, [14, 7, 3, 0])
    notifier = RecordingNotifier()
    await services.reminders.deliver(notifier)
    assert [(r.deadline_id, r.offset) for m in notifier.sent for r in m.reminders] == [
        (second, 1),
        (alone, 3),
    ]
    clock.now = at(21, 0)  # H-1 of the third one, alone in its row
    await services.reminders.tick()
    await services.reminders.edit_offsets(admin, alone, [0])
    sent = len(notifier.sent)
    await services.reminders.deliver(notifier)
    assert [m.reminders for m in notifier.sent[sent:] if m.reminders] == []
    async with services.sessions() as session:
        dropped = (
            await session.scalars(
                select(ReminderDeliveryRow).where(ReminderDeliveryRow.reason == "offset_removed")
            )
        ).all()
        rows = (
            await session.scalars(select(OutboxRow).where(OutboxRow.user_id == person.user_id))
        ).all()
    assert sorted((c.deadline_id, c.offset, c.user_id) for c in dropped) == [
        (first, 1, person.user_id),
        (alone, 1, person.user_id),
    ]
    assert all(c.status == "skipped" and c.outbox_id is None for c in dropped)
    assert [(r.status, r.payload["r"]) for r in rows][-1] == ("skipped", [])


async def test_roles_validation_and_audit(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    plain = await member(services, 101, "dinsos")
    coordinator = await member(services, 201, "dinsos", role="coordinator")
    other = await member(services, 202, "dinkes", role="coordinator")
    dinsos = await unit_id(services, "dinsos")
    own = await new_deadline(services, coordinator, scope={"unit_ids": [dinsos]})
    everyone = await new_deadline(services, admin)
    for who, deadline in ((plain, own), (other, own), (coordinator, everyone)):
        with pytest.raises(NotAllowed):
            await services.reminders.edit_offsets(who, deadline, [3, 0])
    info = await services.reminders.edit_offsets(coordinator, own, [3, 0])
    assert info.offsets == (3, 0)
    assert (await services.reminders.edit_offsets(admin, everyone, (0, 30))).offsets == (30, 0)
    for bad, reason in (([], "empty"), ([61], "out_of_range"), ([3, 3], "duplicate")):
        with pytest.raises(InvalidInput) as caught:
            await services.reminders.edit_offsets(admin, everyone, bad)
        assert caught.value.reason == reason
    assert (await services.reminders.get(admin, everyone)).offsets == (30, 0)
    async with services.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditRow).where(AuditRow.action == "deadline.edit").order_by(AuditRow.id)
            )
        ).all()
    assert [(r.actor_user_id, r.outcome) for r in rows] == [
        (plain.user_id, "refused"),
        (other.user_id, "refused"),
        (coordinator.user_id, "refused"),
        (coordinator.user_id, "ok"),
        (admin.user_id, "ok"),
    ]
    assert rows[3].unit_id == dinsos and rows[3].detail["offsets"] == [3, 0]
    assert rows[3].detail["before"] == [14, 7, 3, 1, 0]


def _timeline(offsets: tuple[int, ...], title: str = "Maklumat") -> Timeline:
    entry = TimelineEntry(
        id="maklumat",
        title=title,
        description="",
        due_at=DUE,
        offsets=offsets,
        units=UnitSelector(),
        indicators=(),
        topics=(),
    )
    return Timeline(False, "2025", (entry,))


async def test_chat_edit_of_a_content_deadline_lasts_until_its_file_entry_changes(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    person = await member(services, 101, "dinkes")
    await services.reminders.sync_timeline(_timeline((7, 3, 1, 0)))
    (status,) = await services.reminders.upcoming(admin)
    deadline = status.deadline.id
    await services.reminders.edit_offsets(admin, deadline, [7, 2, 0])
    result = await services.reminders.sync_timeline(_timeline((7, 3, 1, 0)))  # a restart
    assert (result.updated, result.replanned) == (0, 0)
    assert (await services.reminders.get(admin, deadline)).offsets == (7, 2, 0)
    notifier = RecordingNotifier()
    clock.now = at(13, 0)
    await run(services, notifier)
    # The editor changes the entry in the file: the file wins, planned afresh from now on. At
    # the very instant the H-7 went out: the new plan does not send it again.
    result = await services.reminders.sync_timeline(_timeline((7, 3, 1, 0), title="Maklumat!"))
    assert (result.updated, result.replanned) == (1, 1)
    assert (await services.reminders.get(admin, deadline)).offsets == (7, 3, 1, 0)
    for moment in (at(13, 2), at(17, 0), at(18, 0), at(19, 0)):
        clock.now = moment
        await run(services, notifier)
    assert [(m.user_id, m.reminders[0].offset) for m in notifier.sent if m.reminders] == [
        (person.user_id, 7),
        (person.user_id, 3),
        (person.user_id, 1),
    ]
