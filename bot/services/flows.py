"""Flow state as plain data: which step of which flow a user is at (persisted, not in memory)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories.flows import FlowRepository
from bot.services.clock import Clock


@dataclass(frozen=True, slots=True)
class Flow:
    """A snapshot of a user's flow; `revision` increases with every step."""

    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    revision: int = 0


class FlowService:
    """Start, advance and end flows; every change is committed at once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, user_id: int) -> Flow | None:
        """The user's flow, if one is in progress."""
        async with self._sessions() as session:
            row = await FlowRepository(session).get(user_id)
            return None if row is None else Flow(row.flow, row.step, dict(row.data), row.revision)

    async def put(
        self, user_id: int, name: str, step: str, data: dict[str, Any] | None = None
    ) -> Flow:
        """Start a flow or move it to `step` with `data`."""
        async with self._sessions.begin() as session:
            row = await FlowRepository(session).put(
                user_id, flow=name, step=step, data=data or {}, now=self._clock()
            )
            return Flow(row.flow, row.step, dict(row.data), row.revision)

    async def clear(self, user_id: int) -> bool:
        """End the user's flow; True if one was in progress."""
        async with self._sessions.begin() as session:
            return await FlowRepository(session).clear(user_id)
