"""Domain: evidence deadlines and which reminders and escalations are due at `now` (pure).

The reminder sweep (a job running about once a minute) calls `due_reminders` with everything it
knows and the keys it has already recorded; this module decides, the service layer stores and
sends. Every reminder has a stable key `(deadline_id, user_id, offset)` and every escalation a key
`(deadline_id, "esc", offset)`: the caller records a key when it sends *or* skips it and passes
the recorded keys back in, so repeated or overlapping sweeps cannot send anything twice.

Timing rules in one place:

- A reminder with offset ``n`` is planned at ``reminder_hour:00`` local time on the due date
  minus ``n`` days, both in the recipient's zone (offset 0 is the due day itself). Building the
  local wall time first and converting to UTC afterwards keeps DST zones right.
- With ``quiet_weekends`` a reminder planned on Saturday or Sunday moves to the Friday before,
  same hour: an office closed at the weekend should hear about it before leaving, not after.
- Reminders planned at or after the deadline itself are never produced, nor are those planned
  before the deadline was created (`Deadline.created_at`).
- Due at ``now`` means planned <= now <= planned + grace. If the sweep runs more than
  `LATE_TOLERANCE` after the planned time (downtime, restart) the reminder is marked ``late`` so
  the text can say "(terlambat)". Older than ``grace`` it is skipped instead.
- If two reminders for the same person and deadline are due at once (a weekend shift put H-3 and
  H-1 on the same Friday), only the nearest one (smallest offset) is sent; the other is skipped as
  `SkipReason.SUPERSEDED`.

Keys do not contain the due date: when an admin moves a deadline, the caller should forget the
recorded keys of that deadline (or give it a new id) if reminders are to start over.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final, Literal, NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.dates import resolve_zone
from bot.domain.units import Unit

__all__ = [
    "ALL_UNITS",
    "DEFAULT_ESCALATION_OFFSETS",
    "DEFAULT_GRACE",
    "DEFAULT_OFFSETS",
    "DEFAULT_REMINDER_HOUR",
    "LATE_TOLERANCE",
    "MAX_OFFSET_DAYS",
    "Batch",
    "Completion",
    "Deadline",
    "DueReminder",
    "Escalation",
    "EscalationKey",
    "EscalationPlan",
    "Plan",
    "Recipient",
    "ReminderKey",
    "SkipReason",
    "SkippedReminder",
    "days_left",
    "due_reminders",
    "escalations",
    "merge_by_recipient",
    "reminder_time",
    "snooze_until",
]

#: H-14, H-7, H-3, H-1 and the due day itself.
DEFAULT_OFFSETS: Final[tuple[int, ...]] = (14, 7, 3, 1, 0)
#: Escalation summaries go out at H-1 and on the due day.
DEFAULT_ESCALATION_OFFSETS: Final[tuple[int, ...]] = (1, 0)
DEFAULT_REMINDER_HOUR: Final = 8
#: Reminders missed by up to this much (downtime) are still sent, marked late.
DEFAULT_GRACE: Final = timedelta(hours=12)
#: Sent later than planned by more than this counts as late. The sweep runs every minute, so a
#: normal reminder goes out within a minute or two; five minutes leaves room for a slow sweep.
LATE_TOLERANCE: Final = timedelta(minutes=5)
#: Offsets beyond this many days are refused: nobody needs a reminder a quarter-year ahead.
MAX_OFFSET_DAYS: Final = 90

ALL_UNITS: Final = "all"
UnitScope = frozenset[int] | Literal["all"]

_SATURDAY: Final = 5


class ReminderKey(NamedTuple):
    """Idempotency key of one reminder to one person; a plain tuple compares equal to it."""

    deadline_id: str
    user_id: int
    offset: int


class EscalationKey(NamedTuple):
    """Idempotency key of one escalation summary: `(deadline_id, "esc", offset)`."""

    deadline_id: str
    kind: Literal["esc"]
    offset: int


@dataclass(frozen=True, slots=True)
class Deadline:
    """One evidence deadline.

    Attributes:
        id: stable slug (from content/tenggat.yaml) or a generated id for admin-made ones.
        title: short Indonesian title shown in reminders.
        due_at: the moment it is due; must be aware, stored normalised to UTC.
        offsets: days before the due date to remind, 0 = the due day; kept sorted descending.
        unit_ids: the units that must deliver, or "all".
        created_at: reminders planned before this moment are never produced (a deadline made
            today does not fire yesterday's H-7 as a "late" reminder).
        replanned: the deadline was moved or its offsets changed at `created_at`: a reminder
            planned at exactly that moment belonged to the previous plan (which may have sent
            it already) and is not produced again.
    """

    id: str
    title: str
    due_at: datetime
    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    unit_ids: UnitScope = ALL_UNITS
    created_at: datetime | None = None
    replanned: bool = False

    def __post_init__(self) -> None:
        if self.due_at.tzinfo is None or self.due_at.utcoffset() is None:
            raise ValueError(f"deadline {self.id!r}: due_at must be timezone-aware")
        object.__setattr__(self, "due_at", self.due_at.astimezone(UTC))
        if self.created_at is not None:
            if self.created_at.tzinfo is None:
                raise ValueError(f"deadline {self.id!r}: created_at must be timezone-aware")
            object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))
        if len(set(self.offsets)) != len(self.offsets) or any(
            isinstance(o, bool) or not 0 <= o <= MAX_OFFSET_DAYS for o in self.offsets
        ):
            raise ValueError(f"deadline {self.id!r}: bad offsets {self.offsets!r}")
        object.__setattr__(self, "offsets", tuple(sorted(self.offsets, reverse=True)))
        if self.unit_ids != ALL_UNITS and not isinstance(self.unit_ids, frozenset):
            raise ValueError(f"deadline {self.id!r}: unit_ids must be a frozenset or 'all'")

    def applies_to(self, unit_id: int) -> bool:
        """Return whether `unit_id` has to deliver for this deadline."""
        return self.unit_ids == ALL_UNITS or unit_id in self.unit_ids


@dataclass(frozen=True, slots=True)
class Recipient:
    """One person who gets reminders for their unit, with their /pengaturan choices.

    Attributes:
        tz: IANA name or WIB/WITA/WIT (resolved with `resolve_zone`).
        reminder_hour: local hour (0-23) reminders are sent at.
        quiet_weekends: move Saturday/Sunday reminders to the Friday before.
        muted: the person turned reminders off; `active` is False when they left or blocked
            the bot. Either way they get nothing.
        snoozed_until: deadline id -> the moment "Ingatkan besok" moved their next reminder
            to (see `snooze_until`). Not part of the hash.
    """

    user_id: int
    chat_id: int
    unit_id: int
    tz: str
    reminder_hour: int = DEFAULT_REMINDER_HOUR
    quiet_weekends: bool = False
    muted: bool = False
    active: bool = True
    snoozed_until: Mapping[str, datetime] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.reminder_hour <= 23:
            raise ValueError(f"reminder_hour must be 0-23, got {self.reminder_hour}")
        resolve_zone(self.tz)  # fail at construction, not in the middle of a sweep
        for deadline_id, until in self.snoozed_until.items():
            if until.tzinfo is None:
                raise ValueError(f"snooze for {deadline_id!r} must be timezone-aware")

    @property
    def zone(self) -> ZoneInfo:
        """The recipient's zone as a `ZoneInfo`."""
        return resolve_zone(self.tz)

    @property
    def receives(self) -> bool:
        """Whether this person gets reminders at all."""
        return self.active and not self.muted


@dataclass(frozen=True, slots=True)
class Completion:
    """A unit has delivered the evidence for a deadline; its members are no longer reminded."""

    deadline_id: str
    unit_id: int


class SkipReason(StrEnum):
    """Why a reminder was not sent; the caller records the key anyway."""

    EXPIRED = "expired"  # planned longer ago than the grace window (downtime)
    SNOOZED = "snoozed"  # planned while the person had snoozed this deadline
    SUPERSEDED = "superseded"  # a nearer reminder for the same deadline goes out at once


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder to send now. `late` means "say (terlambat)"; `snoozed` means "Ingatkan besok".

    For a snoozed reminder `offset` is the number of calendar days left at `planned_at` in the
    recipient's zone, so its key differs from the scheduled ones on other days. Word the message
    with `days_left(now, deadline.due_at, recipient.zone)`, not with `offset`: a weekend shift
    sends H-1 on Friday, when three days are left.
    """

    key: ReminderKey
    recipient: Recipient
    deadline: Deadline
    offset: int
    planned_at: datetime
    late: bool
    snoozed: bool = False


@dataclass(frozen=True, slots=True)
class SkippedReminder:
    """A reminder that will never be sent; record its key so it is not considered again."""

    key: ReminderKey
    recipient: Recipient
    deadline: Deadline
    offset: int
    planned_at: datetime
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class Plan:
    """What one sweep should do: send `due`, record `skipped`."""

    due: list[DueReminder]
    skipped: list[SkippedReminder]


@dataclass(frozen=True, slots=True)
class Batch:
    """Every reminder due for one person at once, to be sent as a single message.

    `reminders` is sorted by due date (then deadline id).
    """

    recipient: Recipient
    reminders: tuple[DueReminder, ...]

    @property
    def keys(self) -> tuple[ReminderKey, ...]:
        """The keys to claim before sending and to mark sent afterwards."""
        return tuple(reminder.key for reminder in self.reminders)

    @property
    def late(self) -> bool:
        """Whether any reminder in the batch goes out late."""
        return any(reminder.late for reminder in self.reminders)


@dataclass(frozen=True, slots=True)
class Escalation:
    """A summary for admins and the coordinators of `pending_units` (sorted by unit code)."""

    key: EscalationKey
    deadline: Deadline
    offset: int
    planned_at: datetime
    late: bool
    pending_units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class EscalationPlan:
    """Escalations to send now, and ones whose window has passed (record their keys too)."""

    due: list[Escalation]
    skipped: list[Escalation]


def reminder_time(due_at: datetime, offset: int, zone: ZoneInfo, hour: int) -> datetime:
    """Return when (UTC) the reminder `offset` days before `due_at` is planned, before shifts.

    The day is computed in `zone`: a deadline at 23.59 WITA is due the same calendar day in
    WIB but the next day in WIT.
    """
    day = due_at.astimezone(zone).date() - timedelta(days=offset)
    return _local_to_utc(day, hour, zone)


def days_left(now: datetime, due_at: datetime, tz: ZoneInfo) -> int:
    """Return calendar days from `now` to `due_at` in `tz`: 0 on the due day, negative after."""
    return (due_at.astimezone(tz).date() - now.astimezone(tz).date()).days


def snooze_until(now: datetime, recipient: Recipient) -> datetime:
    """Return when "Ingatkan besok" should remind again: tomorrow at the person's reminder hour.

    With quiet weekends, a Saturday or Sunday becomes the following Monday (snoozing on Friday
    means "after the weekend"). The result is UTC; store it in `Recipient.snoozed_until`.
    """
    zone = recipient.zone
    day = now.astimezone(zone).date() + timedelta(days=1)
    while recipient.quiet_weekends and day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return _local_to_utc(day, recipient.reminder_hour, zone)


def due_reminders(
    now: datetime,
    deadlines: Iterable[Deadline],
    recipients: Iterable[Recipient],
    completions: Iterable[Completion],
    delivered_keys: Collection[tuple[str, int, int]],
    *,
    grace: timedelta = DEFAULT_GRACE,
) -> Plan:
    """Decide which reminders to send at `now` and which to give up on.

    Args:
        now: the sweep's instant (aware).
        deadlines: all open deadlines.
        recipients: everyone who might be reminded; muted or inactive ones get nothing.
        completions: (deadline, unit) pairs already done; their members get nothing.
        delivered_keys: every key the caller has recorded, sent *or* skipped. Keys in it are
            never returned again, so calling twice with the recorded result returns nothing new.
        grace: how late a missed reminder may still be sent (default 12 hours).

    Returns:
        A `Plan`, both lists sorted by user id, due date, deadline id, then offset
        descending. Reminders held by a snooze that has not ended appear in neither list.
    """
    _require_aware(now)
    done = {(c.deadline_id, c.unit_id) for c in completions}
    deadline_list = sorted(deadlines, key=lambda d: (d.due_at, d.id))
    # No reminder is planned before this: the largest offset, one more day because the local
    # due day starts at most 24 h before due_at, two more for the weekend shift.
    earliest = {
        d.id: d.due_at - timedelta(days=max(d.offsets, default=0) + 3) for d in deadline_list
    }
    schedules: dict[tuple[str, str, int, bool], tuple[tuple[int, datetime], ...]] = {}
    due: list[DueReminder] = []
    skipped: list[SkippedReminder] = []
    for recipient in sorted(recipients, key=lambda r: r.user_id):
        if not recipient.receives:
            continue
        zone = recipient.zone
        for deadline in deadline_list:
            if not deadline.applies_to(recipient.unit_id):
                continue
            if (deadline.id, recipient.unit_id) in done:
                continue
            if deadline.id not in recipient.snoozed_until and now < earliest[deadline.id]:
                continue  # nothing can be planned yet: skip the date arithmetic
            schedule_key = (
                deadline.id,
                recipient.tz,
                recipient.reminder_hour,
                recipient.quiet_weekends,
            )
            schedule = schedules.get(schedule_key)
            if schedule is None:  # same for everyone sharing zone, hour and weekend choice
                schedule = schedules[schedule_key] = tuple(
                    (offset, _shifted_time(deadline.due_at, offset, recipient, zone))
                    for offset in deadline.offsets
                )
            candidates = _candidates(
                now, deadline, recipient, zone, schedule, delivered_keys, grace
            )
            now_due = [c for c in candidates if isinstance(c, DueReminder)]
            skipped.extend(c for c in candidates if isinstance(c, SkippedReminder))
            if not now_due:
                continue
            nearest = min(now_due, key=lambda c: c.offset)
            due.append(nearest)
            skipped.extend(_skip(c, SkipReason.SUPERSEDED) for c in now_due if c is not nearest)
    due.sort(key=_order)
    skipped.sort(key=_order)
    return Plan(due=due, skipped=skipped)


def merge_by_recipient(due: Iterable[DueReminder]) -> list[Batch]:
    """Group due reminders into one batch per person (user id), each sorted by due date.

    Batches are ordered by user id so sending order is deterministic.
    """
    groups: dict[int, list[DueReminder]] = {}
    for reminder in due:
        groups.setdefault(reminder.recipient.user_id, []).append(reminder)
    return [
        Batch(
            recipient=items[0].recipient,
            reminders=tuple(
                sorted(items, key=lambda r: (r.deadline.due_at, r.deadline.id, r.offset))
            ),
        )
        for _, items in sorted(groups.items())
    ]


def escalations(
    now: datetime,
    deadlines: Iterable[Deadline],
    units: Iterable[Unit],
    completions: Iterable[Completion],
    delivered_keys: Collection[tuple[str, str, int]],
    *,
    tz: ZoneInfo,
    hour: int = DEFAULT_REMINDER_HOUR,
    offsets: Sequence[int] = DEFAULT_ESCALATION_OFFSETS,
    grace: timedelta = DEFAULT_GRACE,
) -> EscalationPlan:
    """Decide which late-unit summaries are due at `now`.

    For each deadline and each offset in `offsets` (H-1 and the due day by default) one summary
    is planned at `hour`:00 in `tz` (the admins' zone; no weekend shift: a late unit is urgent).
    It lists the units the deadline applies to that have no `Completion`, sorted by code; when
    every unit is done nothing is produced. Timing, lateness, grace and `delivered_keys` work as
    in `due_reminders`, with keys `(deadline_id, "esc", offset)`.

    The caller sends each summary to the admins and to the coordinators of `pending_units`.
    """
    _require_aware(now)
    done = {(c.deadline_id, c.unit_id) for c in completions}
    unit_list = sorted(units, key=lambda u: (u.code, u.id))
    plan = EscalationPlan(due=[], skipped=[])
    for deadline in sorted(deadlines, key=lambda d: (d.due_at, d.id)):
        pending = tuple(
            unit
            for unit in unit_list
            if deadline.applies_to(unit.id) and (deadline.id, unit.id) not in done
        )
        if not pending:
            continue
        for offset in sorted(set(offsets), reverse=True):
            key = EscalationKey(deadline.id, "esc", offset)
            if key in delivered_keys:
                continue
            planned = reminder_time(deadline.due_at, offset, tz, hour)
            if planned > now or not _is_after_creation(deadline, planned):
                continue
            escalation = Escalation(
                key=key,
                deadline=deadline,
                offset=offset,
                planned_at=planned,
                late=now - planned > LATE_TOLERANCE,
                pending_units=pending,
            )
            (plan.due if now - planned <= grace else plan.skipped).append(escalation)
    return plan


def _candidates(
    now: datetime,
    deadline: Deadline,
    recipient: Recipient,
    zone: ZoneInfo,
    schedule: tuple[tuple[int, datetime], ...],
    delivered_keys: Collection[tuple[str, int, int]],
    grace: timedelta,
) -> list[DueReminder | SkippedReminder]:
    """Every not-yet-recorded reminder of one deadline for one person planned at or before now."""
    snoozed = recipient.snoozed_until.get(deadline.id)
    snooze_offset: int | None = None
    slots: list[tuple[int, datetime, bool]] = []
    if snoozed is not None:
        snoozed = snoozed.astimezone(UTC)
        snooze_offset = days_left(snoozed, deadline.due_at, zone)
        slots.append((snooze_offset, snoozed, True))
    # A scheduled reminder on the day the snooze lands on is replaced by it (same key).
    slots.extend(
        (offset, planned, False) for offset, planned in schedule if offset != snooze_offset
    )

    result: list[DueReminder | SkippedReminder] = []
    for offset, planned, is_snooze in slots:
        key = ReminderKey(deadline.id, recipient.user_id, offset)
        if key in delivered_keys or planned > now or planned >= deadline.due_at:
            continue
        if not _is_after_creation(deadline, planned):
            continue
        if snoozed is not None and not is_snooze and planned < snoozed:
            if now >= snoozed:  # held until the snooze ends, then superseded by it
                result.append(
                    SkippedReminder(key, recipient, deadline, offset, planned, SkipReason.SNOOZED)
                )
            continue
        if now - planned > grace:
            result.append(
                SkippedReminder(key, recipient, deadline, offset, planned, SkipReason.EXPIRED)
            )
            continue
        late = now - planned > LATE_TOLERANCE
        result.append(DueReminder(key, recipient, deadline, offset, planned, late, is_snooze))
    return result


def _shifted_time(due_at: datetime, offset: int, recipient: Recipient, zone: ZoneInfo) -> datetime:
    day = due_at.astimezone(zone).date() - timedelta(days=offset)
    if recipient.quiet_weekends and day.weekday() >= _SATURDAY:
        day -= timedelta(days=day.weekday() - 4)  # back to Friday
    return _local_to_utc(day, recipient.reminder_hour, zone)


def _local_to_utc(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _is_after_creation(deadline: Deadline, planned: datetime) -> bool:
    if deadline.created_at is None:
        return True
    return planned > deadline.created_at if deadline.replanned else planned >= deadline.created_at


def _skip(reminder: DueReminder, reason: SkipReason) -> SkippedReminder:
    return SkippedReminder(
        reminder.key,
        reminder.recipient,
        reminder.deadline,
        reminder.offset,
        reminder.planned_at,
        reason,
    )


def _order(item: DueReminder | SkippedReminder) -> tuple[int, datetime, str, int]:
    return (item.recipient.user_id, item.deadline.due_at, item.deadline.id, -item.offset)


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
