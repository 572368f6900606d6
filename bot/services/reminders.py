"""Evidence deadlines and their reminders: sync, plan into the outbox, claim, record outcomes.

The database is the schedule of record. A sweep (`tick`) asks the pure domain which reminders
and escalations are due, records a claim row for every key it decides about (sent *or*
skipped), and merges each person's due items into one outbox row. Senders then `claim` outbox
rows (a lease; `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL), hand them to a `Notifier`
(implemented by the transport, so this module never imports Telegram) and `record` the outcome.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import OUTBOX_STATUSES as OUTBOX_STATUSES  # re-exported for the sender
from bot.db.models import CompletionRow, DeadlineRow, OutboxRow, UserRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.broadcasts import BroadcastRepository
from bot.db.repositories.reminders import ReminderRepository
from bot.domain.announcements import AnnouncementPlan
from bot.domain.dates import UnknownZoneError, resolve_zone
from bot.domain.deadlines import (
    ALL_UNITS,
    DEFAULT_GRACE,
    DEFAULT_OFFSETS,
    Completion,
    Deadline,
    EscalationPlan,
    Plan,
    Recipient,
    UnitScope,
    days_left,
    due_reminders,
    escalations,
    merge_by_recipient,
    snooze_until,
)
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.knowledge import Topic
from bot.domain.offsets import check_offsets
from bot.domain.roles import allowed
from bot.domain.timeline import Timeline, TimelineEntry, UnitSelector
from bot.domain.units import Member, Role, Unit
from bot.services import announcements as announce
from bot.services.access import AccessService
from bot.services.announcements import AnnouncementItem
from bot.services.clock import Clock
from bot.services.units import active_units

#: Network errors are retried this many times (with backoff) before the row is "failed".
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=5)
REMINDER_HOURS = (6, 7, 8, 9, 10, 13, 16)
#: Reminders and escalations are planned at whole hours local time, and every zone's offset is a
#: multiple of 15 minutes: nothing new falls due between two quarter-hours unless data changed.
QUARTER_HOUR = 900
#: Plan at least this often anyway (another process may have changed data).
REPLAN_AFTER = timedelta(minutes=10)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadlineInfo:
    """A deadline as handlers show it."""

    id: int
    slug: str
    title: str
    description: str
    due_at: datetime
    offsets: tuple[int, ...]
    topics: tuple[str, ...]
    source: str
    archived: bool


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    """One line of /tenggat: a deadline, days left in the member's zone, and its state."""

    deadline: DeadlineInfo
    days_left: int
    done_at: datetime | None
    done_by: str | None
    done_units: int
    total_units: int
    can_edit: bool
    can_archive: bool


@dataclass(frozen=True, slots=True)
class ReminderItem:
    """One deadline inside a reminder message."""

    deadline_id: int
    slug: str
    title: str
    due_at: datetime
    offset: int
    planned_at: datetime
    days_left: int
    late: bool
    has_guide: bool


@dataclass(frozen=True, slots=True)
class EscalationItem:
    """A late-units summary for one deadline."""

    deadline_id: int
    slug: str
    title: str
    due_at: datetime
    offset: int
    days_left: int
    late: bool
    pending_units: tuple[str, ...]
    total_units: int


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """Everything a Notifier needs to word and send one outbox row."""

    outbox_id: int
    user_id: int
    telegram_id: int
    display_name: str
    chat_id: int
    language: str
    timezone: str
    reminders: tuple[ReminderItem, ...] = ()
    escalations: tuple[EscalationItem, ...] = ()
    broadcast_text: str | None = None  # an admin's announcement (/siaran), plain text
    announcements: tuple[AnnouncementItem, ...] = ()  # new or moved deadlines


class SendStatus(StrEnum):
    """How a send attempt ended, as the transport saw it."""

    SENT = "sent"
    RETRY_AFTER = "retry_after"  # 429: wait `retry_after` seconds, then send again
    NETWORK = "network"  # the request did not reach Telegram: safe to retry
    TIMED_OUT = "timed_out"  # sent, but no answer: Telegram may or may not have delivered
    FORBIDDEN = "forbidden"  # 403: the user blocked the bot
    FAILED = "failed"  # any other refusal (400): retrying will not help
    NOT_STARTED = "not_started"  # the row was no longer ours at its turn: nothing was sent


@dataclass(frozen=True, slots=True)
class SendResult:
    """The outcome of one send attempt."""

    status: SendStatus
    message_id: int | None = None
    retry_after: float | None = None
    error: str = ""


class Notifier(Protocol):
    """Sends one outbox message; implemented by the transport (bot/jobs/reminders.py).

    A sender sets REQUEST_START around `send`. A notifier that waits for its turn (rate limits)
    awaits it once, after the wait and right before the request leaves; if it returns False the
    row is no longer this sender's and nothing may be sent (return NOT_STARTED). One that does
    not call it is treated as if its request started when `send` was called.
    """

    async def send(self, message: OutgoingMessage) -> SendResult:
        """Word and send `message`; never raise for Telegram errors, return a SendResult."""


#: "This row's request starts now": marks the outbox row "sending" in its own committed write.
REQUEST_START: contextvars.ContextVar[Callable[[], Awaitable[bool]] | None] = (
    contextvars.ContextVar("reminder_request_start", default=None)
)


@dataclass(frozen=True, slots=True)
class TickResult:
    """What one sweep recorded."""

    reminders: int = 0
    escalations: int = 0
    skipped: int = 0
    announcements: int = 0
    messages: int = 0
    abandoned: int = 0  # leases expired while the request was in flight: now "unknown"
    requeued: int = 0  # leases expired before the request started: back to pending


@dataclass(frozen=True, slots=True)
class Recovery:
    """What settling a stopped sender's rows did."""

    requeued: int = 0  # claimed, never handed to the Bot API: pending again, sent soon
    unknown: int = 0  # handed to the Bot API, no answer recorded: not resent


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What the content sync changed."""

    added: int = 0
    updated: int = 0
    replanned: int = 0
    archived: int = 0


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    """A person's reminder choices from /pengaturan."""

    reminder_hour: int
    quiet_weekends: bool
    muted: bool


