"""Units: sync from content, list and search them, register a member to one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.units import UnitCatalog
from bot.db.models import UnitRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.flows import FlowRepository
from bot.db.repositories.units import UnitRepository
from bot.db.repositories.users import UserRepository
from bot.domain.errors import NotFound, StaleAction
from bot.domain.units import Unit, zone_on_joining
from bot.services.clock import Clock


def _unit(row: UnitRow, government_code: str) -> Unit:
    return Unit(
        id=row.id,
        code=row.code,
        name=row.name,
        type=row.type,
        government_code=government_code,
        timezone=row.timezone,
    )


async def active_units(session: AsyncSession) -> list[Unit]:
    """The active units, in content order, as domain objects (for services planning by unit)."""
    repo = UnitRepository(session)
    governments = {g.id: g.code for g in await repo.governments()}
    return [_unit(row, governments.get(row.government_id, "")) for row in await repo.list_active()]


class UnitService:
    """Use cases about units and registration."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def sync(self, catalog: UnitCatalog) -> None:
        """Make the database match units.yaml: upsert by code, archive units that disappeared.

        Idempotent: running it twice changes nothing the second time.
        """
        async with self._sessions.begin() as session:
            repo = UnitRepository(session)
            gov_ids = {}
            for gov in catalog.governments:
                gov_ids[gov.code] = (
                    await repo.upsert_government(gov.code, gov.name, gov.timezone)
                ).id
            for unit in catalog.units:
                await repo.upsert_unit(
                    code=unit.code,
                    name=unit.name,
                    type=unit.type,
                    government_id=gov_ids[unit.government],
                    timezone=catalog.zone_of(unit),
                )
            await repo.archive_missing({unit.code for unit in catalog.units})

    async def list_units(self) -> list[Unit]:
        """Active units in content order."""
        async with self._sessions() as session:
            return await active_units(session)

    async def get(self, unit_id: int) -> Unit:
        """One unit; NotFound if unknown or archived."""
        async with self._sessions() as session:
            repo = UnitRepository(session)
            row = await repo.get(unit_id)
            if row is None or row.archived:
                raise NotFound("unit", unit_id)
            governments = {g.id: g.code for g in await repo.governments()}
            return _unit(row, governments[row.government_id])

    async def register(
        self, *, user_id: int, unit_id: int, flow: tuple[str, int] | None = None
    ) -> Unit:
        """Put the member in `unit_id` (first registration or a change), audited.

        A coordinator who changes unit becomes a member: coordination is per unit. With
        `flow=(name, revision)` the user's flow must still be at that revision; it ends in the
        same transaction, so a doubled confirmation (even in two processes) registers once.

        Raises:
            NotFound: unknown or archived unit. StaleAction: the flow moved on or ended.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            if flow is not None and not await FlowRepository(session).take(
                user_id, flow=flow[0], revision=flow[1]
            ):
                raise StaleAction()
            units = UnitRepository(session)
            row = await units.get(unit_id)
            if row is None or row.archived:
                raise NotFound("unit", unit_id)
            user = await UserRepository(session).get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            previous = user.unit_id
            old_unit = await units.get(previous) if previous is not None else None
            user.timezone = zone_on_joining(
                user.timezone, old_unit.timezone if old_unit else None, row.timezone
            )
            user.unit_id = unit_id
            if previous is not None and previous != unit_id and user.role == "coordinator":
                user.role = "member"
            user.updated_at = now
            await AuditRepository(session).add(
                at=now,
                actor_user_id=user_id,
                action="unit.register",
                unit_id=unit_id,
                detail={"previous_unit_id": previous},
            )
            governments = {g.id: g.code for g in await units.governments()}
            return _unit(row, governments[row.government_id])
