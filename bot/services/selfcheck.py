"""Self-check (/cek) and results (/skor): every answer is committed the moment it is given.

Decisions (documented for the unit and government views):

* A user has at most one open session; /cek resumes it at the first indicator that has no
  answer row yet. "Lewati" means "leave it as it is": on an indicator without an answer in the
  session it writes a row with value NULL (so resume passes it over; it counts as unanswered,
  never as 0 or full marks); on an indicator that has an answer it writes nothing at all.
* The unit's result uses the latest *given* answer per indicator across all sessions of the
  people the unit trusts (``counted`` answers, see domain/membership.py), so two members working
  at once each keep their own session, and whoever answered an indicator last decides it.
  One function (``_unit_result``) computes it for the result card, /skor, the government
  estimate, /rekap and the exports, so they always agree.
* The result card of someone the unit has not accepted yet is personal: scored on that
  session's own answers and labelled as not counting for the unit.
* Every change of a unit's value of an indicator is audited (who, when, old -> new).
* The government's predicted score is the mean of the unit results of every unit of the same
  government that finished at least one self-check in the edition.
* Buttons carry the session id and its step number; each action moves the step forward with a
  compare-and-set, so a double press, an old button or another user's button changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import SelfCheckAnswerRow, SelfCheckSessionRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.selfcheck import SelfCheckRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.editions import edition_in_force, editions_with_indicators
from bot.domain.errors import InvalidAnswer, NotFound, NotRegistered, StaleAction
from bot.domain.membership import answer_counts
from bot.domain.methodology import Indicator, Methodology
from bot.domain.scoring import UnitResult, classify, government_score, score_unit, top_gains
from bot.domain.selfcheck import (
    AnswerEvent,
    GovernmentEstimate,
    Improvement,
    Notice,
    Paused,
    Question,
    SelfCheckResult,
    TrendPoint,
    UnitScoreboard,
    given_values,
    merge_unit,
    next_unrecorded,
    position_of,
    previous_indicator,
    session_answers,
)
from bot.domain.units import Member
from bot.services.access import AccessService
from bot.services.clock import Clock

Step = Question | SelfCheckResult
IMPROVEMENTS = 3


def _events(rows: Sequence[SelfCheckAnswerRow]) -> list[AnswerEvent]:
    return [AnswerEvent(row.indicator_id, row.value, row.answered_at, row.id) for row in rows]


def _valid(methodology: Methodology, values: dict[str, int]) -> dict[str, int]:
    """Drop values that no longer fit a known indicator's options (content changed)."""
    kept: dict[str, int] = {}
    for indicator_id, value in values.items():
        indicator = methodology.indicator(indicator_id)
        if indicator is None or any(option.value == value for option in indicator.options):
            kept[indicator_id] = value
    return kept


def _unit_result(methodology: Methodology, values: dict[str, int]) -> UnitResult | None:
    """The one unit-score function: every view of a unit's score goes through it."""
    return score_unit(methodology, values) if values else None


