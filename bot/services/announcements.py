"""Announcing new or moved deadlines the next morning, through the reminder outbox.

The reminder sweep (`ReminderService.tick`) calls `plan` with what it already loaded; the pure
decision is `bot.domain.announcements.due_announcements`. A due announcement becomes items
`"a": [[deadline id, generation, late, planned at]]` in the person's merged outbox row (next to
their reminders), and every decided key a claim row of kind "announce" (offset 0) in the same
transaction, so restarts and overlapping sweeps never announce a generation twice; the sender
(`items`) drops an item whose deadline was archived, moved again or finished meanwhile.

Which deadlines count as new or moved: a deadline's current generation started at its
`planned_from`; generation 1 is "new", a later one "moved" (its due date changed; a content
entry whose reminder days alone changed also starts a generation and is announced as changed).
The content of the very first sync of a database (the example timeline of a fresh deployment)
is not announced: a content deadline of generation 1 created at that first sync is left out.
Only changes of the last few days are considered (an announcement is planned at most a few days
after its change), so old deadlines never cost the sweep anything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.models import DeadlineRow
from bot.db.repositories.reminders import ReminderRepository
from bot.domain.announcements import (
    AnnouncementPlan,
    Change,
    due_announcements,
    merge_announcements,
)
from bot.domain.dates import resolve_zone
from bot.domain.deadlines import Completion, Recipient, UnitScope, days_left

KIND = "announce"
#: Announcements are planned on the day after the change, up to two weekend days later, at an
#: hour of the reader's zone: a change older than this (plus the grace) can no longer be due.
HORIZON = timedelta(days=4)


@dataclass(frozen=True, slots=True)
class AnnouncementItem:
    """One new or moved deadline inside a message."""

    deadline_id: int
    slug: str
    title: str
    due_at: datetime
    moved: bool
    days_left: int
    late: bool
    planned_at: datetime


def _domain_id(row: DeadlineRow) -> str:
    return f"{row.id}.{row.generation}"


async def plan(
    repo: ReminderRepository,
    now: datetime,
    rows: Sequence[DeadlineRow],
    scopes: Mapping[int, UnitScope],
    recipients: Sequence[Recipient],
    completions: Iterable[Completion],
    reminded: Collection[tuple[str, int]],
    *,
    grace: timedelta,
) -> AnnouncementPlan:
    """Decide the announcements due at `now` for the open deadlines `rows`."""
    recent = [r for r in rows if r.id in scopes and now - r.planned_from <= HORIZON + grace]
    if not recent:  # the usual sweep: nothing changed lately, no query at all
        return AnnouncementPlan(due=[], skipped=[])
    first_sync = await repo.first_content_sync()
    changes = [
        Change(
            id=_domain_id(row),
            title=row.title,
            due_at=row.due_at,
            unit_ids=scopes[row.id],
            changed_at=row.planned_from,
            moved=row.generation > 1,
        )
        for row in recent
        if row.due_at > now
        and not (row.source == "content" and row.generation == 1 and row.created_at == first_sync)
    ]
    if not changes:
        return AnnouncementPlan(due=[], skipped=[])
    pairs = [(row.id, row.generation) for row in recent]
    recorded = {(f"{d}.{g}", u) for d, g, u, _ in await repo.recorded_keys(pairs, KIND)}
    return due_announcements(
        now, changes, recipients, completions, recorded, reminded=reminded, grace=grace
    )


def payloads(announced: AnnouncementPlan) -> dict[int, list[list[Any]]]:
    """Outbox payload items per user id: [deadline id, generation, late, planned at]."""
    result: dict[int, list[list[Any]]] = {}
    for user_id, items in merge_announcements(announced.due).items():
        result[user_id] = [[*_split(a.change.id), a.late, a.planned_at.isoformat()] for a in items]
    return result


def chats(announced: AnnouncementPlan) -> dict[int, int]:
    """Chat id per user id of everyone with a due announcement."""
    return {a.recipient.user_id: a.recipient.chat_id for a in announced.due}


def claims(
    announced: AnnouncementPlan, now: datetime, outbox_ids: Mapping[int, int]
) -> list[dict[str, Any]]:
    """Claim rows (kind "announce", offset 0) for every decided key, due or skipped."""
    rows = []
    for item in [*announced.due, *announced.skipped]:
        deadline_id, generation = _split(item.change.id)
        planned = item.skipped is None
        rows.append(
            {
                "deadline_id": deadline_id,
                "generation": generation,
                "user_id": item.recipient.user_id,
                "offset": 0,
                "kind": KIND,
                "status": "planned" if planned else "skipped",
                "reason": item.skipped.value if item.skipped is not None else None,
                "planned_at": item.planned_at,
                "attempts": 0,
                "created_at": now,
                "outbox_id": outbox_ids.get(item.recipient.user_id) if planned else None,
            }
        )
    return rows


def items(
    payload: Iterable[Sequence[Any]],
    deadlines: Mapping[int, DeadlineRow],
    done: Collection[tuple[int, int]],
    unit_id: int | None,
    now: datetime,
    tz: str,
    grace: timedelta,
) -> tuple[AnnouncementItem, ...]:
    """The items of an outbox row still worth sending at `now` (in the reader's zone `tz`)."""
    result = []
    for deadline_id, generation, late, planned in payload:
        row = deadlines.get(deadline_id)
        planned_at = datetime.fromisoformat(planned)
        if (
            row is None
            or row.archived
            or row.generation != generation
            or (deadline_id, unit_id) in done
            or row.due_at <= now
            or now - planned_at > grace
        ):
            continue
        result.append(
            AnnouncementItem(
                deadline_id=row.id,
                slug=row.slug,
                title=row.title,
                due_at=row.due_at,
                moved=row.generation > 1,
                days_left=days_left(now, row.due_at, resolve_zone(tz)),
                late=bool(late),
                planned_at=planned_at,
            )
        )
    return tuple(result)


def preview_items(
    announced: AnnouncementPlan, slugs: Mapping[int, str], at: datetime
) -> dict[int, tuple[AnnouncementItem, ...]]:
    """What `plan` decided, as message items per user id (for `tenggat plan --at`)."""
    result = {}
    for user_id, due in merge_announcements(announced.due).items():
        result[user_id] = tuple(
            AnnouncementItem(
                deadline_id=_split(a.change.id)[0],
                slug=slugs.get(_split(a.change.id)[0], ""),
                title=a.change.title,
                due_at=a.change.due_at,
                moved=a.change.moved,
                days_left=days_left(at, a.change.due_at, a.recipient.zone),
                late=a.late,
                planned_at=a.planned_at,
            )
            for a in due
        )
    return result


def _split(value: str) -> tuple[int, int]:
    deadline_id, generation = value.split(".")
    return int(deadline_id), int(generation)
