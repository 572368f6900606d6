"""The readiness recap (/rekap and `python -m bot export`): every unit's standing in one place.

Scores come from SelfCheckService (the same merged answers and government estimate as /skor);
this service adds deadlines, quiz mastery, members and evidence, and limits what a person sees:
admins get every active unit, coordinators their own unit only, anyone else is refused (and the
refusal is audited by AccessService).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import GovernmentRow, RecapSnapshotRow, UnitRow
from bot.db.repositories.evidence import EvidenceRepository
from bot.db.repositories.recap import RecapRepository
from bot.db.repositories.reminders import ReminderRepository
from bot.db.repositories.selfcheck import SelfCheckRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.deadlines import ALL_UNITS
from bot.domain.editions import editions_with_indicators
from bot.domain.errors import NotFound
from bot.domain.methodology import Methodology
from bot.domain.recap import (
    DeadlineUnitState,
    DimensionScore,
    IndicatorLine,
    Previous,
    Recap,
    ScorePoint,
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
from bot.services.selfcheck import SelfCheckService, UnitStanding

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

    async def recap(
        self,
        member: Member,
        *,
        edition: str | None = None,
        remember: bool = True,
        before: datetime | None = None,
    ) -> Recap:
        """The recap the member may see, in `edition` (default: the edition in force).

        `remember` stores the figures shown so the next report can say what changed (False
        for paging through a report already shown); `before` compares with the reports made
        before that moment only (the moment the report being paged was first shown).

        Raises:
            NotAllowed: a plain member (audited). NotFound: the coordinator has no unit, or
            the edition has no self-check.
        """
        everything = allowed(member, ACTION, None)
        await self._access.require(member, ACTION, unit_id=None if everything else member.unit_id)
        only = None if everything else member.unit_id
        if not everything and only is None:
            raise NotFound("unit", None)
        recap = await self.build(unit_id=only, edition=edition, before=before)
        if remember:
            await self._remember(recap, only)
        await self._access.audit(
            member,
            ACTION,
            unit_id=only,
            detail={"units": len(recap.units), "edition": recap.edition},
        )
        return recap

    def editions(self) -> list[str]:
        """Editions the recap can be built for (with self-check indicators), newest first."""
        return editions_with_indicators(self._content.methodologies)

    def edition(self, edition: str | None = None) -> str:
        """`edition` if it can be scored, else NotFound; None: the default edition (BOT_EDITION,
        else the edition in force), the same one /cek and /skor use."""
        usable = editions_with_indicators(self._content.methodologies)
        chosen = edition or self._selfcheck.current_edition
        if chosen is None or chosen not in usable:
            raise NotFound("edition", edition)
        return chosen

    async def build(
        self,
        *,
        unit_id: int | None = None,
        edition: str | None = None,
        before: datetime | None = None,
    ) -> Recap:
        """The recap of every active unit, or of one (no role check: operators and callers
        that checked already). Reads the previous report but stores nothing.

        Raises:
            NotFound: unknown unit, or an edition without self-check indicators.
        """
        edition = self.edition(edition)
        methodology = self._content.methodologies[edition]
        now = self._clock()
        async with self._sessions() as session:
            unit_repo = UnitRepository(session)
            active = await unit_repo.list_active()
            rows = [u for u in active if unit_id is None or u.id == unit_id]
            if unit_id is not None and not rows:
                raise NotFound("unit", unit_id)
            governments = {g.id: g for g in await unit_repo.governments()}
            facts = await self._facts(session, rows, edition, before or now)
            deadlines = await self._deadlines(
                session, rows, [_unit(r, governments) for r in active], now
            )
        standings = await self._selfcheck.unit_standings(facts.ids, edition=edition)
        government_id = _main_government(rows)
        estimate = (
            await self._selfcheck.government_estimate(government_id, edition=edition)
            if government_id is not None
            else None
        )
        government = governments.get(government_id) if government_id is not None else None
        lines = [_unit_line(row, standings[row.id], facts, deadlines, methodology) for row in rows]
        shares = {i.id: indicator_share(methodology, i.id) for i in methodology.indicators}
        weakest = weakest_indicators(
            methodology,
            [standings[i].values for i in facts.ids],
            shares,
            names=[r.name for r in rows],
        )
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
            government_category_code=estimate.category_code if estimate is not None else None,
            units_covered=estimate.units_covered if estimate is not None else 0,
            units_total=(
                estimate.units_total
                if estimate is not None
                else sum(1 for r in active if r.government_id == government_id)
            ),
            dimension_names=tuple(d.name for d in methodology.all_dimensions),
            editions=tuple(editions_with_indicators(self._content.methodologies)),
        )

    async def _facts(
        self, session: AsyncSession, rows: Sequence[UnitRow], edition: str, before: datetime
    ) -> _Facts:
        """Everything per unit that does not come from the merged answers."""
        ids = [r.id for r in rows]
        counts = RecapRepository(session)
        evidence_repo = EvidenceRepository(session)
        evidence: dict[int, list[str | None]] = {}
        for uid in ids:
            files = await evidence_repo.list_for_unit(unit_id=uid, edition=edition)
            evidence[uid] = [e.indicator_id for e in files]
        selfcheck = SelfCheckRepository(session)
        trends = {}
        for uid in ids:
            trends[uid] = tuple(
                ScorePoint(r.finished_at, Decimal(r.score))
                for r in await selfcheck.finished(unit_id=uid, edition=edition)
                if r.finished_at is not None and r.score is not None
            )
        return _Facts(
            ids=ids,
            quiz=await counts.quiz_counts(ids),
            members=await counts.active_members(ids),
            coordinators=await counts.coordinators(ids),
            evidence=evidence,
            finished=await selfcheck.units_with_finished(edition),
            trends=trends,
            previous=_previous(await counts.snapshots(edition, before=before, unit_ids=ids), ids),
        )

    async def _remember(self, recap: Recap, scope: int | None) -> None:
        figures = {
            str(u.unit_id): {
                "score": str(u.score) if u.score is not None else None,
                "coverage": str(u.coverage) if u.coverage is not None else None,
            }
            for u in recap.units
        }
        async with self._sessions() as session, session.begin():
            await RecapRepository(session).add_snapshot(
                at=recap.generated_at, edition=recap.edition, unit_id=scope, figures=figures
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


@dataclass(frozen=True)
class _Facts:
    ids: list[int]
    quiz: dict[int, tuple[int, int]]
    members: dict[int, int]
    coordinators: dict[int, list[str]]
    evidence: dict[int, list[str | None]]
    finished: set[int]
    trends: dict[int, tuple[ScorePoint, ...]]
    previous: dict[int, Previous]


def _unit(row: UnitRow, governments: Mapping[int, GovernmentRow]) -> Unit:
    government = governments.get(row.government_id)
    return Unit(
        id=row.id,
        code=row.code,
        name=row.name,
        type=row.type,
        government_code=government.code if government is not None else "",
        timezone=row.timezone,
    )


def _decimal(text: object) -> Decimal | None:
    return Decimal(str(text)) if text is not None else None


def _previous(snapshots: Sequence[RecapSnapshotRow], ids: Sequence[int]) -> dict[int, Previous]:
    """Per unit, its figures in the newest snapshot that showed it."""
    found: dict[int, Previous] = {}
    for snapshot in snapshots:  # newest first
        for uid in ids:
            figures = snapshot.figures.get(str(uid))
            if uid in found or not isinstance(figures, dict):
                continue
            found[uid] = Previous(
                snapshot.created_at,
                _decimal(figures.get("score")),
                _decimal(figures.get("coverage")),
            )
    return found


def _unit_line(
    row: UnitRow,
    standing: UnitStanding,
    facts: _Facts,
    deadlines: Sequence[DeadlineUnitState],
    methodology: Methodology,
) -> UnitRecap:
    result = standing.result
    category = result.category if result is not None else None
    correct, answered = facts.quiz.get(row.id, (0, 0))
    own = [d for d in deadlines if d.unit_id == row.id]
    files = facts.evidence.get(row.id, [])
    return UnitRecap(
        unit_id=row.id,
        code=row.code,
        name=row.name,
        type=row.type,
        score=result.score if result is not None else None,
        category_code=category.code if category else None,
        category_label=category.label if category else None,
        coverage=result.coverage if result is not None else None,
        last_answer_at=standing.last_answer_at,
        deadlines_done=sum(1 for d in own if d.done_at is not None),
        deadlines_total=len(own),
        deadlines_late=sum(1 for d in own if d.late),
        quiz_correct=correct,
        quiz_answered=answered,
        active_members=facts.members.get(row.id, 0),
        indicators=_indicator_lines(methodology, standing.values, {i for i in files if i}),
        dimensions=tuple(
            DimensionScore(d.id, d.name, d.score, d.coverage) for d in result.dimensions
        )
        if result is not None
        else tuple(
            DimensionScore(d.id, d.name, None, Decimal(0)) for d in methodology.all_dimensions
        ),
        finished=row.id in facts.finished,
        coordinators=tuple(facts.coordinators.get(row.id, ())),
        trend=facts.trends.get(row.id, ()),
        evidence_files=len(files),
        previous=facts.previous.get(row.id),
    )


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
                    indicator.best.value,
                )
            )
    return tuple(lines)
