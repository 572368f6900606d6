"""Evidence files: every read is scoped by unit_id, except the lookup access checks use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import EvidenceRow


class EvidenceRepository:
    """Data access for evidence rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        unit_id: int,
        edition: str,
        indicator_id: str | None,
        deadline_id: int | None,
        kind: str,
        telegram_file_id: str,
        telegram_file_unique_id: str,
        storage_key: str,
        original_name: str,
        mime_type: str,
        size: int,
        uploaded_by: int | None,
        now: datetime,
        caption: str = "",
    ) -> EvidenceRow:
        """Record one stored file."""
        row = EvidenceRow(
            unit_id=unit_id,
            edition=edition,
            indicator_id=indicator_id,
            deadline_id=deadline_id,
            kind=kind,
            telegram_file_id=telegram_file_id,
            telegram_file_unique_id=telegram_file_unique_id,
            storage_key=storage_key,
            original_name=original_name,
            mime_type=mime_type,
            size=size,
            uploaded_by=uploaded_by,
            created_at=now,
            caption=caption,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def list_for_unit(
        self, *, unit_id: int, edition: str | None = None
    ) -> Sequence[EvidenceRow]:
        """A unit's files, oldest first (optionally of one edition)."""
        query = select(EvidenceRow).where(EvidenceRow.unit_id == unit_id)
        if edition is not None:
            query = query.where(EvidenceRow.edition == edition)
        return (await self._session.scalars(query.order_by(EvidenceRow.id))).all()

    async def get(self, evidence_id: int, *, unit_id: int) -> EvidenceRow | None:
        """One file of `unit_id`; None if it does not exist or belongs to another unit."""
        return await self._session.scalar(
            select(EvidenceRow).where(
                EvidenceRow.id == evidence_id, EvidenceRow.unit_id == unit_id
            )
        )

    async def unit_of(self, evidence_id: int) -> int | None:
        """Which unit a file belongs to (for the access check that precedes `get`)."""
        return await self._session.scalar(
            select(EvidenceRow.unit_id).where(EvidenceRow.id == evidence_id)
        )

    async def detach_uploader(self, user_id: int) -> int:
        """Forget who uploaded: the files stay with their unit; return how many rows changed."""
        result = await self._session.execute(
            update(EvidenceRow).where(EvidenceRow.uploaded_by == user_id).values(uploaded_by=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def count_by_deadline(
        self, deadline_ids: Iterable[int], *, unit_id: int | None
    ) -> dict[int, int]:
        """Files per deadline: of one unit, or of every unit when `unit_id` is None."""
        ids = sorted(set(deadline_ids))
        if not ids:
            return {}
        query = (
            select(EvidenceRow.deadline_id, func.count())
            .where(EvidenceRow.deadline_id.in_(ids))
            .group_by(EvidenceRow.deadline_id)
        )
        if unit_id is not None:
            query = query.where(EvidenceRow.unit_id == unit_id)
        return {int(d): int(n) for d, n in await self._session.execute(query) if d is not None}

    async def links(
        self,
        *,
        unit_id: int | None,
        deadline_ids: Iterable[int],
        indicator_ids: Iterable[str],
        edition: str,
    ) -> Sequence[tuple[int, int | None, str | None]]:
        """(id, deadline id, indicator id) of files linked to these deadlines, or filed under
        these indicators in `edition`: of one unit, or of every unit when `unit_id` is None."""
        deadlines, indicators = sorted(set(deadline_ids)), sorted(set(indicator_ids))
        query = select(EvidenceRow.id, EvidenceRow.deadline_id, EvidenceRow.indicator_id).where(
            EvidenceRow.deadline_id.in_(deadlines)
            | (EvidenceRow.indicator_id.in_(indicators) & (EvidenceRow.edition == edition))
        )
        if unit_id is not None:
            query = query.where(EvidenceRow.unit_id == unit_id)
        return [(int(i), d, n) for i, d, n in (await self._session.execute(query)).all()]

    async def count_by_deadline_and_unit(
        self, deadline_ids: Iterable[int]
    ) -> dict[tuple[int, int], int]:
        """Files per (deadline, unit), for the recap's deadlines sheet."""
        ids = sorted(set(deadline_ids))
        if not ids:
            return {}
        query = (
            select(EvidenceRow.deadline_id, EvidenceRow.unit_id, func.count())
            .where(EvidenceRow.deadline_id.in_(ids))
            .group_by(EvidenceRow.deadline_id, EvidenceRow.unit_id)
        )
        return {
            (int(d), int(u)): int(n)
            for d, u, n in await self._session.execute(query)
            if d is not None
        }
