"""User administration: list users, change roles, deactivate, forget (admins and operators)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import UnitRow, UserRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.evidence import EvidenceRepository
from bot.db.repositories.flows import FlowRepository
from bot.db.repositories.units import UnitRepository
from bot.db.repositories.users import UserRepository
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.units import Member, Role
from bot.domain.users import UserSummary, can_change_role, is_forgotten
from bot.services.access import AccessService
from bot.services.clock import Clock


@dataclass(frozen=True, slots=True)
class Operator:
    """Whoever runs the command line on the server: trusted, but still audited."""

    name: str = "cli"


OPERATOR = Operator()
Actor = Member | Operator


@dataclass(frozen=True, slots=True)
class ForgetReport:
    """What `forget` did."""

    user_id: int
    flows_cleared: bool
    evidence_detached: int


class UserAdminService:
    """Every method checks the actor's role here (not only in the UI) and writes the audit log."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        access: AccessService,
        *,
        admin_ids: frozenset[int],
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._access = access
        self._admin_ids = admin_ids

    def _summary(self, row: UserRow, unit_name: str | None) -> UserSummary:
        settings_admin = row.telegram_id in self._admin_ids
        return UserSummary(
            user_id=row.id,
            telegram_id=row.telegram_id,
            display_name=row.display_name,
            role=Role.ADMIN if settings_admin else Role(row.role),
            unit_id=row.unit_id,
            unit_name=unit_name,
            active=row.active,
            last_seen_at=row.last_seen_at,
            settings_admin=settings_admin,
            forgotten=is_forgotten(row.telegram_id),
        )

    async def _require(
        self, actor: Actor, action: str, unit_id: int | None, detail: dict[str, Any]
    ) -> None:
        if isinstance(actor, Member):
            await self._access.require(actor, action, unit_id=unit_id, detail=detail)

    async def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        action: str,
        *,
        unit_id: int | None,
        outcome: str = "ok",
        detail: dict[str, Any],
    ) -> None:
        actor_id = actor.user_id if isinstance(actor, Member) else None
        if isinstance(actor, Operator):
            detail = {**detail, "via": actor.name}
        await AuditRepository(session).add(
            at=self._clock(),
            actor_user_id=actor_id,
            action=action,
            unit_id=unit_id,
            outcome=outcome,
            detail=detail,
        )

    async def list_users(self, actor: Actor) -> list[UserSummary]:
        """Every user with unit, role and last activity, grouped by unit (admins only)."""
        await self._require(actor, "users.list", None, {})
        async with self._sessions() as session:
            names = {u.id: u.name for u in (await session.scalars(select(UnitRow))).all()}
            rows = await UserRepository(session).list_all()
            return [
                self._summary(row, names.get(row.unit_id) if row.unit_id else None) for row in rows
            ]

    async def get_user(self, actor: Actor, user_id: int) -> UserSummary:
        """One user's line (admins only)."""
        await self._require(actor, "users.list", None, {"user_id": user_id})
        async with self._sessions() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            return await self._with_unit(session, row)

    async def find_by_telegram_id(self, actor: Operator, telegram_id: int) -> UserSummary:
        """The user with this Telegram id (how operators name users on the command line)."""
        async with self._sessions() as session:
            row = await UserRepository(session).by_telegram_id(telegram_id)
            if row is None:
                raise NotFound("user", telegram_id)
            return await self._with_unit(session, row)

    async def _with_unit(self, session: AsyncSession, row: UserRow) -> UserSummary:
        unit = await UnitRepository(session).get(row.unit_id) if row.unit_id else None
        return self._summary(row, unit.name if unit else None)

    async def set_role(
        self, actor: Actor, user_id: int, role: Role, *, unit_code: str | None = None
    ) -> UserSummary:
        """Make a user admin, coordinator of their unit (or of `unit_code`), or plain member.

        Raises:
            NotAllowed: the actor is not an admin (audited).
            NotFound: no such user or unit.
            InvalidInput: ``user/settings_admin`` (admins from BOT_ADMIN_IDS cannot be demoted),
                ``user/no_unit`` (a coordinator needs a unit), ``user/forgotten``.
        """
        action = "users.demote" if role is Role.MEMBER else "users.promote"
        async with self._sessions() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            target_unit = row.unit_id
        detail: dict[str, Any] = {"user_id": user_id, "to": role.value}
        await self._require(actor, action, target_unit, detail)
        async with self._sessions.begin() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            summary = await self._with_unit(session, row)
            reason = None
            if not can_change_role(summary, role):
                reason = "settings_admin"
            elif summary.forgotten:
                reason = "forgotten"
            elif role is Role.COORDINATOR:
                if unit_code is not None:
                    unit = await session.scalar(select(UnitRow).where(UnitRow.code == unit_code))
                    if unit is None or unit.archived:
                        raise NotFound("unit", unit_code)
                    row.unit_id = unit.id
                if row.unit_id is None:
                    reason = "no_unit"
            if reason is not None:
                await self._audit(
                    session,
                    actor,
                    action,
                    unit_id=row.unit_id,
                    outcome="refused",
                    detail={**detail, "reason": reason},
                )
            else:
                detail["from"] = row.role
                row.role = role.value
                row.updated_at = self._clock()
                await self._audit(session, actor, action, unit_id=row.unit_id, detail=detail)
                return await self._with_unit(session, row)
        # The refusal is committed above; only then tell the caller.
        raise InvalidInput("user", reason or "refused")

    async def set_active(self, actor: Actor, user_id: int, active: bool) -> UserSummary:
        """Deactivate a user (no more messages, no staff rights) or reactivate them.

        Raises NotAllowed (audited), NotFound, or InvalidInput ``user/settings_admin``.
        """
        async with self._sessions() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            target_unit = row.unit_id
        detail: dict[str, Any] = {"user_id": user_id, "active": active}
        await self._require(actor, "users.deactivate", target_unit, detail)
        async with self._sessions.begin() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            if row.telegram_id in self._admin_ids and not active:
                await self._audit(
                    session,
                    actor,
                    "users.deactivate",
                    unit_id=row.unit_id,
                    outcome="refused",
                    detail={**detail, "reason": "settings_admin"},
                )
            else:
                now = self._clock()
                row.active = active
                row.deactivated_at = None if active else now
                row.updated_at = now
                await self._audit(
                    session, actor, "users.deactivate", unit_id=row.unit_id, detail=detail
                )
                return await self._with_unit(session, row)
        raise InvalidInput("user", "settings_admin")

    async def forget(self, actor: Operator, user_id: int) -> ForgetReport:
        """Remove a user's personal data, keeping the row so unit aggregates stay consistent.

        Name, chat id, language, zone and last activity are erased and the Telegram id is replaced
        by the negative row id (a later message from that person starts a fresh user). Flow
        state is deleted. Evidence files stay with their unit (they are the unit's documents)
        but no longer name the uploader. The user is deactivated and becomes a plain member; the
        audit log keeps the row id only.
        """
        async with self._sessions.begin() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            flows = await FlowRepository(session).clear(user_id)
            detached = await EvidenceRepository(session).detach_uploader(user_id)
            now = self._clock()
            row.telegram_id = -row.id
            row.chat_id = None
            row.display_name = ""
            row.language = None
            row.timezone = None
            row.last_seen_at = None
            row.role = Role.MEMBER.value
            row.active, row.muted, row.blocked = False, True, False
            row.deactivated_at = now
            row.updated_at = now
            await self._audit(
                session,
                actor,
                "users.forget",
                unit_id=row.unit_id,
                detail={"user_id": user_id, "evidence_detached": detached},
            )
            return ForgetReport(user_id, flows, detached)
