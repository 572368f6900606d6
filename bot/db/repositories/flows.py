"""Flow state: which step of a multi-step flow a user is at."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FlowStateRow


class FlowRepository:
    """Data access for flow states (one per user)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> FlowStateRow | None:
        """The user's current flow, if any."""
        return await self._session.get(FlowStateRow, user_id)

    async def put(
        self, user_id: int, *, flow: str, step: str, data: dict[str, Any], now: datetime
    ) -> FlowStateRow:
        """Start or advance a flow; bumps the revision so stale buttons can be detected."""
        row = await self._session.get(FlowStateRow, user_id)
        if row is None:
            row = FlowStateRow(
                user_id=user_id, flow=flow, step=step, data=data, revision=1, updated_at=now
            )
            self._session.add(row)
        else:
            row.flow, row.step, row.data = flow, step, dict(data)
            row.revision += 1
            row.updated_at = now
        await self._session.flush()
        return row

    async def take(self, user_id: int, *, flow: str, revision: int) -> bool:
        """End the flow only if it is still `flow` at `revision`; False if another update
        (perhaps in another process) moved or ended it first. Atomic on every database."""
        result = await self._session.execute(
            delete(FlowStateRow).where(
                FlowStateRow.user_id == user_id,
                FlowStateRow.flow == flow,
                FlowStateRow.revision == revision,
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def clear(self, user_id: int) -> bool:
        """End any flow; return whether there was one."""
        result = await self._session.execute(
            delete(FlowStateRow).where(FlowStateRow.user_id == user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