class SelfCheckService:
    """Use cases of the self-check and the scoring store."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        content: ContentBundle,
        access: AccessService,
        *,
        current_edition: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._content = content
        self._access = access
        self._current = current_edition

    # -- editions ---------------------------------------------------------------------------

    def editions(self) -> list[str]:
        """Editions that have self-check questions: the current one first, then newest first."""
        usable = editions_with_indicators(self._content.methodologies)
        if self._current in usable:
            usable.remove(self._current)
            usable.insert(0, self._current)
        return usable

    @property
    def current_edition(self) -> str:
        """The default edition: /cek offers it first, /skor and the recap show it unless asked.

        It is BOT_EDITION, else the edition in force (see `bot.domain.editions`).
        """
        return self._current

    @property
    def edition_in_force(self) -> str | None:
        """The newest edition with indicators (the method units are assessed with now)."""
        return edition_in_force(self._content.methodologies)

    def _methodology(self, edition: str) -> Methodology:
        methodology = self._content.methodologies.get(edition)
        if methodology is None or not methodology.indicators:
            raise NotFound("edition", edition)
        return methodology

    # -- the flow ---------------------------------------------------------------------------

    async def resume(self, member: Member) -> Step | None:
        """Continue the member's open session at the next unanswered indicator, if any."""
        async with self._sessions.begin() as session:
            repo = SelfCheckRepository(session)
            row = await repo.open_for_user(member.user_id)
            if row is None:
                return None
            methodology = self._content.methodologies.get(row.edition)
            if methodology is None or not methodology.indicators:
                row.status = "abandoned"
                return None
            recorded = session_answers(_events(await repo.answers(row.id, unit_id=row.unit_id)))
            target = next_unrecorded(methodology.indicators, recorded)
            return await self._move(
                session, row, methodology, recorded, target, step=row.step, notice=Notice.RESUMED
            )

    async def start(self, member: Member, *, edition: str, unit_id: int | None) -> Step:
        """Open a session for `unit_id` (default: the member's unit), or resume the open one.

        Raises:
            NotFound: unknown edition or unit. NotAllowed: another unit without the role.
            NotRegistered: no unit given and the member has none.
        """
        resumed = await self.resume(member)
        if resumed is not None:
            return resumed
        methodology = self._methodology(edition)
        target_unit = unit_id if unit_id is not None else member.unit_id or member.pending_unit_id
        if target_unit is None:
            raise NotRegistered()
        # Someone waiting to join may run a personal self-check of the unit they asked for.
        if target_unit not in (member.unit_id, member.pending_unit_id):
            await self._access.require(member, "selfcheck.for_unit", unit_id=target_unit)
        now = self._clock()
        async with self._sessions.begin() as session:
            unit = await UnitRepository(session).get(target_unit)
            if unit is None or unit.archived:
                raise NotFound("unit", target_unit)
            first = methodology.indicators[0]
            row = await SelfCheckRepository(session).add(
                user_id=member.user_id,
                unit_id=target_unit,
                edition=edition,
                content_version=self._content.version,
                cursor=first.id,
                now=now,
            )
            return self._question(row, methodology, {}, first, unit.name, step=row.step)

    async def answer(self, member: Member, *, session_id: int, step: int, value: int) -> Step:
        """Record `value` for the indicator on screen and show the next one (or the result)."""
        return await self._act(member, session_id, step, "answer", value)

    async def skip(self, member: Member, *, session_id: int, step: int) -> Step:
        """ "Lewati": record the indicator as skipped and move on."""
        return await self._act(member, session_id, step, "skip", None)

    async def back(self, member: Member, *, session_id: int, step: int) -> Step:
        """ "Kembali": show the previous indicator with its current answer marked."""
        return await self._act(member, session_id, step, "back", None)

    async def pause(self, member: Member, *, session_id: int, step: int) -> Paused:
        """ "Jeda": keep everything; /cek continues later."""
        async with self._sessions.begin() as session:
            repo = SelfCheckRepository(session)
            row = await self._open_row(repo, member, session_id, step)
            methodology = self._methodology(row.edition)
            recorded = session_answers(_events(await repo.answers(row.id, unit_id=row.unit_id)))
            if not await repo.claim_step(
                row.id, unit_id=row.unit_id, step=step, now=self._clock(), cursor=row.cursor
            ):
                raise StaleAction()
            known = {indicator.id for indicator in methodology.indicators}
            return Paused(row.id, len(known & set(recorded)), len(known))

    async def _open_row(
        self, repo: SelfCheckRepository, member: Member, session_id: int, step: int
    ) -> SelfCheckSessionRow:
        row = await repo.get(session_id, user_id=member.user_id)
        if row is None or row.status != "open" or row.step != step:
            raise StaleAction()
        return row

    async def _act(
        self, member: Member, session_id: int, step: int, action: str, value: int | None
    ) -> Step:
        async with self._sessions.begin() as session:
            repo = SelfCheckRepository(session)
            row = await self._open_row(repo, member, session_id, step)
            methodology = self._methodology(row.edition)
            indicators = methodology.indicators
            recorded = session_answers(_events(await repo.answers(row.id, unit_id=row.unit_id)))
            current = methodology.indicator(row.cursor) if row.cursor else None
            notice = None
            target: Indicator | None
            if action == "back":
                target = (
                    previous_indicator(indicators, row.cursor) or current
                    if current is not None
                    else next_unrecorded(indicators, recorded)
                )
            else:
                if current is None:
                    # The indicator on screen left the content (a restart with new content).
                    notice = Notice.INDICATOR_REMOVED
                else:
                    if action == "answer" and not any(o.value == value for o in current.options):
                        raise InvalidAnswer(current.id, value)
                    if action == "answer" or recorded.get(current.id) is None:
                        # "Lewati" on an answered indicator leaves it as it is: nothing stored.
                        await self._record(session, member, row, current.id, value)
                        if value is not None or current.id not in recorded:
                            recorded[current.id] = value
                target = next_unrecorded(indicators, recorded)
            return await self._move(
                session, row, methodology, recorded, target, step=step, notice=notice
            )

    async def _record(
        self,
        session: AsyncSession,
        member: Member,
        row: SelfCheckSessionRow,
        indicator_id: str,
        value: int | None,
    ) -> None:
        """Append the answer; audit it when it changes the unit's value of the indicator."""
        repo = SelfCheckRepository(session)
        counted = answer_counts(member, row.unit_id)
        old = None
        if counted and value is not None:
            old = await repo.latest_counted_value(
                unit_id=row.unit_id, edition=row.edition, indicator_id=indicator_id
            )
        now = self._clock()
        await repo.add_answer(
            row,
            indicator_id=indicator_id,
            value=value,
            content_version=self._content.version,
            now=now,
            counted=counted,
        )
        if counted and value is not None and old != value:
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="selfcheck.answer",
                unit_id=row.unit_id,
                detail={
                    "edition": row.edition,
                    "indicator": indicator_id,
                    "old": old,
                    "new": value,
                    "session": row.id,
                },
            )

    async def _move(
        self,
        session: AsyncSession,
        row: SelfCheckSessionRow,
        methodology: Methodology,
        recorded: dict[str, int | None],
        target: Indicator | None,
        *,
        step: int,
        notice: Notice | None,
    ) -> Step:
        repo = SelfCheckRepository(session)
        now = self._clock()
        if not await repo.claim_step(
            row.id, unit_id=row.unit_id, step=step, now=now, cursor=target.id if target else None
        ):
            raise StaleAction()
        unit = await UnitRepository(session).get(row.unit_id)
        unit_name = unit.name if unit is not None else "?"
        if target is not None:
            return self._question(
                row, methodology, recorded, target, unit_name, step=step + 1, notice=notice
            )
        personal = not await repo.counts(row.id)
        unit_values = (
            None
            if personal
            else await self._unit_values(session, methodology, unit_id=row.unit_id)
        )
        result = self._result(row.id, methodology, recorded, unit_name, unit_values)
        row.finished_at = now
        if personal:
            # Not the unit's: no snapshot for its trend, and the unit has not "finished" by it
            # (accepting the person's join request turns it into "done").
            row.status = "personal"
            return result
        row.status = "done"
        if result.result.score is not None:
            row.score = str(result.result.score)
            row.category = result.result.category.code if result.result.category else None
        row.coverage = str(result.result.coverage)
        return result

    def _question(
        self,
        row: SelfCheckSessionRow,
        methodology: Methodology,
        recorded: dict[str, int | None],
        indicator: Indicator,
        unit_name: str,
        *,
        step: int,
        notice: Notice | None = None,
    ) -> Question:
        dimension = next(d for d in methodology.all_dimensions if indicator in d.indicators)
        known = {i.id for i in methodology.indicators}
        return Question(
            session_id=row.id,
            step=step,
            edition=row.edition,
            unit_name=unit_name,
            indicator=indicator,
            dimension_name=dimension.name,
            position=position_of(methodology.indicators, indicator.id),
            total=len(methodology.indicators),
            recorded=len(known & set(recorded)),
            current_value=recorded.get(indicator.id),
            notice=notice,
        )

    def _result(
        self,
        session_id: int,
        methodology: Methodology,
        recorded: dict[str, int | None],
        unit_name: str,
        unit_values: dict[str, int] | None,
    ) -> SelfCheckResult:
        """The card: the unit's result (``unit_values``), or the personal one when None."""
        personal = unit_values is None
        values = _valid(methodology, given_values(recorded)) if personal else unit_values
        assert values is not None  # narrowed above
        result = score_unit(methodology, values)
        improvements = []
        for gain in top_gains(methodology, values, IMPROVEMENTS):
            indicator = methodology.indicator(gain.indicator_id)
            if indicator is not None:
                improvements.append(Improvement(gain, indicator))
        skipped = sum(
            1
            for key, value in recorded.items()
            if value is None and key not in values and methodology.indicator(key) is not None
        )
        return SelfCheckResult(
            session_id,
            methodology.id,
            unit_name,
            methodology,
            result,
            tuple(improvements),
            skipped,
            personal,
        )

    # -- /skor ------------------------------------------------------------------------------

    async def personal_result(
        self, member: Member, *, edition: str | None = None
    ) -> SelfCheckResult | None:
        """The latest personal result of someone waiting to join a unit, if they have one.

        Of `edition` when they have one there, else of any edition; None when they are not
        waiting for a unit or never finished a self-check for it.
        """
        if member.pending_unit_id is None:
            return None
        async with self._sessions() as session:
            repo = SelfCheckRepository(session)
            row = await repo.latest_personal(
                user_id=member.user_id, unit_id=member.pending_unit_id, edition=edition
            ) or await repo.latest_personal(
                user_id=member.user_id, unit_id=member.pending_unit_id, edition=None
            )
            if row is None or row.edition not in self.editions():
                return None
            unit = await UnitRepository(session).get(row.unit_id)
            recorded = session_answers(_events(await repo.answers(row.id, unit_id=row.unit_id)))
        methodology = self._methodology(row.edition)
        name = unit.name if unit is not None else "?"
        return self._result(row.id, methodology, recorded, name, None)

    async def scoreboard(self, member: Member, *, edition: str | None = None) -> UnitScoreboard:
        """The member's unit: merged latest answers, trend and the government's estimate.

        Raises:
            NotRegistered: the member has no unit. NotFound: unknown edition.
        """
        if member.unit_id is None:
            raise NotRegistered()
        edition = edition or self._current
        methodology = self._methodology(edition)
        async with self._sessions() as session:
            repo = SelfCheckRepository(session)
            units = UnitRepository(session)
            unit = await units.get(member.unit_id)
            if unit is None:
                raise NotFound("unit", member.unit_id)
            rows = await repo.unit_answers(unit_id=unit.id, edition=edition)
            values = _valid(methodology, merge_unit(_events(rows)))
            result = _unit_result(methodology, values)
            trend = tuple(
                TrendPoint(r.finished_at, Decimal(r.score))
                for r in await repo.finished(unit_id=unit.id, edition=edition)
                if r.finished_at is not None and r.score is not None
            )
            outdated = any(r.content_version != self._content.version for r in rows)
            government = await self._government(session, methodology, unit.government_id)
        return UnitScoreboard(
            edition=edition,
            unit_name=unit.name,
            methodology=methodology,
            result=result,
            contributors=len({r.user_id for r in rows}),
            trend=trend,
            government=government,
            outdated_content=outdated,
        )

    async def _unit_values(
        self, session: AsyncSession, methodology: Methodology, *, unit_id: int
    ) -> dict[str, int]:
        """The unit's answers: latest given value per indicator over its counted answers."""
        rows = await SelfCheckRepository(session).unit_answers(
            unit_id=unit_id, edition=methodology.id
        )
        return _valid(methodology, merge_unit(_events(rows)))

    async def _government(
        self, session: AsyncSession, methodology: Methodology, government_id: int
    ) -> GovernmentEstimate | None:
        units = UnitRepository(session)
        repo = SelfCheckRepository(session)
        members = [u for u in await units.list_active() if u.government_id == government_id]
        done = await repo.units_with_finished(methodology.id)
        scores = []
        for unit in members:
            if unit.id not in done:
                continue
            values = await self._unit_values(session, methodology, unit_id=unit.id)
            result = _unit_result(methodology, values)
            if result is not None and result.score is not None:
                scores.append(result.score)
        if not scores:
            return None
        score = government_score(scores)
        category = classify(methodology, score)
        name = next((g.name for g in await units.governments() if g.id == government_id), "?")
        return GovernmentEstimate(
            name, score, category.code, category.label, len(scores), len(members)
        )

    # -- recap (read-only, for RecapService; the caller checked the role) ---------------------

    async def unit_standings(
        self, unit_ids: Sequence[int], *, edition: str | None = None
    ) -> dict[int, UnitStanding]:
        """Per unit: merged latest answers, their result (as /skor) and the last answer time."""
        methodology = self._methodology(edition or self._current)
        standings: dict[int, UnitStanding] = {}
        async with self._sessions() as session:
            repo = SelfCheckRepository(session)
            for unit_id in unit_ids:
                rows = await repo.unit_answers(unit_id=unit_id, edition=methodology.id)
                values = _valid(methodology, merge_unit(_events(rows)))
                result = _unit_result(methodology, values)
                last = max((r.answered_at for r in rows), default=None)
                standings[unit_id] = UnitStanding(values, result, last)
        return standings

    async def government_estimate(
        self, government_id: int, *, edition: str | None = None
    ) -> GovernmentEstimate | None:
        """The government's predicted score, exactly as /skor computes it."""
        methodology = self._methodology(edition or self._current)
        async with self._sessions() as session:
            return await self._government(session, methodology, government_id)


@dataclass(frozen=True, slots=True)
class UnitStanding:
    """A unit's merged latest answers in one edition and their result (None: no answers)."""

    values: dict[str, int]
    result: UnitResult | None
    last_answer_at: datetime | None
