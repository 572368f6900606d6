"""Read-only counts for the readiness recap: quiz answers and active members per unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuizAnswerRow, QuizAttemptRow, RecapSnapshotRow, UserRow


class RecapRepository:
    """Aggregates over several units at once (the caller limits `unit_ids` to what it may see)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def quiz_counts(self, unit_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """unit id -> (correct answers, answers) of quiz rounds taken for that unit."""
        wanted = set(unit_ids)
        rows = await self._session.execute(
            select(
                QuizAttemptRow.unit_id,
                func.sum(case((QuizAnswerRow.correct.is_(True), 1), else_=0)),
                func.count(QuizAnswerRow.id),
            )
            .join(QuizAttemptRow, QuizAttemptRow.id == QuizAnswerRow.attempt_id)
            .where(QuizAttemptRow.unit_id.in_(wanted))
            .group_by(QuizAttemptRow.unit_id)
        )
        return {int(unit): (int(correct or 0), int(total)) for unit, correct, total in rows}

    async def active_members(self, unit_ids: Iterable[int]) -> dict[int, int]:
        """unit id -> users registered to it who are active and have not blocked the bot."""
        wanted = set(unit_ids)
        rows = await self._session.execute(
            select(UserRow.unit_id, func.count(UserRow.id))
            .where(
                UserRow.unit_id.in_(wanted), UserRow.active.is_(True), UserRow.blocked.is_(False)
            )
            .group_by(UserRow.unit_id)
        )
        return {int(unit): int(count) for unit, count in rows if unit is not None}

    async def coordinators(self, unit_ids: Iterable[int]) -> dict[int, list[str]]:
        """unit id -> display names of its active coordinators, by name."""
        wanted = set(unit_ids)
        rows = await self._session.execute(
            select(UserRow.unit_id, UserRow.display_name)
            .where(
                UserRow.unit_id.in_(wanted),
                UserRow.role == "coordinator",
                UserRow.active.is_(True),
            )
            .order_by(UserRow.display_name, UserRow.id)
        )
        found: dict[int, list[str]] = {}
        for unit, name in rows:
            if unit is not None:
                found.setdefault(int(unit), []).append(str(name))
        return found

    async def snapshots(
        self, edition: str, *, before: datetime, unit_ids: Sequence[int]
    ) -> list[RecapSnapshotRow]:
        """The reports to compare with, newest first: the latest whole-government report made
        before `before`, and the latest made for each of `unit_ids` alone (a coordinator's)."""
        earlier = (RecapSnapshotRow.edition == edition, RecapSnapshotRow.created_at < before)
        whole = (
            await self._session.scalars(
                select(RecapSnapshotRow)
                .where(*earlier, RecapSnapshotRow.unit_id.is_(None))
                .order_by(RecapSnapshotRow.created_at.desc(), RecapSnapshotRow.id.desc())
                .limit(1)
            )
        ).all()
        newest = (
            select(func.max(RecapSnapshotRow.id))
            .where(*earlier, RecapSnapshotRow.unit_id.in_(list(unit_ids)))
            .group_by(RecapSnapshotRow.unit_id)
        )
        own = (
            await self._session.scalars(
                select(RecapSnapshotRow).where(RecapSnapshotRow.id.in_(newest))
            )
        ).all()
        return sorted([*whole, *own], key=lambda r: (r.created_at, r.id), reverse=True)

    async def add_snapshot(
        self, *, at: datetime, edition: str, unit_id: int | None, figures: dict[str, Any]
    ) -> None:
        """Store the figures a report showed (the caller commits)."""
        self._session.add(
            RecapSnapshotRow(created_at=at, edition=edition, unit_id=unit_id, figures=figures)
        )
