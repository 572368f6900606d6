"""Self-check sessions as plain data (domain layer): navigation, answer history, unit merge.

Answers are an append-only history. Each event says which indicator got which value (``None``
for "Lewati", i.e. skipped) at what moment. "Lewati" means "leave it as it is": it never hides
an earlier answer. Within one session the latest *given* value per indicator counts; an
indicator with only skips counts as recorded (the session moves past it) but never as a
value. For a unit the latest given value per indicator across all of its trusted members'
sessions of one edition counts (a later skip by a colleague does not erase an earlier answer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from bot.domain.methodology import Indicator, Methodology
from bot.domain.scoring import Gain, UnitResult


class SessionStatus(Enum):
    """Where a session stands; a user has at most one open session."""

    OPEN = "open"
    DONE = "done"
    ABANDONED = "abandoned"


class Notice(Enum):
    """Something the user should be told above the next question."""

    RESUMED = "resumed"
    INDICATOR_REMOVED = "indicator_removed"


@dataclass(frozen=True)
class AnswerEvent:
    """One row of the answer history; ``order`` breaks ties between equal timestamps."""

    indicator_id: str
    value: int | None
    at: datetime
    order: int


def latest_per_indicator(events: Iterable[AnswerEvent]) -> dict[str, int | None]:
    """The latest event's value per indicator (None = skipped)."""
    latest: dict[str, AnswerEvent] = {}
    for event in events:
        seen = latest.get(event.indicator_id)
        if seen is None or (event.at, event.order) > (seen.at, seen.order):
            latest[event.indicator_id] = event
    return {key: event.value for key, event in latest.items()}


def given_values(latest: Mapping[str, int | None]) -> dict[str, int]:
    """Only the indicators that got a value (skips dropped), ready for ``score_unit``."""
    return {key: value for key, value in latest.items() if value is not None}


def merge_unit(events: Iterable[AnswerEvent]) -> dict[str, int]:
    """The unit's answers: the latest given value per indicator across all sessions."""
    return given_values(latest_per_indicator(e for e in events if e.value is not None))


def session_answers(events: Iterable[AnswerEvent]) -> dict[str, int | None]:
    """A session's answers: the latest given value per indicator; None = only ever skipped."""
    listed = list(events)
    recorded: dict[str, int | None] = {e.indicator_id: None for e in listed}
    recorded.update(merge_unit(listed))
    return recorded


def next_unrecorded(indicators: Sequence[Indicator], recorded: Iterable[str]) -> Indicator | None:
    """The first indicator in document order without any event yet (None = all recorded)."""
    done = set(recorded)
    return next((indicator for indicator in indicators if indicator.id not in done), None)


def previous_indicator(indicators: Sequence[Indicator], current: str | None) -> Indicator | None:
    """The indicator before ``current`` in document order (None at the start or if unknown)."""
    ids = [indicator.id for indicator in indicators]
    if current not in ids:
        return indicators[-1] if indicators and current is None else None
    index = ids.index(current)
    return indicators[index - 1] if index > 0 else None


def position_of(indicators: Sequence[Indicator], indicator_id: str) -> int:
    """1-based position for the "7/31" progress label (0 if unknown)."""
    for index, indicator in enumerate(indicators, start=1):
        if indicator.id == indicator_id:
            return index
    return 0


@dataclass(frozen=True)
class Question:
    """The indicator to show next in a session, with what is needed to render it."""

    session_id: int
    step: int
    edition: str
    unit_name: str
    indicator: Indicator
    dimension_name: str
    position: int
    total: int
    recorded: int
    current_value: int | None
    notice: Notice | None = None


@dataclass(frozen=True)
class Improvement:
    """A "Perbaiki ini dulu" line: the gain and the indicator it is about."""

    gain: Gain
    indicator: Indicator


@dataclass(frozen=True)
class SelfCheckResult:
    """The result card of a finished session.

    ``result`` is the unit's result, computed exactly as /skor, /rekap and the exports compute
    it (the unit's merged answers). A ``personal`` card belongs to someone the unit has not
    accepted (yet): it is scored on that session's own answers, which do not count for the unit.
    """

    session_id: int
    edition: str
    unit_name: str
    methodology: Methodology
    result: UnitResult
    improvements: tuple[Improvement, ...]
    skipped: int
    personal: bool = False


@dataclass(frozen=True)
class Paused:
    """The session was paused; /cek resumes it."""

    session_id: int
    recorded: int
    total: int


@dataclass(frozen=True)
class TrendPoint:
    """One finished session's score as it was computed when it finished."""

    at: datetime
    score: Decimal


@dataclass(frozen=True)
class GovernmentEstimate:
    """A government's predicted score: mean over units with a finished self-check."""

    name: str
    score: Decimal
    category_code: str
    category_label: str
    units_covered: int
    units_total: int


@dataclass(frozen=True)
class UnitScoreboard:
    """What /skor shows for the member's unit in one edition.

    ``result`` uses the unit's merged answers (latest given value per indicator across its
    members); ``outdated_content`` is True when some stored answers were given against another
    content version than the one running now (weights may have changed since);
    ``result.ignored_answers`` lists answers whose indicators no longer exist.
    """

    edition: str
    unit_name: str
    methodology: Methodology
    result: UnitResult | None
    contributors: int
    trend: tuple[TrendPoint, ...]
    government: GovernmentEstimate | None
    outdated_content: bool