@dataclass(frozen=True, slots=True)
class DoneResult:
    """ "Sudah siap": who marked the unit done and when (maybe someone earlier)."""

    deadline: DeadlineInfo
    done_by: str
    done_at: datetime
    already: bool


@dataclass(frozen=True, slots=True)
class SnoozeResult:
    """ "Ingatkan besok": until when, in which zone, for how many deadlines."""

    until: datetime
    timezone: str
    count: int


@dataclass(frozen=True, slots=True)
class Guide:
    """The Q&A topic linked to a deadline."""

    deadline: DeadlineInfo
    topic: Topic | None


@dataclass(frozen=True, slots=True)
class DeadlineDraft:
    """A deadline being created in chat (validated by `create_deadline`)."""

    title: str
    due_at: datetime
    scope: dict[str, Any]
    topics: tuple[str, ...] = ()
    offsets: tuple[int, ...] = DEFAULT_OFFSETS


@dataclass(frozen=True, slots=True)
class CreationOptions:
    """What /tenggat_baru may offer this member."""

    topics: tuple[Topic, ...]
    units: tuple[Unit, ...]
    types: tuple[str, ...]
    own_unit: Unit | None  # set for coordinators: they may only make deadlines for it


@dataclass(slots=True)
class _Planned:
    reminders: list[Any] = field(default_factory=list)
    skipped: list[Any] = field(default_factory=list)
    escalations: list[tuple[Any, list[UserRow]]] = field(default_factory=list)
    skipped_escalations: list[tuple[Any, list[UserRow]]] = field(default_factory=list)
    announcements: AnnouncementPlan = field(default_factory=lambda: AnnouncementPlan([], []))


# --- helpers ---------------------------------------------------------------------------------


def _info(row: DeadlineRow) -> DeadlineInfo:
    return DeadlineInfo(
        id=row.id,
        slug=row.slug,
        title=row.title,
        description=row.description,
        due_at=row.due_at,
        offsets=tuple(row.offsets),
        topics=tuple(row.topics),
        source=row.source,
        archived=row.archived,
    )


def domain_id(row: DeadlineRow) -> str:
    """The domain's deadline id: row id and generation, so a moved deadline gets new keys."""
    return f"{row.id}.{row.generation}"


def _parse_domain_id(value: str) -> tuple[int, int]:
    deadline_id, generation = value.split(".")
    return int(deadline_id), int(generation)


def _selector(entry_units: UnitSelector) -> dict[str, Any]:
    if entry_units.is_all:
        return {"all": True}
    selector: dict[str, Any] = {}
    if entry_units.types is not None:
        selector["types"] = sorted(entry_units.types)
    if entry_units.codes is not None:
        selector["codes"] = sorted(entry_units.codes)
    return selector


def resolve_scope(selector: dict[str, Any], units: Sequence[Unit]) -> UnitScope:
    """Turn a stored unit selector into "all" or the ids of the active units it names."""
    if selector.get("all"):
        return ALL_UNITS
    if "unit_ids" in selector:
        wanted = {int(i) for i in selector["unit_ids"]}
        return frozenset(u.id for u in units if u.id in wanted)
    types = frozenset(selector["types"]) if "types" in selector else None
    codes = frozenset(selector["codes"]) if "codes" in selector else None
    return UnitSelector(types=types, codes=codes).resolve(units)


def own_unit(selector: dict[str, Any]) -> int | None:
    """The unit of a deadline made for exactly one unit (coordinators may manage those)."""
    ids = selector.get("unit_ids")
    return int(ids[0]) if isinstance(ids, list) and len(ids) == 1 else None


