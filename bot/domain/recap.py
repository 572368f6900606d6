"""Readiness recap across units (domain layer): unit lines, weakest indicators, deadline states.

Decisions:

* Quiz mastery is the share of correct answers among every quiz answer given by the unit's
  members (in percent, two decimals); None when nobody answered yet.
* A deadline counts as *done* for a unit when the unit marked it ready; it counts as *late*
  when the unit missed the due date: not ready and the due date has passed, or marked ready
  after the due date.
* The weakest indicators are ranked by the simple mean, over the units that answered them, of
  the latest value on the 0..1 scale ((v - lo) / (hi - lo)); ties go to the indicator with the
  larger share of the unit score (it costs more points), then to document order. Unanswered
  indicators are not ranked (they are missing data, not weakness), nor are indicators every
  unit answered with the best option (nothing to improve). The units concerned are the units
  whose latest answer is below the best option.
* A unit *needs attention* when it has not started (no answer counts in the edition), when its
  coverage is below LOW_COVERAGE percent, or when it has a late deadline. The attention list is
  sorted by unit name; the league table by score (highest first), units without a score last.
* The change since the previous report compares a unit's score and coverage with the figures
  stored when /rekap was last shown (a report snapshot); None when there is no earlier report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction

from bot.domain.methodology import Category, Methodology

_CENT = Decimal("0.01")
WEAKEST = 5
LOW_COVERAGE = Decimal(50)


class Reason(Enum):
    """Why a unit is on the attention list."""

    NOT_STARTED = "not-started"
    LOW_COVERAGE = "low-coverage"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """A unit's score in one dimension (0-100 over its answered part; None: nothing answered)."""

    id: str
    name: str
    score: Decimal | None
    coverage: Decimal


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """A finished self-check's score at the time it finished (for the trend)."""

    at: datetime
    score: Decimal


@dataclass(frozen=True, slots=True)
class Previous:
    """A unit's figures in the previous report."""

    at: datetime
    score: Decimal | None
    coverage: Decimal | None


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    """One indicator of one unit: its latest answer (if any) and whether evidence exists."""

    indicator_id: str
    name: str
    dimension: str
    value: int | None
    label: str | None
    evidence: bool
    best: int | None = None  # value of the best option

    @property
    def below_best(self) -> bool:
        """Answered with less than the best option."""
        return self.value is not None and self.best is not None and self.value < self.best


@dataclass(frozen=True, slots=True)
class UnitRecap:
    """One unit's line of the recap."""

    unit_id: int
    code: str
    name: str
    type: str
    score: Decimal | None
    category_code: str | None
    category_label: str | None
    coverage: Decimal | None
    last_answer_at: datetime | None
    deadlines_done: int
    deadlines_total: int
    deadlines_late: int
    quiz_correct: int
    quiz_answered: int
    active_members: int
    indicators: tuple[IndicatorLine, ...]
    dimensions: tuple[DimensionScore, ...] = ()
    finished: bool = False  # finished at least one self-check in the edition
    coordinators: tuple[str, ...] = ()
    trend: tuple[ScorePoint, ...] = ()
    evidence_files: int = 0
    previous: Previous | None = None

    @property
    def mastery(self) -> Decimal | None:
        """Share of correct quiz answers in percent (None without answers)."""
        return mastery(self.quiz_correct, self.quiz_answered)

    @property
    def started(self) -> bool:
        """Whether any answer of the unit counts in the edition."""
        return self.score is not None

    @property
    def score_change(self) -> Decimal | None:
        """Score now minus score in the previous report (None when either is missing)."""
        if self.previous is None or self.previous.score is None or self.score is None:
            return None
        return self.score - self.previous.score

    @property
    def coverage_change(self) -> Decimal | None:
        """Coverage now minus coverage in the previous report (a unit not started had 0)."""
        if self.previous is None:
            return None
        return (self.coverage or Decimal(0)) - (self.previous.coverage or Decimal(0))

    def weakest(self, n: int = WEAKEST) -> list[IndicatorLine]:
        """The unit's answered indicators below the best option, lowest value first."""
        below = [line for line in self.indicators if line.below_best]
        return sorted(below, key=lambda line: (line.value or 0) - (line.best or 0))[:n]

    def reasons(self, threshold: Decimal = LOW_COVERAGE) -> tuple[Reason, ...]:
        """Why the unit needs attention (empty: it does not)."""
        found = []
        if not self.started:
            found.append(Reason.NOT_STARTED)
        elif (self.coverage or Decimal(0)) < threshold:
            found.append(Reason.LOW_COVERAGE)
        if self.deadlines_late:
            found.append(Reason.LATE)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class WeakIndicator:
    """An indicator with a low mean latest value across the units that answered it."""

    indicator_id: str
    name: str
    mean: Decimal  # percent of the best answer, two decimals
    units: int
    unit_names: tuple[str, ...] = ()  # units whose latest answer is below the best


