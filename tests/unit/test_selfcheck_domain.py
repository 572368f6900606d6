"""Self-check history rules: latest answer counts, skips, unit merge, navigation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.domain.methodology import Certainty, Indicator, Option
from bot.domain.selfcheck import (
    AnswerEvent,
    given_values,
    latest_per_indicator,
    merge_unit,
    next_unrecorded,
    position_of,
    previous_indicator,
)

T0 = datetime(2025, 6, 12, tzinfo=UTC)


def _ind(ident: str) -> Indicator:
    return Indicator(
        id=ident,
        name=ident,
        weight=Decimal(1),
        question="?",
        options=(Option(0, "tidak"), Option(3, "ya")),
        evidence="-",
        topic="t",
        certainty=Certainty.PASTI,
    )


INDICATORS = (_ind("a"), _ind("b"), _ind("c"))


def _e(ident: str, value: int | None, minutes: int, order: int) -> AnswerEvent:
    return AnswerEvent(ident, value, T0 + timedelta(minutes=minutes), order)


def test_latest_answer_counts_and_ties_break_by_order() -> None:
    events = [_e("a", 0, 0, 1), _e("a", 3, 1, 2), _e("b", 3, 5, 3), _e("b", 0, 5, 4)]
    assert latest_per_indicator(events) == {"a": 3, "b": 0}


def test_skip_is_recorded_but_not_given() -> None:
    latest = latest_per_indicator([_e("a", 3, 0, 1), _e("a", None, 1, 2), _e("b", 0, 1, 3)])
    assert latest == {"a": None, "b": 0}
    assert given_values(latest) == {"b": 0}
    assert next_unrecorded(INDICATORS, latest).id == "c"
    assert next_unrecorded(INDICATORS, ["a", "b", "c"]) is None


def test_unit_merge_keeps_latest_given_value_across_members() -> None:
    events = [_e("a", 3, 0, 1), _e("a", None, 2, 2), _e("b", 3, 0, 3), _e("b", 0, 1, 4)]
    assert merge_unit(events) == {"a": 3, "b": 0}


def test_navigation() -> None:
    assert previous_indicator(INDICATORS, "b").id == "a"
    assert previous_indicator(INDICATORS, "a") is None
    assert previous_indicator(INDICATORS, None).id == "c"
    assert previous_indicator(INDICATORS, "gone") is None
    assert position_of(INDICATORS, "c") == 3 and position_of(INDICATORS, "gone") == 0