def _entry_hash(entry: TimelineEntry) -> str:
    data = [
        entry.title,
        entry.description,
        entry.due_at.isoformat(),
        list(entry.offsets),
        _selector(entry.units),
        list(entry.topics),
        list(entry.indicators),
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _scope_units(scope: UnitScope, units: Sequence[Unit]) -> list[Unit]:
    return [u for u in units if scope == ALL_UNITS or u.id in scope]


# --- the service -------------------------------------------------------------------------------


class ReminderService:
    """Use cases of deadlines and reminders."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        access: AccessService,
        content: ContentBundle,
        admin_ids: frozenset[int],
        default_tz: str,
        grace: timedelta = DEFAULT_GRACE,
        lease: timedelta = timedelta(minutes=2),
        worker: str | None = None,
        single_sender: bool = True,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._access = access
        self._content = content
        self._admin_ids = admin_ids
        self._default_tz = default_tz
        self.grace = grace
        self.lease = lease
        self.worker = worker or f"w-{secrets.token_hex(6)}"
        self.single_sender = single_sender
        self._planned_at: datetime | None = None
        self._dirty = True

    def changed(self) -> None:
        """Data that planning depends on changed: plan at the next sweep, not the next quarter."""
        self._dirty = True

    def _should_plan(self, now: datetime) -> bool:
        last = self._planned_at
        if self._dirty or last is None or now < last or now - last >= REPLAN_AFTER:
            return True
        return int(now.timestamp()) // QUARTER_HOUR != int(last.timestamp()) // QUARTER_HOUR

    # --- content sync ---------------------------------------------------------------------

    async def sync_timeline(self, timeline: Timeline) -> SyncResult:
        """Make the content deadlines match tenggat.yaml; idempotent.

        A changed entry is updated; a changed due date or offset list starts a new generation
        (fresh reminder keys, nothing planned before now); an entry that disappeared is archived.
        Deadlines made in chat are left alone, and so is a content deadline whose file entry did
        not change (an edit made in chat survives restarts until the file entry changes).
        """
        self.changed()
        now = self._clock()
        added = updated = replanned = archived = 0
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            await repo.lock_planner()
            existing = {row.slug: row for row in await repo.deadlines(include_archived=True)}
            for entry in timeline.entries:
                digest = _entry_hash(entry)
                row = existing.get(entry.id)
                if row is None:
                    repo.add_deadline(
                        DeadlineRow(
                            slug=entry.id,
                            source="content",
                            title=entry.title,
                            description=entry.description,
                            due_at=entry.due_at,
                            offsets=list(entry.offsets),
                            units=_selector(entry.units),
                            indicators=list(entry.indicators),
                            topics=list(entry.topics),
                            content_hash=digest,
                            generation=1,
                            planned_from=now,
                            archived=False,
                            created_by=None,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    added += 1
                    continue
                if row.content_hash == digest and row.source == "content":
                    continue
                if row.due_at != entry.due_at or list(row.offsets) != list(entry.offsets):
                    row.generation += 1
                    row.planned_from = now
                    replanned += 1
                row.source, row.title, row.description = "content", entry.title, entry.description
                row.due_at, row.offsets = entry.due_at, list(entry.offsets)
                row.units = _selector(entry.units)
                row.indicators, row.topics = list(entry.indicators), list(entry.topics)
                row.content_hash, row.archived, row.updated_at = digest, False, now
                updated += 1
            slugs = {entry.id for entry in timeline.entries}
            for row in existing.values():
                if row.source == "content" and not row.archived and row.slug not in slugs:
                    row.archived, row.updated_at = True, now
                    archived += 1
        return SyncResult(added, updated, replanned, archived)

    # --- planning ----------------------------------------------------------------------------

    def _is_admin(self, user: UserRow) -> bool:
        return user.role == Role.ADMIN.value or user.telegram_id in self._admin_ids

    async def _plan(
        self,
        session: AsyncSession,
        now: datetime,
        *,
        from_creation: bool = True,
        only: Mapping[int, tuple[int, ...]] | None = None,
    ) -> _Planned:
        """Decide what is due at `now`; `only` restricts it to {deadline id: some offsets}."""
        repo = ReminderRepository(session)
        units = await active_units(session)
        rows = await repo.deadlines()
        if only is not None:
            rows = [r for r in rows if r.id in only]
        deadlines = [
            Deadline(
                id=domain_id(r),
                title=r.title,
                due_at=r.due_at,
                offsets=only[r.id] if only is not None else tuple(r.offsets),
                unit_ids=resolve_scope(r.units, units),
                created_at=r.planned_from if from_creation else None,
                replanned=r.generation > 1,
            )
            for r in rows
        ]
        by_id = {r.id: r for r in rows}
        current = {r.id: domain_id(r) for r in rows}
        snoozes: dict[int, dict[str, datetime]] = {}
        for snooze in await repo.snoozes():
            if snooze.deadline_id in current:
                snoozes.setdefault(snooze.user_id, {})[current[snooze.deadline_id]] = snooze.until
        users = await repo.reachable_users()
        recipients = []
        for user in users:
            if user.unit_id is None or user.chat_id is None:
                continue
            try:
                recipients.append(
                    Recipient(
                        user_id=user.id,
                        chat_id=user.chat_id,
                        unit_id=user.unit_id,
                        tz=user.timezone or self._default_tz,
                        reminder_hour=user.reminder_hour,
                        quiet_weekends=user.quiet_weekends,
                        muted=user.muted,
                        snoozed_until=snoozes.get(user.id, {}),
                    )
                )
            except (ValueError, UnknownZoneError):
                continue  # a broken zone or hour must not stop everyone else's reminders
        completions = [
            Completion(current[c.deadline_id], c.unit_id)
            for c in await repo.completions(by_id)
            if c.deadline_id in current
        ]
        pairs = [(r.id, r.generation) for r in rows]
        keys = {(f"{d}.{g}", u, o) for d, g, u, o in await repo.recorded_keys(pairs, "reminder")}
        esc_keys = {
            (f"{d}.{g}", "esc", o) for d, g, _, o in await repo.recorded_keys(pairs, "esc")
        }

        def decide() -> tuple[Plan, EscalationPlan]:
            return (
                due_reminders(now, deadlines, recipients, completions, keys, grace=self.grace),
                escalations(
                    now,
                    deadlines,
                    units,
                    completions,
                    esc_keys,
                    tz=ZoneInfo(self._default_tz),
                    grace=self.grace,
                ),
            )

        # Pure but CPU-bound for thousands of people: off the event loop, so replies and the
        # paced sender keep their rhythm while a sweep decides.
        plan, esc_plan = await asyncio.to_thread(decide)
        planned = _Planned(reminders=list(plan.due), skipped=list(plan.skipped))
        if only is None:
            planned.announcements = await announce.plan(
                repo,
                now,
                rows,
                {r.id: d.unit_ids for r, d in zip(rows, deadlines, strict=True)},
                recipients,
                completions,
                {(r.deadline.id, r.key.user_id) for r in plan.due},
                grace=self.grace,
            )
        admins = [u for u in users if self._is_admin(u)]
        for target, items in (
            (planned.escalations, esc_plan.due),
            (planned.skipped_escalations, esc_plan.skipped),
        ):
            for escalation in items:
                pending = {unit.id for unit in escalation.pending_units}
                coordinators = [
                    u
                    for u in users
                    if u.role == Role.COORDINATOR.value
                    and u.unit_id in pending
                    and not self._is_admin(u)
                ]
                target.append((escalation, admins + coordinators))
        return planned

    async def tick(self) -> TickResult:
        """One sweep: expire abandoned leases, then plan due reminders and escalations.

        Every decided key gets a claim row in the same transaction as the outbox rows, so a
        crash either records both or neither; on PostgreSQL an advisory lock makes concurrent
        sweeps of several processes take turns.
        """
        now = self._clock()
        if not self._should_plan(now):
            async with self._sessions.begin() as session:
                requeued, abandoned = await ReminderRepository(session).release_claims(before=now)
            return TickResult(abandoned=len(abandoned), requeued=len(requeued))
        self._planned_at, self._dirty = now, False
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            requeued, abandoned = await repo.release_claims(before=now)
            await repo.lock_planner()
            planned = await self._plan(session, now)
            per_user: dict[int, dict[str, list[Any]]] = {}
            chats: dict[int, int] = {}
            for batch in merge_by_recipient(planned.reminders):
                chats[batch.recipient.user_id] = batch.recipient.chat_id
                entry = per_user.setdefault(batch.recipient.user_id, {"r": [], "e": []})
                for reminder in batch.reminders:
                    deadline_id, generation = _parse_domain_id(reminder.deadline.id)
                    entry["r"].append(
                        [
                            deadline_id,
                            generation,
                            reminder.offset,
                            reminder.late,
                            reminder.planned_at.isoformat(),
                        ]
                    )
            for escalation, recipients in planned.escalations:
                deadline_id, generation = _parse_domain_id(escalation.deadline.id)
                for user in recipients:
                    if user.chat_id is None:
                        continue
                    chats[user.id] = user.chat_id
                    entry = per_user.setdefault(user.id, {"r": [], "e": []})
                    entry["e"].append(
                        [
                            deadline_id,
                            generation,
                            escalation.offset,
                            escalation.late,
                            escalation.planned_at.isoformat(),
                        ]
                    )
            chats.update(announce.chats(planned.announcements))
            for user_id, news in announce.payloads(planned.announcements).items():
                per_user.setdefault(user_id, {"r": [], "e": []})["a"] = news
            outbox_ids = await repo.add_outbox(
                [
                    {
                        "user_id": user_id,
                        "chat_id": chats[user_id],
                        "payload": payload,
                        "status": "pending",
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                    for user_id, payload in per_user.items()
                ]
            )
            claims: list[dict[str, Any]] = []

            def claim(
                deadline: str,
                user_id: int,
                offset: int,
                kind: str,
                status: str,
                planned_at: datetime,
                reason: str | None = None,
            ) -> None:
                deadline_id, generation = _parse_domain_id(deadline)
                claims.append(
                    {
                        "deadline_id": deadline_id,
                        "generation": generation,
                        "user_id": user_id,
                        "offset": offset,
                        "kind": kind,
                        "status": status,
                        "reason": reason,
                        "planned_at": planned_at,
                        "attempts": 0,
                        "created_at": now,
                        "outbox_id": outbox_ids.get(user_id) if status == "planned" else None,
                    }
                )

            for reminder in planned.reminders:
                claim(
                    reminder.deadline.id,
                    reminder.key.user_id,
                    reminder.offset,
                    "reminder",
                    "planned",
                    reminder.planned_at,
                )
            for skipped in planned.skipped:
                claim(
                    skipped.deadline.id,
                    skipped.key.user_id,
                    skipped.offset,
                    "reminder",
                    "skipped",
                    skipped.planned_at,
                    skipped.reason.value,
                )
            for status, items in (
                ("planned", planned.escalations),
                ("skipped", planned.skipped_escalations),
            ):
                for escalation, recipients in items:
                    for user in recipients:
                        claim(
                            escalation.deadline.id,
                            user.id,
                            escalation.offset,
                            "esc",
                            status,
                            escalation.planned_at,
                            None if status == "planned" else "expired",
                        )
            claims += announce.claims(planned.announcements, now, outbox_ids)
            await repo.add_claims(claims)
        return TickResult(
            reminders=len(planned.reminders),
            escalations=sum(len(r) for _, r in planned.escalations),
            skipped=len(planned.skipped),
            announcements=len(planned.announcements.due),
            messages=len(outbox_ids),
            abandoned=len(abandoned),
            requeued=len(requeued),
        )

    async def preview(self, at: datetime, *, from_creation: bool = True) -> list[OutgoingMessage]:
        """What a sweep at `at` would send, without writing anything (for the CLI).

        With `from_creation=False` a deadline's reminders count even if planned before it was
        stored or last moved (to preview the schedule itself at any moment).
        """
        async with self._sessions() as session:
            planned = await self._plan(session, at, from_creation=from_creation)
            users = await ReminderRepository(session).users_by_ids(
                [r.key.user_id for r in planned.reminders]
                + [u.id for _, recipients in planned.escalations for u in recipients]
                + [a.recipient.user_id for a in planned.announcements.due]
            )
            units = {u.id: u for u in await active_units(session)}
            slugs = {row.id: row.slug for row in await ReminderRepository(session).deadlines()}
        messages: dict[int, OutgoingMessage] = {}
        for batch in merge_by_recipient(planned.reminders):
            user = users[batch.recipient.user_id]
            items = tuple(
                self._reminder_item(
                    _parse_domain_id(r.deadline.id)[0],
                    slugs[_parse_domain_id(r.deadline.id)[0]],
                    r.deadline.title,
                    r.deadline.due_at,
                    r.offset,
                    r.planned_at,
                    r.late,
                    at,
                    batch.recipient.tz,
                    has_guide=False,
                )
                for r in batch.reminders
            )
            messages[user.id] = self._message(0, user, reminders=items)
        for escalation, recipients in planned.escalations:
            for user in recipients:
                pending = tuple(
                    u.name
                    for u in escalation.pending_units
                    if self._is_admin(user) or u.id == user.unit_id
                )
                total = len(_scope_units(escalation.deadline.unit_ids, list(units.values())))
                item = EscalationItem(
                    deadline_id=_parse_domain_id(escalation.deadline.id)[0],
                    slug=slugs[_parse_domain_id(escalation.deadline.id)[0]],
                    title=escalation.deadline.title,
                    due_at=escalation.deadline.due_at,
                    offset=escalation.offset,
                    days_left=days_left(
                        at,
                        escalation.deadline.due_at,
                        resolve_zone(user.timezone or self._default_tz),
                    ),
                    late=escalation.late,
                    pending_units=pending,
                    total_units=total,
                )
                base = messages.get(user.id) or self._message(0, user)
                messages[user.id] = replace(base, escalations=(*base.escalations, item))
        for user_id, news in announce.preview_items(planned.announcements, slugs, at).items():
            base = messages.get(user_id) or self._message(0, users[user_id])
            messages[user_id] = replace(base, announcements=news)
        return [messages[k] for k in sorted(messages)]

    def _reminder_item(
        self,
        deadline_id: int,
        slug: str,
        title: str,
        due_at: datetime,
        offset: int,
        planned_at: datetime,
        late: bool,
        now: datetime,
        tz: str,
        *,
        has_guide: bool,
    ) -> ReminderItem:
        return ReminderItem(
            deadline_id=deadline_id,
            slug=slug,
            title=title,
            due_at=due_at,
            offset=offset,
            planned_at=planned_at,
            days_left=days_left(now, due_at, resolve_zone(tz)),
            late=late,
            has_guide=has_guide,
        )

    def _message(
        self,
        outbox_id: int,
        user: UserRow,
        *,
        reminders: tuple[ReminderItem, ...] = (),
        escalations: tuple[EscalationItem, ...] = (),
    ) -> OutgoingMessage:
        return OutgoingMessage(
            outbox_id=outbox_id,
            user_id=user.id,
            telegram_id=user.telegram_id,
            display_name=user.display_name,
            chat_id=int(user.chat_id or user.telegram_id),
            language=user.language or "id",
            timezone=user.timezone or self._default_tz,
            reminders=reminders,
            escalations=escalations,
        )

    # --- sending -----------------------------------------------------------------------------

    async def recover(self) -> Recovery:
        """At start-up: settle the rows a stopped sender left behind.

        Claimed rows whose request never started go back to pending (sent again, "(terlambat)"
        or skipped by the grace rules like any pending row); rows whose request had started
        become "unknown" and are not resent (Telegram may have delivered them). So a crash
        loses at most the requests in flight, never the rest of a claimed batch. With a single
        sender (SQLite) every such row is orphaned; with several processes only rows whose
        lease has expired are, the others belong to a live sender.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            requeued, unknown = await ReminderRepository(session).release_claims(
                before=None if self.single_sender else now
            )
        return Recovery(requeued=len(requeued), unknown=len(unknown))

    async def start_request(self, outbox_id: int) -> bool:
        """Record, committed, that this row's request to the Bot API starts now.

        Called right before the HTTP request (after waiting for the rate limits), so only rows
        whose request really started can become "unknown" after a crash. False: the lease was
        lost meanwhile (the row went back to pending) and the row must not be sent.
        """
        async with self._sessions.begin() as session:
            return await ReminderRepository(session).start_sending(outbox_id, self.worker)

    async def abort(self, outbox_id: int, error: str) -> None:
        """A send crashed in our own code: a row never started fails, one started is unknown."""
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            row = await repo.outbox(outbox_id)
            if row is None or row.claimed_by != self.worker:
                return
            if row.status == "claimed":
                row.status, row.attempts = "failed", row.attempts + 1
            elif row.status == "sending":
                row.status = "unknown"
            else:
                return
            row.claimed_by, row.claim_expires_at, row.last_error = None, None, error[:300]
            await repo.set_claims([row.id], status=row.status, attempts=row.attempts)

    async def claim(self, limit: int) -> list[OutgoingMessage]:
        """Take up to `limit` due outbox rows (leased to this worker) and word-ready data.

        Items that no longer apply (unit done, deadline archived or moved, person muted) are
        dropped here; a row left with nothing is marked skipped instead of being returned.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            rows = await repo.claim_outbox(
                now=now, limit=limit, worker=self.worker, expires=now + self.lease
            )
            if not rows:
                return []
            return await self._messages(session, repo, rows, now)

    async def _messages(
        self,
        session: AsyncSession,
        repo: ReminderRepository,
        rows: Sequence[OutboxRow],
        now: datetime,
    ) -> list[OutgoingMessage]:
        ids = {
            item[0] for row in rows for key in ("r", "e", "a") for item in row.payload.get(key, [])
        }
        deadlines = await repo.deadlines_by_ids(ids)
        users = await repo.users_by_ids(row.user_id for row in rows)
        done = {(c.deadline_id, c.unit_id) for c in await repo.completions(ids)}
        units = await active_units(session)
        names = {u.id: u.name for u in units}
        broadcasts = await BroadcastRepository(session).texts(
            row.payload["b"] for row in rows if "b" in row.payload
        )
        messages: list[OutgoingMessage] = []
        obsolete: list[int] = []
        for row in rows:
            user = users.get(row.user_id)
            if "b" in row.payload:
                # Announcements ignore the reminder mute, not a deactivation or a block.
                text = broadcasts.get(row.payload["b"])
                if user is None or not user.active or user.blocked or text is None:
                    obsolete.append(row.id)
                else:
                    messages.append(replace(self._message(row.id, user), broadcast_text=text))
                continue
            if user is None or not user.active or user.blocked or user.muted:
                obsolete.append(row.id)
                continue
            tz = user.timezone or self._default_tz
            reminders = []
            for deadline_id, generation, offset, late, planned in row.payload.get("r", []):
                deadline = deadlines.get(deadline_id)
                if (
                    deadline is None
                    or deadline.archived
                    or deadline.generation != generation
                    or (deadline_id, user.unit_id) in done
                    or self._stale(planned, now)
                ):
                    continue
                reminders.append(
                    self._reminder_item(
                        deadline.id,
                        deadline.slug,
                        deadline.title,
                        deadline.due_at,
                        offset,
                        datetime.fromisoformat(planned),
                        late,
                        now,
                        tz,
                        has_guide=any(self._content.topic(t) for t in deadline.topics),
                    )
                )
            escalation_items = []
            for deadline_id, generation, offset, late, planned in row.payload.get("e", []):
                deadline = deadlines.get(deadline_id)
                if (
                    deadline is None
                    or deadline.archived
                    or deadline.generation != generation
                    or self._stale(planned, now)
                ):
                    continue
                scope = _scope_units(resolve_scope(deadline.units, units), units)
                pending = tuple(
                    names[u.id]
                    for u in scope
                    if (deadline_id, u.id) not in done
                    and (self._is_admin(user) or u.id == user.unit_id)
                )
                if not pending:
                    continue
                escalation_items.append(
                    EscalationItem(
                        deadline_id=deadline.id,
                        slug=deadline.slug,
                        title=deadline.title,
                        due_at=deadline.due_at,
                        offset=offset,
                        days_left=days_left(now, deadline.due_at, resolve_zone(tz)),
                        late=late,
                        pending_units=pending,
                        total_units=len(scope),
                    )
                )
            news = announce.items(
                row.payload.get("a", []), deadlines, done, user.unit_id, now, tz, self.grace
            )
            if not reminders and not escalation_items and not news:
                obsolete.append(row.id)
                continue
            messages.append(
                replace(
                    self._message(
                        row.id,
                        user,
                        reminders=tuple(reminders),
                        escalations=tuple(escalation_items),
                    ),
                    announcements=news,
                )
            )
        if obsolete:
            for row in rows:
                if row.id in obsolete:
                    row.status, row.claimed_by, row.last_error = "skipped", None, "obsolete"
            await repo.set_claims(obsolete, status="skipped", reason="obsolete")
        return messages

    def _stale(self, planned: str, now: datetime) -> bool:
        """A row waited (retries, downtime) past the grace window: drop it like the planner."""
        return now - datetime.fromisoformat(planned) > self.grace

    async def record(self, outbox_id: int, result: SendResult) -> None:
        """Store the outcome of one send attempt on the outbox row and its claims."""
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            row = await repo.outbox(outbox_id)
            if result.status is SendStatus.NOT_STARTED or row is None:
                return
            if row.status not in ("sending", "unknown") and not (
                # A notifier that does not call REQUEST_START (tests) leaves the row claimed.
                row.status == "claimed" and row.claimed_by == self.worker
            ):
                return
            row.claimed_by, row.claim_expires_at = None, None
            row.last_error = result.error[:300] or None
            status = result.status
            if status is SendStatus.SENT:
                row.status, row.sent_at = "sent", now
                row.attempts += 1
                row.telegram_message_id = result.message_id
                await repo.set_claims(
                    [row.id],
                    status="sent",
                    sent_at=now,
                    telegram_message_id=result.message_id,
                    attempts=row.attempts,
                )
            elif status is SendStatus.RETRY_AFTER:
                # Telegram said when to come back; not a failure of this message.
                row.status = "pending"
                row.next_attempt_at = now + timedelta(seconds=result.retry_after or 1)
                await repo.set_claims(
                    [row.id], status="planned", next_attempt_at=row.next_attempt_at
                )
            elif status is SendStatus.NETWORK:
                row.attempts += 1
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"
                else:
                    row.status = "pending"
                    row.next_attempt_at = now + min(
                        BACKOFF_BASE * 2 ** (row.attempts - 1), BACKOFF_MAX
                    )
                await repo.set_claims(
                    [row.id],
                    status="failed" if row.status == "failed" else "planned",
                    attempts=row.attempts,
                    next_attempt_at=row.next_attempt_at,
                )
            elif status is SendStatus.TIMED_OUT:
                # The request reached Telegram but no answer came back: the message may well
                # have been delivered. Sending again could remind the person twice, and a
                # duplicate is worse than a rare gap (the next offset reminds them anyway), so
                # the row is parked as "unknown" and never resent.
                row.status = "unknown"
                row.attempts += 1
                await repo.set_claims([row.id], status="unknown", attempts=row.attempts)
            elif status is SendStatus.FORBIDDEN:
                row.status = "blocked"
                await repo.set_claims([row.id], status="blocked")
                user = await repo.user(row.user_id)
                if user is not None:
                    user.active, user.blocked, user.updated_at = False, True, now
                await repo.block_user_outbox(row.user_id)
            else:
                row.status = "failed"
                row.attempts += 1
                await repo.set_claims([row.id], status="failed", attempts=row.attempts)

    async def deliver(self, notifier: Notifier, *, batch: int = 50) -> int:
        """Send every due outbox row one after another (tests, CLI); return rows handled."""
        handled = 0
        while messages := await self.claim(batch):
            for message in messages:
                token = REQUEST_START.set(partial(self.start_request, message.outbox_id))
                try:
                    result = await notifier.send(message)
                finally:
                    REQUEST_START.reset(token)
                await self.record(message.outbox_id, result)
                handled += 1
        return handled

    async def next_attempt_in(self) -> float | None:
        """Seconds until the earliest pending row is due (0 if one is due), None if none."""
        async with self._sessions() as session:
            due = await ReminderRepository(session).next_attempt_at()
        if due is None:
            return None
        return max(0.0, (due - self._clock()).total_seconds())

    async def has_pending(self) -> bool:
        """Whether an outbox row is due now."""
        async with self._sessions() as session:
            return await ReminderRepository(session).pending_exists(self._clock())

    async def outbox_counts(self) -> dict[str, int]:
        """Outbox rows per status (for logs, tests and the benchmark)."""
        async with self._sessions() as session:
            return await ReminderRepository(session).outbox_counts()

    # --- actions on a reminder -------------------------------------------------------------

    async def _applicable(
        self, session: AsyncSession, member: Member, deadline_id: int
    ) -> DeadlineRow:
        """The deadline if it applies to the member's unit (staff: any active deadline)."""
        row = await ReminderRepository(session).deadline(deadline_id)
        if row is None or row.archived:
            raise NotFound("deadline", deadline_id)
        if member.role is Role.ADMIN:
            return row
        units = await active_units(session)
        scope = resolve_scope(row.units, units)
        if member.unit_id is None or not (scope == ALL_UNITS or member.unit_id in scope):
            raise NotFound("deadline", deadline_id)
        return row

    async def mark_done(self, member: Member, deadline_id: int) -> DoneResult:
        """ "Sudah siap": the member's unit has the evidence; its remaining reminders stop."""
        if member.unit_id is None:
            raise InvalidInput("unit", "missing")
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await self._applicable(session, member, deadline_id)
            repo = ReminderRepository(session)
            existing = await repo.completion(row.id, member.unit_id)
            if existing is not None:
                who = await repo.user(existing.user_id) if existing.user_id else None
                return DoneResult(
                    _info(row), who.display_name if who else "?", existing.done_at, already=True
                )
            repo.add_completion(
                CompletionRow(
                    deadline_id=row.id, unit_id=member.unit_id, user_id=member.user_id, done_at=now
                )
            )
            unit_users = [
                u.id for u in await repo.reachable_users() if u.unit_id == member.unit_id
            ]
            await repo.skip_claims(row.id, unit_users, "done")
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.done",
                unit_id=member.unit_id,
                detail={"deadline": row.slug},
            )
            return DoneResult(_info(row), member.display_name, now, already=False)

    async def undo_done(self, member: Member, deadline_id: int) -> DeadlineInfo:
        """Take back "Sudah siap" for the member's unit (coordinators, admins), audited.

        Reminders already skipped stay skipped; the next sweep plans the remaining days again.

        Raises:
            NotFound: not a deadline of the member's unit, or not marked ready.
            NotAllowed: a plain member.
        """
        if member.unit_id is None:
            raise NotFound("deadline", deadline_id)
        await self._access.require(member, "deadline.ready", unit_id=member.unit_id)
        self.changed()
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await self._applicable(session, member, deadline_id)
            existing = await ReminderRepository(session).completion(row.id, member.unit_id)
            if existing is None:
                raise NotFound("completion", deadline_id)
            await session.delete(existing)
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.undone",
                unit_id=member.unit_id,
                detail={"deadline": row.slug},
            )
            return _info(row)

    async def snooze(self, member: Member, outbox_id: int) -> SnoozeResult:
        """ "Ingatkan besok": hold this person's reminders of that message until tomorrow."""
        self.changed()
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            row = await repo.outbox(outbox_id)
            user = await repo.user(member.user_id)
            if row is None or row.user_id != member.user_id or user is None:
                raise NotFound("reminder", outbox_id)
            recipient = Recipient(
                user_id=user.id,
                chat_id=row.chat_id,
                unit_id=user.unit_id or 0,
                tz=member.timezone,
                reminder_hour=user.reminder_hour,
                quiet_weekends=user.quiet_weekends,
            )
            until = snooze_until(now, recipient)
            ids = sorted({item[0] for item in row.payload.get("r", [])})
            done = {
                c.deadline_id for c in await repo.completions(ids) if c.unit_id == user.unit_id
            }
            ids = [i for i in ids if i not in done]
            if not ids:  # every deadline of the message is ready: nothing left to remind of
                raise InvalidInput("deadline", "done")
            for deadline_id in ids:
                await repo.put_snooze(member.user_id, deadline_id, until)
            return SnoozeResult(until, member.timezone, len(ids))

    async def guide(self, member: Member, deadline_id: int) -> Guide:
        """The Q&A topic linked to a deadline (first linked topic that exists)."""
        async with self._sessions() as session:
            row = await self._applicable(session, member, deadline_id)
        topic = next((t for t in map(self._content.topic, row.topics) if t is not None), None)
        return Guide(_info(row), topic)

    # --- /tenggat ------------------------------------------------------------------------------

    async def upcoming(self, member: Member, *, limit: int | None = 15) -> list[DeadlineStatus]:
        """The member's deadlines from a week ago on, with days left and done state (all: None)."""
        now = self._clock()
        zone = resolve_zone(member.timezone)
        async with self._sessions() as session:
            repo = ReminderRepository(session)
            units = await active_units(session)
            rows = [r for r in await repo.deadlines() if r.due_at >= now - timedelta(days=7)]
            completions = await repo.completions([r.id for r in rows])
            done = {(c.deadline_id, c.unit_id): c for c in completions}
            who = await repo.users_by_ids(c.user_id for c in completions if c.user_id)
        result = []
        for row in rows:
            scope = resolve_scope(row.units, units)
            applies = member.unit_id is not None and (
                scope == ALL_UNITS or member.unit_id in scope
            )
            if not applies and member.role is not Role.ADMIN:
                continue
            scope_units = _scope_units(scope, units)
            mine = done.get((row.id, member.unit_id or -1))
            unit_id = own_unit(row.units)
            result.append(
                DeadlineStatus(
                    deadline=_info(row),
                    days_left=days_left(now, row.due_at, zone),
                    done_at=mine.done_at if mine else None,
                    done_by=who[mine.user_id].display_name
                    if mine and mine.user_id in who
                    else None,
                    done_units=sum(1 for u in scope_units if (row.id, u.id) in done),
                    total_units=len(scope_units),
                    can_edit=allowed(member, "deadline.edit", unit_id),
                    can_archive=allowed(member, "deadline.archive", unit_id),
                )
            )
            if limit is not None and len(result) >= limit:
                break
        return result

    async def get(self, member: Member, deadline_id: int) -> DeadlineInfo:
        """One deadline the member can see."""
        async with self._sessions() as session:
            return _info(await self._applicable(session, member, deadline_id))

    async def edit_due(self, member: Member, deadline_id: int, due_at: datetime) -> DeadlineInfo:
        """Move a deadline (role "deadline.edit"); its reminders are planned afresh."""
        self.changed()
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await self._managed(session, member, deadline_id, "deadline.edit")
            if due_at <= now:
                raise InvalidInput("due", "past")
            if row.due_at != due_at:
                row.due_at, row.generation, row.planned_from = due_at, row.generation + 1, now
                row.updated_at = now
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.edit",
                unit_id=own_unit(row.units),
                detail={"deadline": row.slug, "due_at": due_at.isoformat()},
            )
            return _info(row)

    async def _managed(
        self, session: AsyncSession, member: Member, deadline_id: int, action: str
    ) -> DeadlineRow:
        """An active deadline the member may `action` ("deadline.edit" / "deadline.archive").

        Raises:
            NotFound: no such active deadline.
            NotAllowed: not an admin, nor the coordinator of the deadline's single unit.
        """
        row = await ReminderRepository(session).deadline(deadline_id)
        if row is None or row.archived:
            raise NotFound("deadline", deadline_id)
        await self._access.require(member, action, unit_id=own_unit(row.units))
        return row

    async def editable(self, member: Member, deadline_id: int) -> DeadlineInfo:
        """A deadline the member may edit (role "deadline.edit"), to show before editing it."""
        async with self._sessions() as session:
            return _info(await self._managed(session, member, deadline_id, "deadline.edit"))

    async def edit_offsets(
        self, member: Member, deadline_id: int, offsets: Iterable[int]
    ) -> DeadlineInfo:
        """Change the days a deadline reminds on (role "deadline.edit"); nothing is sent twice.

        Reminder keys keep the deadline's generation, so an offset that stays, or comes back
        after being removed, is never planned again for someone who already had it. Reminders of
        a removed offset that are planned but not yet sent are dropped. An added offset whose
        time has already passed for someone is recorded as skipped for them, so an edit never
        sets off a surprise "(terlambat)" reminder; its later times go out as usual.

        Raises:
            NotFound: no such active deadline.
            NotAllowed: not an admin, nor the coordinator of the deadline's single unit.
            InvalidInput: ("offsets", reason) from `bot.domain.offsets.check_offsets`.
        """
        self.changed()
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            row = await self._managed(session, member, deadline_id, "deadline.edit")
            unit = own_unit(row.units)
            chosen = check_offsets(offsets, keep=row.offsets)
            await repo.lock_planner()  # the sweep must not plan this deadline meanwhile
            before = tuple(row.offsets)
            removed = set(before) - set(chosen)
            added = tuple(sorted(set(chosen) - set(before), reverse=True))
            dropped = await repo.drop_planned(row.id, row.generation, removed, "offset_removed")
            passed = await self._passed(session, row, added, now) if added else []
            await repo.add_claims(passed)
            if before != chosen:
                row.offsets, row.updated_at = list(chosen), now
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.edit",
                unit_id=unit,
                detail={
                    "deadline": row.slug,
                    "offsets": list(chosen),
                    "before": list(before),
                    "dropped": dropped,
                    "passed": len(passed),
                },
            )
            return _info(row)

    async def _passed(
        self, session: AsyncSession, row: DeadlineRow, added: tuple[int, ...], now: datetime
    ) -> list[dict[str, Any]]:
        """Skipped claims for the added offsets that a sweep at `now` would already consider."""
        planned = await self._plan(session, now, only={row.id: added})
        claims = []
        items = [(r.key.user_id, r.offset, r.planned_at) for r in planned.skipped]
        items += [
            (r.key.user_id, r.offset, r.planned_at) for r in planned.reminders if not r.snoozed
        ]
        for user_id, offset, planned_at in items:
            if offset not in added:
                continue
            claims.append(
                {
                    "deadline_id": row.id,
                    "generation": row.generation,
                    "user_id": user_id,
                    "offset": offset,
                    "kind": "reminder",
                    "status": "skipped",
                    "reason": "offset_added_late",
                    "planned_at": planned_at,
                    "attempts": 0,
                    "created_at": now,
                    "outbox_id": None,
                }
            )
        return claims

    async def archive(self, member: Member, deadline_id: int) -> DeadlineInfo:
        """Archive a deadline (role "deadline.archive"): no more reminders."""
        now = self._clock()
        async with self._sessions.begin() as session:
            row = await self._managed(session, member, deadline_id, "deadline.archive")
            row.archived, row.updated_at = True, now
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.archive",
                unit_id=own_unit(row.units),
                detail={"deadline": row.slug},
            )
            return _info(row)

    async def create_deadline(self, member: Member, draft: DeadlineDraft) -> DeadlineInfo:
        """Save a deadline made in chat (role "deadline.create"; coordinators: own unit only)."""
        self.changed()
        now = self._clock()
        title = " ".join(draft.title.split())
        if not title or len(title) > 200:
            raise InvalidInput("title", "empty" if not title else "too_long")
        if draft.due_at <= now:
            raise InvalidInput("due", "past")
        offsets = check_offsets(draft.offsets)
        scope = self._checked_scope(draft.scope)
        await self._access.require(member, "deadline.create", unit_id=own_unit(scope))
        async with self._sessions.begin() as session:
            repo = ReminderRepository(session)
            row = DeadlineRow(
                slug=f"tg-{secrets.token_hex(6)}",
                source="chat",
                title=title,
                description="",
                due_at=draft.due_at,
                offsets=list(offsets),
                units=scope,
                indicators=[],
                topics=list(draft.topics),
                content_hash=None,
                generation=1,
                planned_from=now,
                archived=False,
                created_by=member.user_id,
                created_at=now,
                updated_at=now,
            )
            repo.add_deadline(row)
            await repo.flush()
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="deadline.create",
                unit_id=own_unit(scope),
                detail={"deadline": row.slug, "units": scope},
            )
            return _info(row)

    @staticmethod
    def _checked_scope(scope: dict[str, Any]) -> dict[str, Any]:
        if scope.get("all"):
            return {"all": True}
        if isinstance(scope.get("types"), list) and scope["types"]:
            return {"types": sorted(str(t) for t in scope["types"])}
        if isinstance(scope.get("unit_ids"), list) and scope["unit_ids"]:
            return {"unit_ids": sorted({int(i) for i in scope["unit_ids"]})}
        raise InvalidInput("units", "empty")

    async def creation_options(self, member: Member) -> CreationOptions:
        """Check the member may create deadlines and return what to offer.

        Topics offered are the first topic of each content deadline (evidence topics).
        """
        await self._access.require(member, "deadline.create", unit_id=member.unit_id)
        ids: list[str] = []
        for entry in self._content.deadlines.entries:
            for topic_id in entry.topics[:1]:
                if topic_id not in ids:
                    ids.append(topic_id)
        topics = tuple(t for t in map(self._content.topic, ids) if t is not None)
        async with self._sessions() as session:
            units = await active_units(session)
        own = None
        if member.role is not Role.ADMIN:
            own = next((u for u in units if u.id == member.unit_id), None)
        types = tuple(dict.fromkeys(u.type for u in units))
        return CreationOptions(topics, tuple(units), types, own)

    # --- preferences ---------------------------------------------------------------------

    async def prefs(self, user_id: int) -> ReminderPrefs:
        """The person's reminder hour, quiet weekends and mute."""
        async with self._sessions() as session:
            user = await ReminderRepository(session).user(user_id)
            if user is None:
                raise NotFound("user", user_id)
            return ReminderPrefs(user.reminder_hour, user.quiet_weekends, user.muted)

    async def set_prefs(
        self,
        user_id: int,
        *,
        reminder_hour: int | None = None,
        quiet_weekends: bool | None = None,
        muted: bool | None = None,
    ) -> ReminderPrefs:
        """Change reminder preferences; hours outside REMINDER_HOURS are refused."""
        self.changed()
        if reminder_hour is not None and reminder_hour not in REMINDER_HOURS:
            raise InvalidInput("reminder_hour", "out_of_range")
        now = self._clock()
        async with self._sessions.begin() as session:
            user = await ReminderRepository(session).user(user_id)
            if user is None:
                raise NotFound("user", user_id)
            changes: dict[str, Any] = {}
            for name, value in (
                ("reminder_hour", reminder_hour),
                ("quiet_weekends", quiet_weekends),
                ("muted", muted),
            ):
                if value is not None:
                    setattr(user, name, value)
                    changes[name] = str(value)
            user.updated_at = now
            await AuditRepository(session).add(
                at=now,
                actor_user_id=user_id,
                action="settings.update",
                unit_id=user.unit_id,
                detail=changes,
            )
            return ReminderPrefs(user.reminder_hour, user.quiet_weekends, user.muted)


def flatten(messages: Iterable[OutgoingMessage]) -> list[tuple[OutgoingMessage, ReminderItem]]:
    """Every (message, reminder item) pair, for listings."""
    return [(m, item) for m in messages for item in m.reminders]
