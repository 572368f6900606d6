"""Deadlines, completions, snoozes, reminder claims and the outbox (no commits here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    CompletionRow,
    DeadlineRow,
    OutboxRow,
    ReminderDeliveryRow,
    SnoozeRow,
    UserRow,
)

# Any constant works: it only has to be the same in every process sharing the database.
PLANNER_LOCK = 5_004_001


class ReminderRepository:
    """Data access for the reminder feature."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def dialect(self) -> str:
        """The database backend name ("sqlite" or "postgresql")."""
        return self._session.bind.dialect.name if self._session.bind else "sqlite"

    async def lock_planner(self) -> None:
        """Serialise planning across processes on PostgreSQL (released at commit)."""
        if self.dialect == "postgresql":
            await self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": PLANNER_LOCK}
            )

    # --- deadlines --------------------------------------------------------------------------

    async def deadlines(self, *, include_archived: bool = False) -> Sequence[DeadlineRow]:
        """Deadlines by due date."""
        query = select(DeadlineRow).order_by(DeadlineRow.due_at, DeadlineRow.id)
        if not include_archived:
            query = query.where(DeadlineRow.archived.is_(False))
        return (await self._session.scalars(query)).all()

    async def deadline(self, deadline_id: int) -> DeadlineRow | None:
        """One deadline by id."""
        return await self._session.get(DeadlineRow, deadline_id)

    async def deadline_by_slug(self, slug: str) -> DeadlineRow | None:
        """One deadline by slug."""
        return await self._session.scalar(select(DeadlineRow).where(DeadlineRow.slug == slug))

    async def deadlines_by_ids(self, ids: Iterable[int]) -> dict[int, DeadlineRow]:
        """Deadlines keyed by id."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self._session.scalars(select(DeadlineRow).where(DeadlineRow.id.in_(wanted)))
        return {row.id: row for row in rows}

    async def first_content_sync(self) -> datetime | None:
        """When the first content deadline was stored (the database's first content sync)."""
        return await self._session.scalar(
            select(func.min(DeadlineRow.created_at)).where(DeadlineRow.source == "content")
        )

    def add_deadline(self, row: DeadlineRow) -> None:
        """Stage a new deadline."""
        self._session.add(row)

    async def flush(self) -> None:
        """Send staged changes (ids become known)."""
        await self._session.flush()

    # --- completions and snoozes ------------------------------------------------------------

    async def completions(
        self, deadline_ids: Iterable[int] | None = None
    ) -> Sequence[CompletionRow]:
        """Completions, optionally of some deadlines."""
        query = select(CompletionRow)
        if deadline_ids is not None:
            query = query.where(CompletionRow.deadline_id.in_(set(deadline_ids)))
        return (await self._session.scalars(query)).all()

    async def completion(self, deadline_id: int, unit_id: int) -> CompletionRow | None:
        """The completion of one unit for one deadline."""
        return await self._session.get(CompletionRow, (deadline_id, unit_id))

    def add_completion(self, row: CompletionRow) -> None:
        """Stage a completion."""
        self._session.add(row)

    async def snoozes(self) -> Sequence[SnoozeRow]:
        """Every snooze (the planner filters by deadline)."""
        return (await self._session.scalars(select(SnoozeRow))).all()

    async def put_snooze(self, user_id: int, deadline_id: int, until: datetime) -> None:
        """Create or move one person's snooze of one deadline."""
        row = await self._session.get(SnoozeRow, (user_id, deadline_id))
        if row is None:
            self._session.add(SnoozeRow(user_id=user_id, deadline_id=deadline_id, until=until))
        else:
            row.until = until

    # --- recipients -------------------------------------------------------------------------

    async def reachable_users(self) -> Sequence[UserRow]:
        """Users who can get messages: active, not blocked, with a private chat."""
        return (
            await self._session.scalars(
                select(UserRow)
                .where(
                    UserRow.active.is_(True),
                    UserRow.blocked.is_(False),
                    UserRow.chat_id.is_not(None),
                )
                .order_by(UserRow.id)
            )
        ).all()

    async def users_by_ids(self, ids: Iterable[int]) -> dict[int, UserRow]:
        """Users keyed by id."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self._session.scalars(select(UserRow).where(UserRow.id.in_(wanted)))
        return {row.id: row for row in rows}

    async def user(self, user_id: int) -> UserRow | None:
        """One user."""
        return await self._session.get(UserRow, user_id)

    # --- claims -----------------------------------------------------------------------------

    async def recorded_keys(
        self, deadlines: Iterable[tuple[int, int]], kind: str
    ) -> set[tuple[int, int, int, int]]:
        """(deadline id, generation, user id, offset) of every recorded claim of `kind`."""
        pairs = list(deadlines)
        if not pairs:
            return set()
        ids = {deadline_id for deadline_id, _ in pairs}
        rows = await self._session.execute(
            select(
                ReminderDeliveryRow.deadline_id,
                ReminderDeliveryRow.generation,
                ReminderDeliveryRow.user_id,
                ReminderDeliveryRow.offset,
            ).where(ReminderDeliveryRow.kind == kind, ReminderDeliveryRow.deadline_id.in_(ids))
        )
        current = set(pairs)
        return {(d, g, u, o) for d, g, u, o in rows if (d, g) in current}

    async def add_claims(self, rows: list[dict[str, Any]]) -> None:
        """Insert claim rows in bulk (a duplicate key fails the transaction: never silently)."""
        for start in range(0, len(rows), 2000):
            await self._session.execute(insert(ReminderDeliveryRow), rows[start : start + 2000])

    async def add_outbox(self, rows: list[dict[str, Any]]) -> dict[int, int]:
        """Insert outbox rows in bulk; return {user id: outbox id} (one row per user)."""
        result: dict[int, int] = {}
        for start in range(0, len(rows), 2000):
            inserted = await self._session.execute(
                insert(OutboxRow).returning(OutboxRow.id, OutboxRow.user_id),
                rows[start : start + 2000],
            )
            result.update({user_id: outbox_id for outbox_id, user_id in inserted})
        return result

    async def set_claims(self, outbox_ids: Iterable[int], **values: Any) -> None:
        """Copy an outbox outcome onto its claim rows."""
        ids = list(outbox_ids)
        if ids:
            await self._session.execute(
                update(ReminderDeliveryRow)
                .where(ReminderDeliveryRow.outbox_id.in_(ids))
                .values(**values)
            )

    async def skip_claims(self, deadline_id: int, user_ids: Iterable[int], reason: str) -> int:
        """Mark not-yet-sent claims of a deadline for these users skipped; return how many."""
        users = list(user_ids)
        if not users:
            return 0
        result = await self._session.execute(
            update(ReminderDeliveryRow)
            .where(
                ReminderDeliveryRow.deadline_id == deadline_id,
                ReminderDeliveryRow.user_id.in_(users),
                ReminderDeliveryRow.status == "planned",
            )
            .values(status="skipped", reason=reason)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def drop_planned(
        self, deadline_id: int, generation: int, offsets: Iterable[int], reason: str
    ) -> int:
        """Take reminders of removed offsets out of the schedule before they are sent.

        Claims still "planned" are marked skipped and detached from their outbox row, and the
        row's payload loses those items (a row left empty is skipped). Rows being sent right now
        are left alone: they are in flight. Returns the number of claims dropped.
        """
        days = sorted(set(offsets))
        if not days:
            return 0
        claims = (
            await self._session.scalars(
                select(ReminderDeliveryRow).where(
                    ReminderDeliveryRow.deadline_id == deadline_id,
                    ReminderDeliveryRow.generation == generation,
                    ReminderDeliveryRow.kind == "reminder",
                    ReminderDeliveryRow.offset.in_(days),
                    ReminderDeliveryRow.status == "planned",
                )
            )
        ).all()
        outbox_ids = {c.outbox_id for c in claims if c.outbox_id is not None}
        pending: dict[int, OutboxRow] = {}
        if outbox_ids:
            rows = await self._session.scalars(
                select(OutboxRow).where(
                    OutboxRow.id.in_(outbox_ids), OutboxRow.status == "pending"
                )
            )
            pending = {row.id: row for row in rows}
        dropped = 0
        for claim in claims:
            if claim.outbox_id is not None and claim.outbox_id not in pending:
                continue
            claim.status, claim.reason, claim.outbox_id = "skipped", reason, None
            dropped += 1
        for row in pending.values():
            kept = [
                item
                for item in row.payload.get("r", [])
                if not (item[0] == deadline_id and item[1] == generation and item[2] in days)
            ]
            row.payload = {**row.payload, "r": kept}  # a new dict, so the JSON change is saved
            if (
                not kept
                and not row.payload.get("e")
                and not row.payload.get("a")
                and "b" not in row.payload
            ):
                row.status, row.last_error = "skipped", "obsolete"
        return dropped

    # --- outbox -----------------------------------------------------------------------------

    async def claim_outbox(
        self, *, now: datetime, limit: int, worker: str, expires: datetime
    ) -> Sequence[OutboxRow]:
        """Take up to `limit` due pending rows for `worker` (SKIP LOCKED on PostgreSQL)."""
        query = (
            select(OutboxRow)
            .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = (await self._session.scalars(query)).all()
        for row in rows:
            row.status, row.claimed_by, row.claim_expires_at = "claimed", worker, expires
        if rows:
            await self.set_claims([row.id for row in rows], status="claimed")
        return rows

    async def start_sending(self, outbox_id: int, worker: str) -> bool:
        """Mark one of `worker`'s claimed rows as handed to the Bot API ("sending").

        A compare-and-set: False if the row is no longer claimed by `worker` (its lease expired
        and it went back to pending, perhaps to another sender), and then it must not be sent.
        One statement, as it runs while the request holds its slot under the rate limits: the
        claim rows stay "claimed" and follow at the outcome (`record`, `release_claims`).
        """
        result = await self._session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == outbox_id,
                OutboxRow.status == "claimed",
                OutboxRow.claimed_by == worker,
            )
            .values(status="sending")
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def outbox(self, outbox_id: int) -> OutboxRow | None:
        """One outbox row."""
        return await self._session.get(OutboxRow, outbox_id)

    async def release_claims(self, *, before: datetime | None) -> tuple[list[int], list[int]]:
        """Settle rows a sender left behind: all of them, or those whose lease expired before.

        Rows only claimed ("claimed": never handed to the Bot API) go back to pending and are
        sent again. Rows "sending" had their request started: Telegram may have delivered them
        and has no idempotency key, so they become "unknown" and are not resent (at most once).
        Returns (ids back to pending, ids now unknown).
        """
        expired = [OutboxRow.claim_expires_at < before] if before is not None else []
        # UPDATE ... RETURNING: exactly the rows changed, even if a live sender marks one of
        # them "sending" at the same moment (it is then left to that sender).
        requeued = list(
            (
                await self._session.scalars(
                    update(OutboxRow)
                    .where(OutboxRow.status == "claimed", *expired)
                    .values(status="pending", claimed_by=None, claim_expires_at=None)
                    .returning(OutboxRow.id)
                )
            ).all()
        )
        unknown = list(
            (
                await self._session.scalars(
                    update(OutboxRow)
                    .where(OutboxRow.status == "sending", *expired)
                    .values(status="unknown", last_error="in flight when the sender stopped")
                    .returning(OutboxRow.id)
                )
            ).all()
        )
        await self.set_claims(requeued, status="planned")
        await self.set_claims(unknown, status="unknown")
        return requeued, unknown

    async def block_user_outbox(self, user_id: int) -> None:
        """A user blocked the bot: their pending rows will never be sent."""
        ids = list(
            (
                await self._session.scalars(
                    select(OutboxRow.id).where(
                        OutboxRow.user_id == user_id, OutboxRow.status == "pending"
                    )
                )
            ).all()
        )
        if ids:
            await self._session.execute(
                update(OutboxRow).where(OutboxRow.id.in_(ids)).values(status="blocked")
            )
            await self.set_claims(ids, status="blocked")

    async def outbox_counts(self) -> dict[str, int]:
        """Outbox rows per status."""
        rows = await self._session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        )
        return {status: int(count) for status, count in rows}

    async def pending_exists(self, now: datetime) -> bool:
        """Whether a row is waiting to be sent now."""
        return (
            await self._session.scalar(
                select(OutboxRow.id)
                .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
                .limit(1)
            )
            is not None
        )

    async def next_attempt_at(self) -> datetime | None:
        """When the earliest pending row is due."""
        return await self._session.scalar(
            select(func.min(OutboxRow.next_attempt_at)).where(OutboxRow.status == "pending")
        )

    async def user_outbox(self, user_id: int, statuses: Iterable[str]) -> Sequence[OutboxRow]:
        """A user's outbox rows in some states."""
        return (
            await self._session.scalars(
                select(OutboxRow).where(
                    OutboxRow.user_id == user_id, or_(*(OutboxRow.status == s for s in statuses))
                )
            )
        ).all()
