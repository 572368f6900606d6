"""Broadcasts, their recipients and their outbox rows (no commits here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BroadcastRecipientRow, BroadcastRow, OutboxRow, UserRow

FINAL = ("sent", "failed", "unknown", "blocked", "skipped")


class BroadcastRepository:
    """Data access for /siaran."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, *, created_by: int, text: str, now: datetime) -> BroadcastRow:
        """A new draft."""
        row = BroadcastRow(
            created_by=created_by,
            text=text,
            audience={},
            status="draft",
            recipients=0,
            summary={},
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def get(self, broadcast_id: int) -> BroadcastRow | None:
        """One broadcast."""
        return await self._session.get(BroadcastRow, broadcast_id)

    async def texts(self, ids: Iterable[int]) -> dict[int, str]:
        """broadcast id -> text."""
        rows = await self._session.execute(
            select(BroadcastRow.id, BroadcastRow.text).where(BroadcastRow.id.in_(set(ids)))
        )
        return {int(i): str(t) for i, t in rows}

    async def claim_queue(self, broadcast_id: int, *, created_by: int, now: datetime) -> bool:
        """draft -> queued, once: True only for the one caller that made the change."""
        result = await self._session.execute(
            update(BroadcastRow)
            .where(
                BroadcastRow.id == broadcast_id,
                BroadcastRow.created_by == created_by,
                BroadcastRow.status == "draft",
            )
            .values(status="queued", queued_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reachable(self) -> Sequence[UserRow]:
        """Users a message can reach: active, not blocked, with a chat."""
        return (
            await self._session.scalars(
                select(UserRow)
                .where(UserRow.active.is_(True), UserRow.blocked.is_(False))
                .order_by(UserRow.id)
            )
        ).all()

    async def enqueue(self, broadcast_id: int, users: Sequence[UserRow], now: datetime) -> int:
        """One outbox row and one recipient row per user; return how many were queued."""
        for user in users:
            outbox = OutboxRow(
                user_id=user.id,
                chat_id=int(user.chat_id or user.telegram_id),
                payload={"b": broadcast_id},
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            self._session.add(outbox)
            await self._session.flush()
            self._session.add(
                BroadcastRecipientRow(
                    broadcast_id=broadcast_id, user_id=user.id, outbox_id=outbox.id
                )
            )
        await self._session.flush()
        return len(users)

    async def queued(self) -> Sequence[BroadcastRow]:
        """Broadcasts whose delivery is under way."""
        return (
            await self._session.scalars(
                select(BroadcastRow)
                .where(BroadcastRow.status == "queued")
                .order_by(BroadcastRow.id)
            )
        ).all()

    async def statuses(self, broadcast_id: int) -> dict[str, int]:
        """Outbox status -> count for one broadcast."""
        rows = await self._session.execute(
            select(OutboxRow.status, func.count())
            .join(BroadcastRecipientRow, BroadcastRecipientRow.outbox_id == OutboxRow.id)
            .where(BroadcastRecipientRow.broadcast_id == broadcast_id)
            .group_by(OutboxRow.status)
        )
        return {str(status): int(count) for status, count in rows}

    async def undelivered(
        self, broadcast_id: int, statuses: Iterable[str]
    ) -> Sequence[tuple[int, str, str | None]]:
        """(user id, outbox status, last error) of recipients whose message ended in `statuses`."""
        rows = await self._session.execute(
            select(BroadcastRecipientRow.user_id, OutboxRow.status, OutboxRow.last_error)
            .join(OutboxRow, BroadcastRecipientRow.outbox_id == OutboxRow.id)
            .where(
                BroadcastRecipientRow.broadcast_id == broadcast_id,
                OutboxRow.status.in_(list(statuses)),
            )
            .order_by(BroadcastRecipientRow.user_id)
        )
        return [(int(user), str(status), error) for user, status, error in rows]

    async def finish(self, broadcast_id: int, *, summary: dict[str, Any], now: datetime) -> bool:
        """queued -> done, once (the summary is reported by whoever made the change)."""
        result = await self._session.execute(
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id, BroadcastRow.status == "queued")
            .values(status="done", summary=summary, finished_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
