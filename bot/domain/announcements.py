"""Domain: announcing new or moved deadlines the next morning (pure).

When a deadline is created, or its due date moves, every member of the units it applies to
hears about it once, the next morning: at their reminder hour, in their own zone, on the first
calendar day after the change (with quiet weekends a Saturday or Sunday becomes the Monday
after). Everything new or moved for one person since their last announcement goes into one
message (`merge_announcements`).

Keys are `(deadline_id, user_id)` where `deadline_id` carries the generation ("12.3"), so a
deadline moved again is announced again, and a recorded key (sent *or* skipped) is never
returned again: repeated or overlapping sweeps cannot announce anything twice.

Not announced (skipped, so the key is recorded):

- `DUE`: the deadline is due by the announcement time (nothing left to prepare for);
- `REMINDED`: a reminder of the same deadline goes to the person in the same sweep (it already
  says everything an announcement would);
- `EXPIRED`: the announcement time passed more than `grace` ago (the bot was down).

Which deadlines count as "new or moved" (not the initial content of a fresh database, not an
archived one) is the caller's choice: it passes only those.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

from bot.domain.deadlines import (
    DEFAULT_GRACE,
    LATE_TOLERANCE,
    Completion,
    Recipient,
    UnitScope,
)

__all__ = [
    "Announcement",
    "AnnouncementKey",
    "AnnouncementPlan",
    "AnnounceSkip",
    "Change",
    "announcement_time",
    "due_announcements",
    "merge_announcements",
]

_SATURDAY = 5


class AnnouncementKey(NamedTuple):
    """Idempotency key of one announcement of one deadline generation to one person."""

    deadline_id: str
    user_id: int


@dataclass(frozen=True, slots=True)
class Change:
    """A deadline that was created or moved at `changed_at` (aware).

    Attributes:
        id: the deadline id including its generation ("12.3").
        moved: True when the due date moved (False: a new deadline).
    """

    id: str
    title: str
    due_at: datetime
    unit_ids: UnitScope
    changed_at: datetime
    moved: bool

    def applies_to(self, unit_id: int) -> bool:
        """Return whether members of `unit_id` hear about this change."""
        return self.unit_ids == "all" or unit_id in self.unit_ids


class AnnounceSkip(StrEnum):
    """Why an announcement is not sent; the caller records its key anyway."""

    DUE = "due"
    REMINDED = "reminded"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Announcement:
    """One change to announce to one person now (or a skipped one, with `skipped` set)."""

    key: AnnouncementKey
    recipient: Recipient
    change: Change
    planned_at: datetime
    late: bool
    skipped: AnnounceSkip | None = None


@dataclass(frozen=True, slots=True)
class AnnouncementPlan:
    """What one sweep should do: send `due` (merged per person), record `skipped`."""

    due: list[Announcement]
    skipped: list[Announcement]


def announcement_time(changed_at: datetime, recipient: Recipient) -> datetime:
    """Return when (UTC) a change at `changed_at` is announced to `recipient`.

    The first calendar day after the change in the recipient's zone, at their reminder hour;
    with quiet weekends a Saturday or Sunday moves on to the Monday.
    """
    zone = recipient.zone
    day = changed_at.astimezone(zone).date() + timedelta(days=1)
    while recipient.quiet_weekends and day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return datetime.combine(day, time(recipient.reminder_hour), tzinfo=zone).astimezone(UTC)


def due_announcements(
    now: datetime,
    changes: Iterable[Change],
    recipients: Iterable[Recipient],
    completions: Iterable[Completion],
    recorded: Collection[tuple[str, int]],
    *,
    reminded: Collection[tuple[str, int]] = (),
    grace: timedelta = DEFAULT_GRACE,
) -> AnnouncementPlan:
    """Decide which announcements to send at `now` and which to give up on.

    Args:
        now: the sweep's instant (aware).
        changes: new or moved deadlines (the caller filters archived and initial ones).
        recipients: everyone who might hear; muted or inactive ones get nothing.
        completions: units already done with a deadline are not told about it.
        recorded: every `(deadline_id, user_id)` key recorded before (sent or skipped).
        reminded: `(deadline_id, user_id)` of reminders going out in this same sweep.
        grace: how late a missed announcement may still be sent.

    Returns:
        An `AnnouncementPlan`, both lists sorted by user id, then due date and deadline id.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    done = {(c.deadline_id, c.unit_id) for c in completions}
    change_list = sorted(changes, key=lambda c: (c.due_at, c.id))
    plan = AnnouncementPlan(due=[], skipped=[])
    for recipient in sorted(recipients, key=lambda r: r.user_id):
        if not recipient.receives:
            continue
        for change in change_list:
            key = AnnouncementKey(change.id, recipient.user_id)
            if (
                key in recorded
                or not change.applies_to(recipient.unit_id)
                or (change.id, recipient.unit_id) in done
            ):
                continue
            planned = announcement_time(change.changed_at, recipient)
            if planned > now:
                continue
            reason: AnnounceSkip | None = None
            if change.due_at.astimezone(UTC) <= planned:
                reason = AnnounceSkip.DUE
            elif key in reminded:
                reason = AnnounceSkip.REMINDED
            elif now - planned > grace:
                reason = AnnounceSkip.EXPIRED
            item = Announcement(
                key, recipient, change, planned, now - planned > LATE_TOLERANCE, reason
            )
            (plan.due if reason is None else plan.skipped).append(item)
    return plan


def merge_announcements(due: Iterable[Announcement]) -> dict[int, list[Announcement]]:
    """Group due announcements per user id (ascending), each list sorted by due date."""
    groups: dict[int, list[Announcement]] = {}
    for item in due:
        groups.setdefault(item.recipient.user_id, []).append(item)
    return {
        user_id: sorted(items, key=lambda a: (a.change.due_at, a.change.id))
        for user_id, items in sorted(groups.items())
    }
