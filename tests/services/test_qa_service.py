"""QAService: gaps are recorded for declines and clarifications only, grouped and truncated."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.db.repositories.qa_gaps import QaGapRepository
from bot.domain.knowledge import DecisionKind
from bot.domain.units import Member
from tests.conftest import SteppingClock


async def _member(services: Any, unit_id: int) -> Member:
    arrival = await services.members.arrive(
        update_id=None, telegram_id=4321, chat_id=4321, display_name="Rina", language_code="id"
    )
    return dataclasses.replace(arrival.member, unit_id=unit_id)


async def _rows(services: Any) -> list[Any]:
    async with services.sessions() as session:
        return list(await QaGapRepository(session).all())


async def test_answer_is_not_a_gap_decline_is(services: Any, clock: SteppingClock) -> None:
    answer = await services.qa.answer("sp itu ada brp komponen?", member=None)
    assert answer.kind is DecisionKind.ANSWER and answer.topic.id == "komponen-sp"
    assert await _rows(services) == []
    declined = await services.qa.answer("resep rendang padang", member=None)
    assert declined.kind is DecisionKind.DECLINE and declined.topic is None
    rows = await _rows(services)
    assert [(r.kind, r.text, r.asked_at) for r in rows] == [
        ("decline", "resep rendang padang", clock.now)
    ]


async def test_gaps_are_grouped_by_normalised_question_most_frequent_first(
    services: Any, clock: SteppingClock
) -> None:
    await services.qa.answer("resep rendang", member=None)
    clock.advance(minutes=1)
    await services.qa.answer("cuaca besok", member=None)
    clock.advance(minutes=1)
    await services.qa.answer("Cuaca   BESOK!!", member=None)
    gaps = await services.qa.gaps(10)
    assert [(g.count, g.example) for g in gaps] == [(2, "Cuaca   BESOK!!"), (1, "resep rendang")]
    assert gaps[0].last_asked == clock.now
    assert await services.qa.gaps(1) == gaps[:1]


async def test_long_question_is_truncated_and_unit_recorded(services: Any) -> None:
    units = await services.units.list_units()
    member = await _member(services, units[1].id)
    await services.qa.answer("cuaca " * 300, member=member)
    (row,) = await _rows(services)
    assert len(row.text) == 500 and len(row.normalized) <= 500
    assert (row.unit_id, row.user_id) == (units[1].id, member.user_id)


async def test_message_without_words_is_not_recorded(services: Any) -> None:
    answer = await services.qa.answer("🙂🙂🙂 ???", member=None)
    assert answer.kind is DecisionKind.DECLINE and answer.query == ""
    assert await _rows(services) == []
