"""Questions the bot declined or was unsure about (qa_gaps), for content curators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QaGapRow

TEXT_LIMIT = 500  # characters kept of a question (the column's size)


class QaGapRepository:
    """Data access for recorded gaps."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        asked_at: datetime,
        text: str,
        normalized: str,
        kind: str,
        candidates: list[Any],
        unit_id: int | None,
        user_id: int | None,
    ) -> None:
        """Record one gap; texts are cut to the column size."""
        self._session.add(
            QaGapRow(
                asked_at=asked_at,
                text=text[:TEXT_LIMIT],
                normalized=normalized[:TEXT_LIMIT],
                kind=kind,
                candidates=candidates,
                unit_id=unit_id,
                user_id=user_id,
            )
        )
        await self._session.flush()

    async def most_frequent(self, limit: int) -> list[tuple[str, int, datetime]]:
        """(normalised question, times asked, last asked), most frequent first."""
        count = func.count(QaGapRow.id)
        last = func.max(QaGapRow.asked_at)
        rows = await self._session.execute(
            select(QaGapRow.normalized, count, last)
            .group_by(QaGapRow.normalized)
            .order_by(count.desc(), last.desc(), QaGapRow.normalized)
            .limit(limit)
        )
        return [(normalized, int(n), at) for normalized, n, at in rows.all()]

    async def latest(self, normalized: str) -> QaGapRow | None:
        """The most recent gap with this normalised question."""
        return (
            await self._session.scalars(
                select(QaGapRow)
                .where(QaGapRow.normalized == normalized)
                .order_by(QaGapRow.asked_at.desc(), QaGapRow.id.desc())
                .limit(1)
            )
        ).first()

    async def all(self) -> Sequence[QaGapRow]:
        """Every gap, oldest first (tests and exports)."""
        return (await self._session.scalars(select(QaGapRow).order_by(QaGapRow.id))).all()
