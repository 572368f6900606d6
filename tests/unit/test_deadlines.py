"""Unit tests for bot.domain.deadlines: reminder planning, snooze, merge and escalation."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.deadlines import (
    LATE_TOLERANCE,
    Completion,
    Deadline,
    DueReminder,
    Plan,
    Recipient,
    SkipReason,
    days_left,
    due_reminders,
    escalations,
    merge_by_recipient,
    reminder_time,
    snooze_until,
)
from bot.domain.units import Unit

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")

# Monday 15 June 2026, 23.59 WITA: H-14 Mon 1 Jun, H-7 Mon 8 Jun, H-3 Fri 12 Jun,
# H-1 Sun 14 Jun, H-0 Mon 15 Jun.
DUE = datetime(2026, 6, 15, 23, 59, tzinfo=WITA)
MAKLUMAT = Deadline(id="maklumat", title="Maklumat dipajang", due_at=DUE)


def wita(month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def person(user_id: int = 1, unit_id: int = 10, tz: str = "Asia/Makassar", **kw: Any) -> Recipient:
    return Recipient(user_id=user_id, chat_id=user_id * 100, unit_id=unit_id, tz=tz, **kw)


def plan_at(
    now: datetime,
    recipients: Iterable[Recipient],
    *,
    deadlines: Iterable[Deadline] = (MAKLUMAT,),
    completions: Iterable[Completion] = (),
    delivered: Iterable[tuple[str, int, int]] = (),
    grace: timedelta = timedelta(hours=12),
) -> Plan:
    return due_reminders(now, deadlines, recipients, completions, set(delivered), grace=grace)


def keys(plan: Plan) -> set[tuple[str, int, int]]:
    return {r.key for r in plan.due} | {s.key for s in plan.skipped}


def test_reminder_at_0800_local_wita_and_wib_are_an_hour_apart() -> None:
    bontang, jakarta = person(1, tz="Asia/Makassar"), person(2, unit_id=20, tz="Asia/Jakarta")
    at_wita_eight = wita(6, 8)  # 00.00 UTC
    plan = plan_at(at_wita_eight, [bontang, jakarta])
    assert [(r.key, r.late) for r in plan.due] == [(("maklumat", 1, 7), False)]

    at_wib_eight = datetime(2026, 6, 8, 8, 0, tzinfo=WIB)  # 01.00 UTC
    plan = plan_at(at_wib_eight, [bontang, jakarta], delivered=[("maklumat", 1, 7)])
    assert [r.key for r in plan.due] == [("maklumat", 2, 7)]
    assert plan.due[0].planned_at == datetime(2026, 6, 8, 1, 0, tzinfo=UTC)
    assert plan.due[0].planned_at - at_wita_eight == timedelta(hours=1)


def test_nothing_is_due_before_the_planned_minute() -> None:
    plan = plan_at(wita(6, 8, 7, 59), [person()], delivered=[("maklumat", 1, 14)])
    assert plan.due == [] and plan.skipped == []


def test_each_offset_fires_on_its_day() -> None:
    fired = []
    delivered: set[tuple[str, int, int]] = set()
    now = wita(5, 25, 0)
    while now < wita(6, 17):
        plan = plan_at(now, [person()], delivered=delivered)
        fired += [(r.offset, r.planned_at.astimezone(WITA)) for r in plan.due]
        delivered |= keys(plan)
        now += timedelta(minutes=30)
    assert fired == [
        (14, wita(6, 1)),
        (7, wita(6, 8)),
        (3, wita(6, 12)),
        (1, wita(6, 14)),
        (0, wita(6, 15)),
    ]


@pytest.mark.parametrize(
    ("delay", "late"),
    [
        (timedelta(0), False),
        (LATE_TOLERANCE, False),
        (LATE_TOLERANCE + timedelta(seconds=1), True),
        (timedelta(hours=3), True),
        (timedelta(hours=12), True),
    ],
)
def test_missed_reminder_within_grace_is_sent_late(delay: timedelta, late: bool) -> None:
    plan = plan_at(wita(6, 8) + delay, [person()], delivered=[("maklumat", 1, 14)])
    assert [(r.offset, r.late) for r in plan.due] == [(7, late)]
    assert plan.skipped == []


def test_missed_reminder_older_than_grace_is_skipped() -> None:
    plan = plan_at(wita(6, 8) + timedelta(hours=12, minutes=1), [person()])
    assert plan.due == []
    assert [(s.key, s.reason) for s in plan.skipped] == [
        (("maklumat", 1, 14), SkipReason.EXPIRED),
        (("maklumat", 1, 7), SkipReason.EXPIRED),
    ]


def test_grace_window_is_configurable() -> None:
    now = wita(6, 8) + timedelta(hours=3)
    assert plan_at(now, [person()], grace=timedelta(hours=2)).due == []
    assert len(plan_at(now, [person()], grace=timedelta(hours=4)).due) == 1


def test_delivered_keys_are_never_returned_again() -> None:
    now = wita(6, 8, 8, 1)
    first = plan_at(now, [person()])
    assert len(first.due) == 1 and len(first.skipped) == 1  # H-7 due, H-14 expired
    recorded = keys(first)
    second = plan_at(now, [person()], delivered=recorded)
    later = plan_at(now + timedelta(hours=2), [person()], delivered=recorded)
    assert (second.due, second.skipped, later.due, later.skipped) == ([], [], [], [])


def test_plain_tuples_match_keys() -> None:
    plan = plan_at(wita(6, 8), [person()], delivered={("maklumat", 1, 7), ("maklumat", 1, 14)})
    assert plan.due == [] and plan.skipped == []


def test_completed_unit_is_no_longer_reminded() -> None:
    done, other = person(1, unit_id=10), person(2, unit_id=20)
    plan = plan_at(wita(6, 8), [done, other], completions=[Completion("maklumat", 10)])
    assert [r.recipient.user_id for r in plan.due] == [2]
    assert all(s.recipient.user_id == 2 for s in plan.skipped)


def test_completion_of_another_deadline_does_not_count() -> None:
    plan = plan_at(wita(6, 8), [person()], completions=[Completion("sk-pengaduan", 10)])
    assert len(plan.due) == 1


@pytest.mark.parametrize("flags", [{"muted": True}, {"active": False}])
def test_muted_or_inactive_recipient_gets_nothing(flags: dict[str, Any]) -> None:
    plan = plan_at(wita(6, 8) + timedelta(days=1), [person(**flags)])
    assert plan.due == [] and plan.skipped == []


def test_deadline_for_some_units_skips_the_others() -> None:
    only_20 = Deadline(id="abk", title="Dokumen ABK", due_at=DUE, unit_ids=frozenset({20}))
    plan = plan_at(wita(6, 8), [person(1, unit_id=10), person(2, unit_id=20)], deadlines=[only_20])
    assert [r.key for r in plan.due] == [("abk", 2, 7)]


def test_custom_offsets() -> None:
    deadline = Deadline(id="skm", title="SKM", due_at=DUE, offsets=(0, 2))
    assert deadline.offsets == (2, 0)
    assert plan_at(wita(6, 8), [person()], deadlines=[deadline]).due == []
    assert [r.offset for r in plan_at(wita(6, 13), [person()], deadlines=[deadline]).due] == [2]


def test_reminders_before_creation_are_not_produced() -> None:
    created = Deadline(id="baru", title="Baru", due_at=DUE, created_at=wita(6, 8, 10))
    plan = plan_at(wita(6, 8, 10, 1), [person()], deadlines=[created])
    assert plan.due == [] and plan.skipped == []
    assert [r.offset for r in plan_at(wita(6, 12), [person()], deadlines=[created]).due] == [3]


def test_a_reminder_at_the_very_moment_of_a_replan_belongs_to_the_old_plan() -> None:
    """Created at 08.00: its 08.00 reminder goes out. Moved at 08.00: the old plan sent it."""
    created = Deadline(id="baru", title="Baru", due_at=DUE, created_at=wita(6, 12, 8))
    moved = Deadline(
        id="baru", title="Baru", due_at=DUE, created_at=wita(6, 12, 8), replanned=True
    )
    assert [r.offset for r in plan_at(wita(6, 12, 8), [person()], deadlines=[created]).due] == [3]
    assert plan_at(wita(6, 12, 8), [person()], deadlines=[moved]).due == []


def test_reminders_after_the_deadline_itself_are_not_produced() -> None:
    early = Deadline(id="pagi", title="Pagi", due_at=wita(6, 15, 7))  # due before 08.00
    earlier = [("pagi", 1, offset) for offset in (14, 7, 3, 1)]
    plan = plan_at(wita(6, 15, 9), [person()], deadlines=[early], delivered=earlier)
    assert plan.due == [] and plan.skipped == []


def test_quiet_weekend_moves_sunday_reminder_to_friday() -> None:
    quiet, normal = person(1, quiet_weekends=True), person(2, unit_id=20)
    friday = plan_at(
        wita(6, 12), [quiet, normal], delivered=[("maklumat", 1, 7), ("maklumat", 2, 7)]
    )
    assert [(r.recipient.user_id, r.offset) for r in friday.due] == [(1, 1), (2, 3)]
    # H-3 and the moved H-1 fall on the same Friday: one message, the other key recorded.
    assert [(s.key, s.reason) for s in friday.skipped if s.reason is not SkipReason.EXPIRED] == [
        (("maklumat", 1, 3), SkipReason.SUPERSEDED)
    ]
    recorded = keys(friday) | {("maklumat", 1, 7), ("maklumat", 2, 7)}
    sunday = plan_at(wita(6, 14), [quiet, normal], delivered=recorded)
    assert [(r.recipient.user_id, r.offset) for r in sunday.due] == [(2, 1)]


def test_quiet_weekend_moves_saturday_due_day_to_friday() -> None:
    saturday_due = Deadline(id="sabtu", title="Sabtu", due_at=wita(6, 20, 23, 59))
    plan = plan_at(wita(6, 19), [person(quiet_weekends=True)], deadlines=[saturday_due])
    assert [r.offset for r in plan.due] == [0]
    assert plan.due[0].planned_at == wita(6, 19).astimezone(UTC)


def test_snooze_moves_next_reminder_to_tomorrow_at_reminder_hour() -> None:
    bontang = person(1, reminder_hour=9)
    tapped_at = wita(6, 8, 9, 30)  # after the H-7 reminder
    until = snooze_until(tapped_at, bontang)
    assert until == wita(6, 9, 9).astimezone(UTC)

    snoozed = person(1, reminder_hour=9, snoozed_until={"maklumat": until})
    delivered = [("maklumat", 1, 14), ("maklumat", 1, 7)]
    assert plan_at(wita(6, 9, 8, 59), [snoozed], delivered=delivered).due == []
    plan = plan_at(wita(6, 9, 9), [snoozed], delivered=delivered)
    assert [(r.key, r.snoozed, r.late) for r in plan.due] == [(("maklumat", 1, 6), True, False)]


def test_snooze_holds_scheduled_reminders_until_it_ends() -> None:
    # Snoozed on Thursday 11 June until Saturday 13 June: Friday's H-3 is held, then dropped.
    snoozed = person(snoozed_until={"maklumat": wita(6, 13)})
    delivered = [("maklumat", 1, 14), ("maklumat", 1, 7)]
    friday = plan_at(wita(6, 12, 8, 30), [snoozed], delivered=delivered)
    assert friday.due == [] and friday.skipped == []

    saturday = plan_at(wita(6, 13), [snoozed], delivered=delivered)
    assert [(r.offset, r.snoozed) for r in saturday.due] == [(2, True)]
    assert [(s.offset, s.reason) for s in saturday.skipped] == [(3, SkipReason.SNOOZED)]


def test_snooze_is_per_person_and_per_deadline() -> None:
    other_deadline = Deadline(id="abk", title="ABK", due_at=DUE)
    snoozed = person(1, snoozed_until={"maklumat": wita(6, 9)})
    plan = plan_at(wita(6, 8), [snoozed, person(2)], deadlines=[MAKLUMAT, other_deadline])
    assert sorted(r.key for r in plan.due) == [("abk", 1, 7), ("abk", 2, 7), ("maklumat", 2, 7)]


def test_snooze_on_friday_with_quiet_weekends_waits_until_monday() -> None:
    until = snooze_until(wita(6, 12, 10), person(quiet_weekends=True))
    assert until == wita(6, 15).astimezone(UTC)


def test_merge_groups_one_message_per_person_sorted_by_due_date() -> None:
    # "abk" sorts first by id but is due a week later, so it comes second.
    later = Deadline(id="abk", title="ABK", due_at=DUE + timedelta(days=7), offsets=(14,))
    plan = plan_at(wita(6, 8), [person(2, unit_id=20), person(1)], deadlines=[later, MAKLUMAT])
    assert len(plan.due) == 4
    batches = merge_by_recipient(plan.due)
    assert [b.recipient.user_id for b in batches] == [1, 2]
    assert [[r.deadline.id for r in b.reminders] for b in batches] == [
        ["maklumat", "abk"],
        ["maklumat", "abk"],
    ]
    assert batches[0].keys == (("maklumat", 1, 7), ("abk", 1, 14))
    assert not batches[0].late


def test_merge_marks_batch_late_if_any_reminder_is() -> None:
    base = plan_at(wita(6, 8, 8, 30), [person()]).due[0]
    fresh = DueReminder(base.key, base.recipient, base.deadline, 3, base.planned_at, late=False)
    batch = merge_by_recipient([fresh, base])[0]
    assert batch.late and len(batch.reminders) == 2


def test_merge_of_nothing_is_nothing() -> None:
    assert merge_by_recipient([]) == []


GOV = "kota-bontang"
UNITS = [
    Unit(10, "dinkes", "Dinas Kesehatan", "opd", GOV),
    Unit(
        20, "pkm-bontang-selatan-1", "UPT Puskesmas Bontang Selatan I", "puskesmas", "kota-bontang"
    ),
    Unit(30, "disdik", "Dinas Pendidikan", "opd", GOV),
]


def test_escalation_lists_exactly_the_units_not_done_at_h_minus_1() -> None:
    plan = escalations(
        wita(6, 14), [MAKLUMAT], UNITS, [Completion("maklumat", 20)], set(), tz=WITA
    )
    assert [(e.key, e.late) for e in plan.due] == [(("maklumat", "esc", 1), False)]
    assert [u.code for u in plan.due[0].pending_units] == ["dinkes", "disdik"]
    assert plan.skipped == []


def test_escalation_is_idempotent_and_repeats_on_the_due_day() -> None:
    completions = [Completion("maklumat", 10)]
    first = escalations(wita(6, 14), [MAKLUMAT], UNITS, completions, set(), tz=WITA)
    delivered = {e.key for e in first.due}
    again = escalations(wita(6, 14, 12), [MAKLUMAT], UNITS, completions, delivered, tz=WITA)
    assert again.due == [] and again.skipped == []
    due_day = escalations(wita(6, 15), [MAKLUMAT], UNITS, completions, delivered, tz=WITA)
    assert [e.offset for e in due_day.due] == [0]
    assert [u.id for u in due_day.due[0].pending_units] == [30, 20]  # by code: disdik, pkm-...


def test_no_escalation_when_every_unit_is_done_or_before_h_minus_1() -> None:
    all_done = [Completion("maklumat", u.id) for u in UNITS]
    assert escalations(wita(6, 14), [MAKLUMAT], UNITS, all_done, set(), tz=WITA).due == []
    assert escalations(wita(6, 13, 23), [MAKLUMAT], UNITS, [], set(), tz=WITA).due == []


def test_escalation_only_covers_the_deadlines_units() -> None:
    scoped = Deadline(id="rsud", title="RSUD", due_at=DUE, unit_ids=frozenset({20}))
    plan = escalations(wita(6, 14), [scoped], UNITS, [], set(), tz=WITA)
    assert [u.id for u in plan.due[0].pending_units] == [20]


def test_missed_escalation_is_late_then_skipped() -> None:
    late = escalations(wita(6, 14, 15), [MAKLUMAT], UNITS, [], set(), tz=WITA)
    assert [(e.offset, e.late) for e in late.due] == [(1, True)]
    gone = escalations(wita(6, 15, 7), [MAKLUMAT], UNITS, [], set(), tz=WITA)
    assert gone.due == [] and [e.offset for e in gone.skipped] == [1]


def test_berlin_reminders_stay_at_0800_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Summer time starts Sunday 29 March 2026: 08.00 is 07.00 UTC before, 06.00 UTC after.
    deadline = Deadline(id="b", title="B", due_at=datetime(2026, 3, 30, 18, 0, tzinfo=berlin))
    recipient = person(tz="Europe/Berlin")
    planned: dict[int, datetime] = {}
    delivered: set[tuple[str, int, int]] = set()
    now = datetime(2026, 3, 14, 0, 0, tzinfo=UTC)
    while now < datetime(2026, 3, 31, tzinfo=UTC):
        plan = plan_at(now, [recipient], deadlines=[deadline], delivered=delivered)
        planned |= {r.offset: r.planned_at for r in plan.due}
        delivered |= keys(plan)
        now += timedelta(minutes=15)
    assert planned == {
        14: datetime(2026, 3, 16, 7, 0, tzinfo=UTC),
        7: datetime(2026, 3, 23, 7, 0, tzinfo=UTC),
        3: datetime(2026, 3, 27, 7, 0, tzinfo=UTC),
        1: datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        0: datetime(2026, 3, 30, 6, 0, tzinfo=UTC),
    }


def test_reminder_day_is_the_due_date_in_the_recipients_zone() -> None:
    due = datetime(2026, 5, 29, 23, 59, tzinfo=WITA)  # already 30 May 00.59 in WIT
    assert reminder_time(due, 0, WIT, 8) == datetime(2026, 5, 29, 23, 0, tzinfo=UTC)
    assert reminder_time(due, 0, WIB, 8) == datetime(2026, 5, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (datetime(2026, 5, 29, 10, 0, tzinfo=WITA), WITA, 0),
        (datetime(2026, 5, 29, 10, 0, tzinfo=WIT), WIT, 1),
        (datetime(2026, 5, 29, 10, 0, tzinfo=WIB), WIB, 0),
        (datetime(2026, 5, 15, 0, 1, tzinfo=WITA), WITA, 14),
        (datetime(2026, 5, 30, 0, 1, tzinfo=WITA), WITA, -1),
    ],
)
def test_days_left_counts_calendar_days_in_zone(
    now: datetime, tz: ZoneInfo, expected: int
) -> None:
    assert days_left(now, datetime(2026, 5, 29, 23, 59, tzinfo=WITA), tz) == expected


def test_deadline_normalises_due_at_to_utc() -> None:
    assert MAKLUMAT.due_at == datetime(2026, 6, 15, 15, 59, tzinfo=UTC)
    assert MAKLUMAT.due_at.tzinfo is UTC


@pytest.mark.parametrize(
    "kwargs",
    [
        {"due_at": datetime(2026, 6, 15, 23, 59)},  # noqa: DTZ001 - naive on purpose
        {"due_at": DUE, "offsets": (7, 7)},
        {"due_at": DUE, "offsets": (-1,)},
        {"due_at": DUE, "offsets": (400,)},
        {"due_at": DUE, "unit_ids": {1, 2}},
    ],
)
def test_invalid_deadline_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Deadline(id="x", title="x", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"reminder_hour": 24}, {"tz": "Mars/Base"}])
def test_invalid_recipient_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        person(**kwargs)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_at(datetime(2026, 6, 8, 8), [person()])  # noqa: DTZ001
