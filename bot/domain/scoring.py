"""Self-check scoring of a service unit against one methodology edition (domain layer).

This is a *model* of the Ombudsman method, not the official formula (brief §3.8, tagged [U]).
What is published: indicators are scored on an interval 0-3; dimension weights for 2023 are
21,85 / 32,37 / 24,24 / 21,54; one indicator weight (12,22 % of Input) is known; a government's
score is the arithmetic mean of its units' scores; 2025 combines the four dimensions (70 %) with
public trust (30 %). Everything else (other indicator weights, how 30 user interviews become a
score, the deduction for ignoring Ombudsman products, 2022/2024/2025 internal weights) is not
published, so the numbers here are an estimate for preparation, never a prediction to promise.

The model, per indicator i with value v_i on the scale [lo, hi]::

    p_i   = (v_i - lo) / (hi - lo)                                   # 0..1
    f_i   = block_share * (W_d / ΣW) * (w_i / Σw_d)                  # share of the unit score
    score = 100 * Σ_answered f_i p_i / Σ_answered f_i                # over the answered part
    coverage = 100 * Σ_answered f_i                                  # weighted, in percent

where W_d is the dimension weight (percent of the dimension block), w_i the indicator weight
(percent of its dimension), block_share is ``dimensions_share``/100 (1 before 2025, 0,70 in 2025)
for the four dimensions and ``trust.weight``/100 (0,30 in 2025) for the public-trust component.
At full coverage this is exactly ``Σ_d W_d * dimension_score_d`` (plus 0,30 * trust in 2025).
Unanswered indicators are never read as 0 or as full marks: the score covers only the answered
part and ``coverage`` says how much of the unit score that part weighs.

Weights are normalised by their sums, so scaling every weight of one level by the same factor
changes nothing. Inputs and outputs are ``Decimal``; the arithmetic in between uses exact
rationals (``fractions.Fraction``), so the only rounding is the publish-style one at the end:
two decimals, ROUND_HALF_UP. Categories are looked up with that rounded score, as published
scores are (87,995 is published as 88,00 and is therefore category A).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from bot.domain.errors import InvalidAnswer, NotFound
from bot.domain.methodology import Category, Indicator, Methodology, Zone

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class VariableResult:
    """Score of one variable over its answered indicators (None when none is answered)."""

    id: str
    name: str
    score: Decimal | None
    coverage: Decimal
    answered: int
    total: int


@dataclass(frozen=True)
class DimensionResult:
    """Score of one dimension (or the 2025 trust component) over its answered indicators.

    ``unit_share`` is the dimension's share of the unit score in percent (e.g. 21.85 in 2023,
    15.30 for Input in 2025 when the block is 70 %).
    """

    id: str
    name: str
    unit_share: Decimal
    score: Decimal | None
    coverage: Decimal
    answered: int
    total: int
    variables: tuple[VariableResult, ...]


@dataclass(frozen=True)
class UnitResult:
    """Estimated result of one service unit.

    ``score`` is over the answered part only (None when nothing counted); ``coverage`` is the
    weighted share of the unit score that was answered, in percent. ``opinion`` is the category
    label plus the "Tanpa Maladministrasi" suffix when the edition has one and the caller said
    the unit followed up Ombudsman's products. ``ignored_answers`` lists answer ids unknown to this
    edition (for instance answers given under another edition); they do not count.
    """

    edition: str
    score: Decimal | None
    coverage: Decimal
    answered: int
    total: int
    dimensions: tuple[DimensionResult, ...]
    category: Category | None
    zone: Zone | None
    opinion: str | None
    ignored_answers: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every indicator of the edition was answered."""
        return self.total > 0 and self.answered == self.total


@dataclass(frozen=True)
class Gain:
    """One "Perbaiki ini dulu" suggestion: move one indicator to its best option.

    ``points`` is the gain in points of the full unit score (0-100 scale, all indicators
    weighted); ``current`` is None when the indicator was not answered yet.
    """

    indicator_id: str
    dimension_id: str
    current: int | None
    target: int
    target_label: str
    points: Decimal


def round_published(value: Decimal | Fraction) -> Decimal:
    """Round to two decimals, half up, as the Ombudsman publishes scores."""
    if isinstance(value, Decimal):
        return value.quantize(_CENT, rounding=ROUND_HALF_UP)
    hundredths = value * 100
    sign = -1 if hundredths < 0 else 1
    magnitude = abs(hundredths)
    whole = int(magnitude + Fraction(1, 2))  # half away from zero == ROUND_HALF_UP
    return (Decimal(sign * whole) / 100).quantize(_CENT)