@dataclass(frozen=True, slots=True)
class DeadlineUnitState:
    """A deadline as seen by one unit (for the deadlines sheet)."""

    deadline_id: int
    title: str
    due_at: datetime
    unit_id: int
    unit_name: str
    done_at: datetime | None
    late: bool
    evidence: int = 0  # files the unit sent for this deadline


@dataclass(frozen=True, slots=True)
class Recap:
    """Everything /rekap and the export show; `timezone` is the government's zone."""

    edition: str
    generated_at: datetime
    timezone: str
    government_name: str
    government_score: Decimal | None
    government_category: str | None
    units: tuple[UnitRecap, ...]
    weakest: tuple[WeakIndicator, ...]
    deadlines: tuple[DeadlineUnitState, ...]
    categories: tuple[Category, ...]
    government_category_code: str | None = None
    units_covered: int = 0  # units in the government estimate (finished a self-check)
    units_total: int = 0  # active units of the government
    dimension_names: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()  # editions the reader may switch to, newest first

    @property
    def attention(self) -> list[UnitRecap]:
        """Units not started, below the coverage threshold or late, by name."""
        return sorted((u for u in self.units if u.reasons()), key=lambda u: u.name.casefold())

    @property
    def not_started(self) -> list[UnitRecap]:
        """Units without any counted answer, by name."""
        return sorted((u for u in self.units if not u.started), key=lambda u: u.name.casefold())

    @property
    def league(self) -> list[UnitRecap]:
        """Units by score, highest first; units without a score last, by name."""
        return sorted(
            self.units,
            key=lambda u: (u.score is None, -(u.score or Decimal(0)), u.name.casefold()),
        )

    @property
    def late_deadlines(self) -> list[DeadlineUnitState]:
        """Deadlines a unit missed and has not marked ready, earliest first."""
        return sorted(
            (d for d in self.deadlines if d.late and d.done_at is None),
            key=lambda d: (d.due_at, d.unit_name.casefold()),
        )


def mastery(correct: int, answered: int) -> Decimal | None:
    """Percent of correct answers, two decimals half up; None when nothing was answered."""
    if answered <= 0:
        return None
    return (Decimal(100 * correct) / Decimal(answered)).quantize(_CENT, rounding=ROUND_HALF_UP)


def is_late(due_at: datetime, done_at: datetime | None, now: datetime) -> bool:
    """Whether a unit missed a deadline (see the module docstring)."""
    if done_at is None:
        return now > due_at
    return done_at > due_at


def weakest_indicators(
    methodology: Methodology,
    unit_values: Sequence[Mapping[str, int]],
    shares: Mapping[str, Decimal],
    n: int = WEAKEST,
    names: Sequence[str] | None = None,
) -> list[WeakIndicator]:
    """The `n` indicators with the lowest mean latest value across units (see module docstring).

    `shares` maps an indicator id to its share of the unit score (for tie-breaks); `names`, when
    given, names the units of `unit_values` in the same order (for the units concerned).
    """
    span = methodology.scale_max - methodology.scale_min
    ranked: list[tuple[Fraction, Decimal, int, WeakIndicator]] = []
    for order, indicator in enumerate(methodology.indicators):
        given = [values[indicator.id] for values in unit_values if indicator.id in values]
        if not given or span <= 0 or all(v >= indicator.best.value for v in given):
            continue
        mean = sum((Fraction(v - methodology.scale_min, span) for v in given), Fraction(0)) / len(
            given
        )
        percent = (Decimal(mean.numerator * 100) / Decimal(mean.denominator)).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
        concerned = tuple(
            names[i]
            for i, values in enumerate(unit_values)
            if names is not None
            and indicator.id in values
            and values[indicator.id] < indicator.best.value
        )
        weak = WeakIndicator(indicator.id, indicator.name, percent, len(given), concerned)
        ranked.append((mean, -shares.get(indicator.id, Decimal(0)), order, weak))
    ranked.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in ranked[: max(n, 0)]]
