"""Unit tests for bot.domain.announcements: new or moved deadlines, the next morning."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.announcements import (
    AnnounceSkip,
    Change,
    announcement_time,
    due_announcements,
    merge_announcements,
)
from bot.domain.deadlines import Completion, Recipient

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")


def wita(day: int, hour: int = 8, minute: int = 0) -> datetime:
    # June 2026: the 1st is a Monday, the 5th a Friday, the 6th/7th the weekend.
    return datetime(2026, 6, day, hour, minute, tzinfo=WITA)


def person(
    user_id: int = 1, unit_id: int = 10, tz: str = "Asia/Makassar", **kw: object
) -> Recipient:
    return Recipient(user_id=user_id, chat_id=user_id, unit_id=unit_id, tz=tz, **kw)  # type: ignore[arg-type]


def change(
    cid: str = "1.1",
    *,
    at: datetime | None = None,
    due: datetime | None = None,
    units: object = "all",
) -> Change:
    return Change(
        id=cid,
        title=f"Tenggat {cid}",
        due_at=due or wita(30, 23, 59),
        unit_ids=units,  # type: ignore[arg-type]
        changed_at=at or wita(2, 15),
        moved=not cid.endswith(".1"),
    )


def test_announced_the_next_morning_at_the_readers_hour_in_their_zone() -> None:
    made = wita(2, 15)  # Tuesday 15.00 WITA = 14.00 WIB
    assert announcement_time(made, person()) == wita(3, 8).astimezone(UTC)
    wib = person(tz="Asia/Jakarta", reminder_hour=7)
    assert announcement_time(made, wib) == datetime(2026, 6, 3, 7, tzinfo=WIB).astimezone(UTC)
    # 23.30 WIB on the 2nd is already 00.30 WITA on the 3rd: the WITA reader hears on the 4th.
    late = datetime(2026, 6, 2, 23, 30, tzinfo=WIB)
    assert announcement_time(late, person()) == wita(4, 8).astimezone(UTC)
    assert announcement_time(late, wib) == datetime(2026, 6, 3, 7, tzinfo=WIB).astimezone(UTC)


def test_quiet_weekends_wait_for_monday() -> None:
    friday = wita(5, 10)
    assert announcement_time(friday, person()) == wita(6, 8).astimezone(UTC)
    assert announcement_time(friday, person(quiet_weekends=True)) == wita(8, 8).astimezone(UTC)


def test_due_once_merged_per_person_and_never_again_once_recorded() -> None:
    changes = [change("1.1", due=wita(30)), change("2.3", due=wita(20))]
    people = [person(1), person(2, unit_id=11)]
    assert due_announcements(wita(3, 7, 59), changes, people, [], set()).due == []
    plan = due_announcements(wita(3, 8), changes, people, [], set())
    assert plan.skipped == []
    merged = merge_announcements(plan.due)
    assert list(merged) == [1, 2]
    assert [a.change.id for a in merged[1]] == ["2.3", "1.1"]  # by due date
    assert not any(a.late for a in plan.due)
    recorded = {(a.key.deadline_id, a.key.user_id) for a in plan.due}
    again = due_announcements(wita(3, 8, 1), changes, people, [], recorded)
    assert again.due == [] and again.skipped == []


def test_only_the_units_it_applies_to_and_not_muted_or_done() -> None:
    only_ten = change("1.1", units=frozenset({10}))
    people = [person(1, 10), person(2, 11), person(3, 10, muted=True), person(4, 12)]
    done = [Completion("1.1", 12)]
    plan = due_announcements(wita(3, 9), [only_ten], people, done, set())
    assert [a.recipient.user_id for a in plan.due] == [1]
    everyone = due_announcements(wita(3, 9), [change("1.1")], people, done, set())
    assert [a.recipient.user_id for a in everyone.due] == [1, 2]


@pytest.mark.parametrize(
    ("now", "due", "reminded", "reason"),
    [
        (wita(3, 8), wita(3, 8), False, AnnounceSkip.DUE),
        (wita(3, 8), wita(30), True, AnnounceSkip.REMINDED),
        (wita(3, 8) + timedelta(hours=13), wita(30), False, AnnounceSkip.EXPIRED),
    ],
)
def test_skipped_and_recorded(
    now: datetime, due: datetime, reminded: bool, reason: AnnounceSkip
) -> None:
    item = change("1.2", due=due)
    plan = due_announcements(
        now, [item], [person()], [], set(), reminded={("1.2", 1)} if reminded else set()
    )
    assert plan.due == []
    assert [(a.key, a.skipped) for a in plan.skipped] == [(("1.2", 1), reason)]


def test_late_within_grace_is_marked_late() -> None:
    plan = due_announcements(wita(3, 11), [change()], [person()], [], set())
    assert [a.late for a in plan.due] == [True]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        due_announcements(datetime(2026, 6, 3, 8), [change()], [person()], [], set())