def classify(methodology: Methodology, score: Decimal) -> Category:
    """Return the category whose closed two-decimal range holds the (rounded) score.

    Raises:
        ValueError: when the score is outside 0..100.
    """
    rounded = round_published(score)
    for category in methodology.categories:
        if category.contains(rounded):
            return category
    raise ValueError(f"score {score} is outside the categories of edition {methodology.id}")


def government_score(unit_scores: Sequence[Decimal]) -> Decimal:
    """Return a government's score: the arithmetic mean of its units' scores, two decimals.

    Verified on published cases (Kaltara 2023, Bolmong 2025, Kota Magelang 2022).

    Raises:
        ValueError: when there are no unit scores.
    """
    if not unit_scores:
        raise ValueError("a government score needs at least one unit score")
    total = sum((Fraction(score) for score in unit_scores), Fraction(0))
    return round_published(total / len(unit_scores))


def opinion_label(
    methodology: Methodology, category: Category, *, ombudsman_products_followed_up: bool
) -> str:
    """Return the Opini text: the category label, plus the edition's suffix when it applies."""
    suffix = methodology.opinion_suffix
    if suffix is not None and ombudsman_products_followed_up:
        return f"{category.label} {suffix.label}"
    return category.label


def score_unit(
    methodology: Methodology,
    answers: Mapping[str, int],
    *,
    ombudsman_products_followed_up: bool = False,
) -> UnitResult:
    """Score a unit's self-check answers (indicator id -> interval value).

    Args:
        methodology: the edition to score against.
        answers: chosen values; ids unknown to the edition are reported, not counted.
        ombudsman_products_followed_up: 2025 only: whether the unit followed up Ombudsman's
            supervision products (LAHP corrective actions, saran, Rekomendasi); adds the
            "Tanpa Maladministrasi" suffix to the opinion. Ignored by editions without a suffix.

    Raises:
        InvalidAnswer: when a value for a known indicator is not a whole number on the scale.
    """
    known = {indicator.id for indicator in methodology.indicators}
    for indicator_id, value in answers.items():
        if indicator_id in known:
            _check_value(methodology, indicator_id, value)
    shares = _unit_shares(methodology)
    earned = Fraction(0)
    answered_share = Fraction(0)
    dimensions: list[DimensionResult] = []
    for dimension in methodology.all_dimensions:
        dim_weight = _sum(Fraction(ind.weight) for ind in dimension.indicators)
        variables = tuple(
            _variable_result(methodology, variable.id, variable.name, variable.indicators, answers)
            for variable in dimension.variables
        )
        dim_earned, dim_answered = _weighted(methodology, dimension.indicators, answers)
        dimensions.append(
            DimensionResult(
                id=dimension.id,
                name=dimension.name,
                unit_share=round_published(shares[dimension.id] * 100),
                score=_ratio(dim_earned, dim_answered),
                coverage=round_published(dim_answered / dim_weight * 100),
                answered=_count(dimension.indicators, answers),
                total=len(dimension.indicators),
                variables=variables,
            )
        )
        scale = shares[dimension.id] / dim_weight
        earned += dim_earned * scale
        answered_share += dim_answered * scale
    score = _ratio(earned, answered_share)
    category = classify(methodology, score) if score is not None else None
    return UnitResult(
        edition=methodology.id,
        score=score,
        coverage=round_published(answered_share * 100),
        answered=_count(methodology.indicators, answers),
        total=len(methodology.indicators),
        dimensions=tuple(dimensions),
        category=category,
        zone=category.zone if category is not None else None,
        opinion=(
            opinion_label(
                methodology,
                category,
                ombudsman_products_followed_up=ombudsman_products_followed_up,
            )
            if category is not None
            else None
        ),
        ignored_answers=tuple(sorted(set(answers) - known)),
    )


