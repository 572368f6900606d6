"""Membership with consent: join requests, their decision, and who is told (services layer).

The rules are in bot/domain/membership.py. Every join, request, approval, refusal and role
loss is written to the audit log in the same transaction as the change itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import JoinRequestRow, UnitRow, UserRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.flows import FlowRepository
from bot.db.repositories.membership import MembershipRepository
from bot.db.repositories.units import UnitRepository
from bot.db.repositories.users import UserRepository
from bot.domain.errors import NotFound, StaleAction
from bot.domain.membership import (
    Decision,
    JoinOutcome,
    JoinPath,
    JoinRequest,
    Person,
    RequestStatus,
    join_path,
)
from bot.domain.units import Member, Role, zone_on_joining
from bot.services.access import AccessService
from bot.services.clock import Clock


class MembershipService:
    """Joining a unit, deciding requests; returns the people the transport has to tell."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        access: AccessService,
        *,
        admin_ids: frozenset[int],
        open_join: bool,
        default_locale: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._access = access
        self._admin_ids = admin_ids
        self._open_join = open_join
        self._default_locale = default_locale

    def _person(self, row: UserRow) -> Person | None:
        if row.chat_id is None or not row.active:
            return None
        return Person(row.id, row.chat_id, row.display_name, row.language or self._default_locale)

    def _people(self, rows: list[UserRow], *, without: int) -> tuple[Person, ...]:
        seen: set[int] = set()
        people = []
        for row in rows:
            person = self._person(row)
            if person is not None and row.id != without and row.id not in seen:
                seen.add(row.id)
                people.append(person)
        return tuple(people)

    async def join(
        self, member: Member, unit_id: int, *, flow: tuple[str, int] | None = None
    ) -> JoinOutcome:
        """Register `member` to `unit_id`: at once, or as a request to the unit's deciders.

        Leaving the previous unit happens now either way (a coordinator loses the role).
        With `flow=(name, revision)` the flow must still be at that revision (a doubled
        confirmation registers once).

        Raises:
            NotFound: unknown or archived unit, or unknown user. StaleAction: the flow moved on.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            if flow is not None and not await FlowRepository(session).take(
                member.user_id, flow=flow[0], revision=flow[1]
            ):
                raise StaleAction()
            unit = await UnitRepository(session).get(unit_id)
            user = await UserRepository(session).get(member.user_id)
            if unit is None or unit.archived or user is None:
                raise NotFound("unit", unit_id)
            repo = MembershipRepository(session)
            coordinators = [r for r in await repo.coordinators(unit_id) if r.id != user.id]
            admins = [r for r in await repo.admins(self._admin_ids) if r.id != user.id]
            path = join_path(
                member,
                unit_id,
                coordinators=len(coordinators),
                admins=len(admins),
                open_join=self._open_join,
            )
            await self._withdraw_pending(session, user, now)
            if path is JoinPath.ALREADY:
                return JoinOutcome(path, unit_id, unit.name, None, (), None, False, ())
            previous = user.unit_id
            old_zone = await self._unit_zone(session, previous)
            left_name, lost_role, told = await self._leave(session, user, admins, now)
            request = None
            deciders: tuple[Person, ...] = ()
            if path is JoinPath.DIRECT:
                user.unit_id = unit_id
                user.timezone = zone_on_joining(user.timezone, old_zone, unit.timezone)
                counted = await repo.count_in(user.id, unit_id)
                await self._audit(
                    session,
                    user.id,
                    "unit.register",
                    unit_id,
                    previous_unit_id=previous,
                    counted=counted,
                )
            else:
                row = await repo.add_request(
                    user_id=user.id, unit_id=unit_id, from_unit_id=previous, now=now
                )
                user.pending_unit_id = unit_id
                await self._audit(session, user.id, "unit.join_request", unit_id, request=row.id)
                request = self._request(row, user, unit, left_name)
                deciders = self._people([*coordinators, *admins], without=user.id)
            user.updated_at = now
            return JoinOutcome(
                path, unit_id, unit.name, request, deciders, left_name, lost_role, told
            )

    @staticmethod
    async def _unit_zone(session: AsyncSession, unit_id: int | None) -> str | None:
        """The time zone of `unit_id` (None for no unit or an unknown one)."""
        unit = await UnitRepository(session).get(unit_id) if unit_id is not None else None
        return unit.timezone if unit is not None else None

    async def _withdraw_pending(self, session: AsyncSession, user: UserRow, now: Any) -> None:
        repo = MembershipRepository(session)
        for row in await repo.pending_for_user(user.id):
            if await repo.decide(row.id, status=RequestStatus.WITHDRAWN, by=user.id, now=now):
                await self._audit(
                    session, user.id, "unit.join_withdraw", row.unit_id, request=row.id
                )
        user.pending_unit_id = None

    async def _leave(
        self, session: AsyncSession, user: UserRow, admins: list[UserRow], now: Any
    ) -> tuple[str | None, bool, tuple[Person, ...]]:
        """Leave the current unit (if any): (its name, whether a role was lost, who to tell)."""
        previous = user.unit_id
        if previous is None:
            return None, False, ()
        old = await UnitRepository(session).get(previous)
        lost_role = user.role == Role.COORDINATOR.value
        user.unit_id = None
        if lost_role:
            user.role = Role.MEMBER.value
            await self._audit(session, user.id, "unit.role_lost", previous, role="coordinator")
        await self._audit(session, user.id, "unit.leave", previous)
        coordinators = list(await MembershipRepository(session).coordinators(previous))
        told = self._people(coordinators + (admins if lost_role else []), without=user.id)
        return (old.name if old else None), lost_role, told

    async def decide(self, member: Member, request_id: int, *, accept: bool) -> Decision:
        """Accept or refuse a join request (the unit's coordinators and admins only).

        Raises:
            NotFound: no such request. NotAllowed: not a decider for the unit (audited).
            StaleAction: decided already (another decider, a double press) or withdrawn.
        """
        async with self._sessions() as session:
            row = await MembershipRepository(session).get_request(request_id)
            if row is None:
                raise NotFound("join_request", request_id)
            unit_id = row.unit_id
        await self._access.require(
            member, "membership.decide", unit_id=unit_id, detail={"request": request_id}
        )
        now = self._clock()
        status = RequestStatus.ACCEPTED if accept else RequestStatus.REFUSED
        async with self._sessions.begin() as session:
            repo = MembershipRepository(session)
            if not await repo.decide(request_id, status=status, by=member.user_id, now=now):
                raise StaleAction()
            row = await repo.get_request(request_id)
            assert row is not None  # just moved it
            await session.refresh(row)
            user = await UserRepository(session).get(row.user_id)
            unit = await UnitRepository(session).get(row.unit_id)
            if user is None or unit is None:
                raise NotFound("join_request", request_id)
            counted = 0
            if user.pending_unit_id == row.unit_id:
                user.pending_unit_id = None
                if accept:
                    user.unit_id = row.unit_id
                    old_zone = await self._unit_zone(session, row.from_unit_id)
                    user.timezone = zone_on_joining(user.timezone, old_zone, unit.timezone)
                    user.updated_at = now
                    counted = await repo.count_in(user.id, row.unit_id)
            action = "unit.join_accept" if accept else "unit.join_refuse"
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action=action,
                unit_id=row.unit_id,
                detail={"request": request_id, "user_id": user.id, "counted": counted},
            )
            return Decision(
                self._request(row, user, unit, None),
                accept,
                member.display_name,
                self._person(user),
                counted,
            )

    async def pending(self, member: Member) -> JoinRequest | None:
        """The member's open join request, if any."""
        async with self._sessions() as session:
            rows = await MembershipRepository(session).pending_for_user(member.user_id)
            if not rows:
                return None
            user = await UserRepository(session).get(member.user_id)
            unit = await UnitRepository(session).get(rows[-1].unit_id)
            if user is None or unit is None:
                return None
            return self._request(rows[-1], user, unit, None)

    def _request(
        self, row: JoinRequestRow, user: UserRow, unit: UnitRow, previous: str | None
    ) -> JoinRequest:
        return JoinRequest(
            id=row.id,
            user_id=user.id,
            display_name=user.display_name,
            unit_id=unit.id,
            unit_name=unit.name,
            status=RequestStatus(row.status),
            created_at=row.created_at,
            previous_unit_name=previous,
        )

    async def _audit(
        self, session: AsyncSession, actor: int, action: str, unit_id: int | None, **detail: Any
    ) -> None:
        await AuditRepository(session).add(
            at=self._clock(), actor_user_id=actor, action=action, unit_id=unit_id, detail=detail
        )
