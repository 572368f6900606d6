"""Role checks for services: every refusal raises NotAllowed and is written to the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories.audit import AuditRepository
from bot.domain.errors import NotAllowed
from bot.domain.roles import allowed
from bot.domain.units import Member
from bot.services.clock import Clock


class AccessService:
    """Check an action against the role table; audit refusals (and, if asked, successes)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def require(
        self,
        member: Member,
        action: str,
        *,
        unit_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Raise NotAllowed (after auditing the refusal) unless `member` may do `action`."""
        if allowed(member, action, unit_id):
            return
        await self.audit(member, action, unit_id=unit_id, outcome="refused", detail=detail)
        raise NotAllowed(action, member.role.value)

    async def audit(
        self,
        member: Member | None,
        action: str,
        *,
        unit_id: int | None = None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one audit entry in its own transaction."""
        async with self._sessions.begin() as session:
            await AuditRepository(session).add(
                at=self._clock(),
                actor_user_id=member.user_id if member else None,
                action=action,
                unit_id=unit_id,
                outcome=outcome,
                detail=detail or {},
            )