def top_gains(methodology: Methodology, answers: Mapping[str, int], n: int = 3) -> list[Gain]:
    """Return the n single-indicator changes worth most unit points ("Perbaiki ini dulu").

    Rule: for every indicator not already at its best option, the gain is the points of the
    full unit score won by moving it to the best option, ``100 * f_i * (best - current) /
    (hi - lo)`` with ``f_i`` the indicator's share of the unit score (see the module
    docstring). An unanswered indicator counts as a candidate at the bottom of the scale,
    because nothing has been shown for it yet, so its gain is its whole weight. Gains are
    measured on the full unit score rather than the answered-part score so that answering a new
    indicator cannot look like a loss. Ties keep document order. Answers with unknown ids are
    ignored.

    Raises:
        InvalidAnswer: when a value for a known indicator is not a whole number on the scale.
    """
    shares = _unit_shares(methodology)
    span = methodology.scale_max - methodology.scale_min
    gains: list[tuple[Fraction, int, Gain]] = []
    for dimension in methodology.all_dimensions:
        dim_weight = _sum(Fraction(ind.weight) for ind in dimension.indicators)
        for indicator in dimension.indicators:
            current = answers.get(indicator.id)
            if current is not None:
                _check_value(methodology, indicator.id, current)
            best = indicator.best
            start = current if current is not None else methodology.scale_min
            if start >= best.value:
                continue
            share = shares[dimension.id] * Fraction(indicator.weight) / dim_weight
            points = 100 * share * Fraction(best.value - start, span)
            gain = Gain(
                indicator.id,
                dimension.id,
                current,
                best.value,
                best.label,
                round_published(points),
            )
            gains.append((points, len(gains), gain))
    gains.sort(key=lambda item: (-item[0], item[1]))
    return [gain for _, _, gain in gains[: max(n, 0)]]


def indicator_share(methodology: Methodology, indicator_id: str) -> Decimal:
    """Return an indicator's share of the unit score in percent, two decimals.

    Raises:
        NotFound: when the edition has no such indicator.
    """
    shares = _unit_shares(methodology)
    for dimension in methodology.all_dimensions:
        dim_weight = _sum(Fraction(ind.weight) for ind in dimension.indicators)
        for indicator in dimension.indicators:
            if indicator.id == indicator_id:
                fraction = shares[dimension.id] * Fraction(indicator.weight) / dim_weight
                return round_published(fraction * 100)
    raise NotFound("indicator", indicator_id)


def _check_value(methodology: Methodology, indicator_id: str, value: object) -> None:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not methodology.scale_min <= value <= methodology.scale_max
    ):
        raise InvalidAnswer(indicator_id, value)


def _unit_shares(methodology: Methodology) -> dict[str, Fraction]:
    """Each dimension's share of the unit score as a fraction (they add up to 1)."""
    shares: dict[str, Fraction] = {}
    block = _sum(Fraction(dim.weight) for dim in methodology.dimensions)
    trust = methodology.trust
    block_share = Fraction(methodology.dimensions_share)
    trust_share = Fraction(trust.weight) if trust is not None else Fraction(0)
    total = block_share + trust_share if methodology.dimensions else trust_share
    for dimension in methodology.dimensions:
        shares[dimension.id] = block_share / total * Fraction(dimension.weight) / block
    if trust is not None:
        shares[trust.id] = trust_share / total
    return shares


def _weighted(
    methodology: Methodology, indicators: Iterable[Indicator], answers: Mapping[str, int]
) -> tuple[Fraction, Fraction]:
    """(Σ w_i p_i, Σ w_i) over the answered indicators, w in the dimension's own units."""
    span = methodology.scale_max - methodology.scale_min
    earned = Fraction(0)
    weight = Fraction(0)
    for indicator in indicators:
        value = answers.get(indicator.id)
        if value is None:
            continue
        w = Fraction(indicator.weight)
        earned += w * Fraction(value - methodology.scale_min, span)
        weight += w
    return earned, weight


def _variable_result(
    methodology: Methodology,
    variable_id: str,
    name: str,
    indicators: tuple[Indicator, ...],
    answers: Mapping[str, int],
) -> VariableResult:
    earned, answered = _weighted(methodology, indicators, answers)
    total = _sum(Fraction(ind.weight) for ind in indicators)
    return VariableResult(
        id=variable_id,
        name=name,
        score=_ratio(earned, answered),
        coverage=round_published(answered / total * 100),
        answered=_count(indicators, answers),
        total=len(indicators),
    )


def _ratio(earned: Fraction, weight: Fraction) -> Decimal | None:
    return round_published(earned / weight * 100) if weight else None


def _count(indicators: Iterable[Indicator], answers: Mapping[str, int]) -> int:
    return sum(1 for indicator in indicators if indicator.id in answers)


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


__all__ = [
    "DimensionResult",
    "Gain",
    "UnitResult",
    "VariableResult",
    "classify",
    "government_score",
    "indicator_share",
    "opinion_label",
    "round_published",
    "score_unit",
    "top_gains",
]
