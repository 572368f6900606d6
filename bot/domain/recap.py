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
  unit answered with the best option (nothing to improve).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from bot.domain.methodology import Category, Methodology

_CENT = Decimal("0.01")
WEAKEST = 5


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    """One indicator of one unit: its latest answer (if any) and whether evidence exists."""

    indicator_id: str
    name: str
    dimension: str
    value: int | None
    label: str | None
    evidence: bool


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

    @property
    def mastery(self) -> Decimal | None:
        """Share of correct quiz answers in percent (None without answers)."""
        return mastery(self.quiz_correct, self.quiz_answered)


@dataclass(frozen=True, slots=True)
class WeakIndicator:
    """An indicator with a low mean latest value across the units that answered it."""

    indicator_id: str
    name: str
    mean: Decimal  # percent of the best answer, two decimals
    units: int


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
) -> list[WeakIndicator]:
    """The `n` indicators with the lowest mean latest value across units (see module docstring).

    `shares` maps an indicator id to its share of the unit score (for tie-breaks).
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
        weak = WeakIndicator(indicator.id, indicator.name, percent, len(given))
        ranked.append((mean, -shares.get(indicator.id, Decimal(0)), order, weak))
    ranked.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in ranked[: max(n, 0)]]
