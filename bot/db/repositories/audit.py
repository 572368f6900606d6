"""Audit log: append-only record of role-relevant actions and refusals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditRow


class AuditRepository:
    """Data access for the audit log."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        at: datetime,
        actor_user_id: int | None,
        action: str,
        unit_id: int | None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one entry."""
        self._session.add(
            AuditRow(
                at=at,
                actor_user_id=actor_user_id,
                action=action,
                unit_id=unit_id,
                outcome=outcome,
                detail=detail or {},
            )
        )
        await self._session.flush()

    async def recent(self, limit: int = 50) -> Sequence[AuditRow]:
        """Newest entries first."""
        return (
            await self._session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
        ).all()
