"""The readiness recap (/rekap and `python -m bot export`): every unit's standing in one place.

Scores come from SelfCheckService (the same merged answers and government estimate as /skor);
this service adds deadlines, quiz mastery, members and evidence, and limits what a person sees:
admins get every active unit, coordinators their own unit only, anyone else is refused (and the
refusal is audited by AccessService).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import UnitRow
from bot.db.repositories.evidence import EvidenceRepository
from bot.db.repositories.recap import RecapRepository
from bot.db.repositories.reminders import ReminderRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.deadlines import ALL_UNITS
from bot.domain.errors import NotFound
from bot.domain.methodology import Methodology
from bot.domain.recap import (
    DeadlineUnitState,
    IndicatorLine,
    Recap,
    UnitRecap,
    is_late,
    weakest_indicators,
)
from bot.domain.roles import allowed
from bot.domain.scoring import indicator_share
from bot.domain.units import Member, Unit
from bot.services.access import AccessService
from bot.services.clock import Clock
from bot.services.reminders import resolve_scope
from bot.services.selfcheck import SelfCheckService

ACTION = "recap.view"


class RecapService:
    """Build the recap for a member (admin: all units; coordinator: own unit)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        content: ContentBundle,
        access: AccessService,
        selfcheck: SelfCheckService,
        *,
        default_tz: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._content = content
        self._access = access
        self._selfcheck = selfcheck
        self._default_tz = default_tz

    async def recap(self, member: Member) -> Recap:
        """The recap the member may see.

        Raises:
            NotAllowed: a plain member (audited). NotFound: the coordinator has no unit.
        """
        everything = allowed(member, ACTION, None)
        await self._access.require(member, ACTION, unit_id=None if everything else member.unit_id)
        only = None if everything else member.unit_id
        if not everything and only is None:
            raise NotFound("unit", None)
        recap = await self.build(unit_id=only)
        await self._access.audit(member, ACTION, unit_id=only, detail={"units": len(recap.units)})
        return recap

    async def build(self, *, unit_id: int | None = None) -> Recap:
        """The recap of every active unit, or of one (no role check: operators and callers
        that checked already)."""
        edition = self._selfcheck.current_edition
        methodology = self._content.methodologies[edition]
        now = self._clock()
        async with self._sessions() as session:
            unit_repo = UnitRepository(session)
            rows = [u for u in await unit_repo.list_active() if unit_id is None or u.id == unit_id]
            if unit_id is not None and not rows:
                raise NotFound("unit", unit_id)
            governments = {g.id: g for g in await unit_repo.governments()}
            all_units = [
                Unit(
                    id=r.id,
                    code=r.code,
                    name=r.name,
                    type=r.type,
                    government_code=governments[r.government_id].code
                    if r.government_id in governments
                    else "",
                    timezone=r.timezone,
                )
                for r in await unit_repo.list_active()
            ]
            ids = [r.id for r in rows]
            counts = RecapRepository(session)
            quiz = await counts.quiz_counts(ids)
            members = await counts.active_members(ids)
            evidence = {
                uid: {
                    e.indicator_id
                    for e in await EvidenceRepository(session).list_for_unit(
                        unit_id=uid, edition=edition
                    )
                    if e.indicator_id
                }
                for uid in ids
            }
            deadlines = await self._deadlines(session, rows, all_units, now)
        standings = await self._selfcheck.unit_standings(ids, edition=edition)
        government_id = _main_government(rows)
        estimate = (
            await self._selfcheck.government_estimate(government_id, edition=edition)
            if government_id is not None
            else None
        )
        government = governments.get(government_id) if government_id is not None else None
        per_unit_deadlines = Counter(d.unit_id for d in deadlines)
        done = Counter(d.unit_id for d in deadlines if d.done_at is not None)
        late = Counter(d.unit_id for d in deadlines if d.late)
        lines = []
        for row in rows:
            standing = standings[row.id]
            result = standing.result
            category = result.category if result is not None else None
            correct, answered = quiz.get(row.id, (0, 0))
            lines.append(
                UnitRecap(
                    unit_id=row.id,
                    code=row.code,
                    name=row.name,
                    type=row.type,
                    score=result.score if result is not None else None,
                    category_code=category.code if category else None,
                    category_label=category.label if category else None,
                    coverage=result.coverage if result is not None else None,
                    last_answer_at=standing.last_answer_at,
                    deadlines_done=done[row.id],
                    deadlines_total=per_unit_deadlines[row.id],
                    deadlines_late=late[row.id],
                    quiz_correct=correct,
                    quiz_answered=answered,
                    active_members=members.get(row.id, 0),
                    indicators=_indicator_lines(
                        methodology, standing.values, evidence.get(row.id, set())
                    ),
                )
            )
        shares = {i.id: indicator_share(methodology, i.id) for i in methodology.indicators}
        weakest = weakest_indicators(methodology, [standings[i].values for i in ids], shares)
        return Recap(
            edition=edition,
            generated_at=now,
            timezone=government.timezone if government is not None else self._default_tz,
            government_name=(
                estimate.name
                if estimate is not None
                else government.name
                if government is not None
                else ""
            ),
            government_score=estimate.score if estimate is not None else None,
            government_category=estimate.category_label if estimate is not None else None,
            units=tuple(lines),
            weakest=tuple(weakest),
            deadlines=tuple(deadlines),
            categories=methodology.categories,
        )

    async def _deadlines(
        self, session: AsyncSession, rows: Sequence[UnitRow], all_units: list[Unit], now: datetime
    ) -> list[DeadlineUnitState]:
        repo = ReminderRepository(session)
        deadline_rows = await repo.deadlines()
        done = {
            (c.deadline_id, c.unit_id): c.done_at
            for c in await repo.completions([d.id for d in deadline_rows])
        }
        files = await EvidenceRepository(session).count_by_deadline_and_unit(
            d.id for d in deadline_rows
        )
        states: list[DeadlineUnitState] = []
        for deadline in deadline_rows:
            scope = resolve_scope(deadline.units, all_units)
            for row in rows:
                if scope != ALL_UNITS and row.id not in scope:
                    continue
                done_at = done.get((deadline.id, row.id))
                states.append(
                    DeadlineUnitState(
                        deadline_id=deadline.id,
                        title=deadline.title,
                        due_at=deadline.due_at,
                        unit_id=row.id,
                        unit_name=row.name,
                        done_at=done_at,
                        late=is_late(deadline.due_at, done_at, now),
                        evidence=files.get((deadline.id, row.id), 0),
                    )
                )
        return states


def _main_government(rows: Sequence[UnitRow]) -> int | None:
    """The government most of the shown units belong to (normally there is only one)."""
    counted = Counter(r.government_id for r in rows)
    return counted.most_common(1)[0][0] if counted else None


def _indicator_lines(
    methodology: Methodology, values: dict[str, int], evidence: set[str]
) -> tuple[IndicatorLine, ...]:
    lines = []
    for dimension in methodology.all_dimensions:
        for indicator in dimension.indicators:
            value = values.get(indicator.id)
            label = next((o.label for o in indicator.options if o.value == value), None)
            lines.append(
                IndicatorLine(
                    indicator.id,
                    indicator.name,
                    dimension.name,
                    value,
                    label,
                    indicator.id in evidence,
                )
            )
    return tuple(lines)
