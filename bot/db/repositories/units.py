"""Units and governments: lookups and the idempotent sync from content."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GovernmentRow, UnitRow


class UnitRepository:
    """Data access for units and governments."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_active(self) -> Sequence[UnitRow]:
        """All units not archived, in content order (by id)."""
        result = await self._session.scalars(
            select(UnitRow).where(UnitRow.archived.is_(False)).order_by(UnitRow.id)
        )
        return result.all()

    async def get(self, unit_id: int) -> UnitRow | None:
        """One unit by id (archived ones too, so old registrations still render)."""
        return await self._session.get(UnitRow, unit_id)

    async def governments(self) -> Sequence[GovernmentRow]:
        """All governments."""
        return (
            await self._session.scalars(select(GovernmentRow).order_by(GovernmentRow.id))
        ).all()

    async def upsert_government(self, code: str, name: str, timezone: str) -> GovernmentRow:
        """Insert or update a government by code."""
        row = await self._session.scalar(select(GovernmentRow).where(GovernmentRow.code == code))
        if row is None:
            row = GovernmentRow(code=code, name=name, timezone=timezone)
            self._session.add(row)
        else:
            row.name, row.timezone = name, timezone
        await self._session.flush()
        return row

    async def upsert_unit(
        self, *, code: str, name: str, type: str, government_id: int, timezone: str | None
    ) -> UnitRow:
        """Insert or update a unit by code, un-archiving it if it came back."""
        row = await self._session.scalar(select(UnitRow).where(UnitRow.code == code))
        if row is None:
            row = UnitRow(
                code=code,
                name=name,
                type=type,
                government_id=government_id,
                timezone=timezone,
                archived=False,
            )
            self._session.add(row)
        else:
            row.name, row.type, row.government_id = name, type, government_id
            row.timezone, row.archived = timezone, False
        await self._session.flush()
        return row

    async def archive_missing(self, codes: set[str]) -> int:
        """Archive units whose code is no longer in content; return how many."""
        rows = (
            await self._session.scalars(select(UnitRow).where(UnitRow.archived.is_(False)))
        ).all()
        gone = [row for row in rows if row.code not in codes]
        for row in gone:
            row.archived = True
        return len(gone)
