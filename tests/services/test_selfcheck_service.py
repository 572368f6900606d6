"""SelfCheckService on a real database: content changes mid-session, unit merge, government."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain.errors import NotAllowed, StaleAction
from bot.domain.methodology import Methodology
from bot.domain.selfcheck import Notice, Question, SelfCheckResult


async def _member(services: Any, telegram_id: int, unit_code: str | None = "dinkes") -> Any:
    member = (
        await services.members.arrive(
            update_id=None,
            telegram_id=telegram_id,
            chat_id=telegram_id,
            display_name="Siti",
            language_code="id",
        )
    ).member
    if unit_code is None:
        return member
    unit = next(u for u in await services.units.list_units() if u.code == unit_code)
    await services.units.register(user_id=member.user_id, unit_id=unit.id)
    return await services.members.get(member.user_id)


def _without(methodology: Methodology, indicator_id: str) -> Methodology:
    dimensions = tuple(
        replace(
            d,
            variables=tuple(
                replace(v, indicators=tuple(i for i in v.indicators if i.id != indicator_id))
                for v in d.variables
            ),
        )
        for d in methodology.dimensions
    )
    return replace(methodology, dimensions=dimensions)


async def _services_without(services: Any, settings: Any, clock: Any, indicator_id: str) -> Any:
    from bot.app import build_services

    content = services.content
    methodologies = dict(content.methodologies)
    methodologies["2024"] = _without(methodologies["2024"], indicator_id)
    changed = replace(content, methodologies=methodologies, version="changed0000")
    return await build_services(settings, clock=clock, content=changed)


async def test_indicator_removed_mid_session_is_not_recorded_and_flow_goes_on(
    services: Any, settings: Any, clock: Any
) -> None:
    member = await _member(services, 501)
    question = await services.selfcheck.start(member, edition="2024", unit_id=None)
    assert isinstance(question, Question) and question.position == 1
    second = await services.selfcheck.answer(
        member, session_id=question.session_id, step=question.step, value=3
    )
    removed = second.indicator.id
    later = await _services_without(services, settings, clock, removed)
    try:
        step = await later.selfcheck.answer(
            member, session_id=second.session_id, step=second.step, value=3
        )
        assert isinstance(step, Question)
        assert step.notice is Notice.INDICATOR_REMOVED
        assert step.total == 37 and step.indicator.id != removed and step.recorded == 1
        # Nothing was stored for the removed indicator.
        board = await later.selfcheck.scoreboard(member, edition="2024")
        assert board.result is not None and board.result.answered == 1
        assert board.result.ignored_answers == ()
    finally:
        await later.engine.dispose()


async def test_stored_answer_of_removed_indicator_no_longer_counts(
    services: Any, settings: Any, clock: Any
) -> None:
    member = await _member(services, 502)
    step: Any = await services.selfcheck.start(member, edition="2024", unit_id=None)
    first_id = step.indicator.id
    while isinstance(step, Question):
        step = await services.selfcheck.answer(
            member, session_id=step.session_id, step=step.step, value=0
        )
    assert isinstance(step, SelfCheckResult) and step.result.score == 0
    later = await _services_without(services, settings, clock, first_id)
    try:
        board = await later.selfcheck.scoreboard(member, edition="2024")
        assert board.result is not None
        assert board.result.ignored_answers == (first_id,)
        assert board.result.answered == 37 and board.result.total == 37
        assert board.outdated_content
        assert board.government is not None and board.government.units_covered == 1
    finally:
        await later.engine.dispose()


async def test_government_estimate_is_mean_of_units_that_finished(services: Any) -> None:
    scores = {}
    for telegram_id, code, value in ((601, "dinkes", 3), (602, "dinsos", 0)):
        member = await _member(services, telegram_id, code)
        step: Any = await services.selfcheck.start(member, edition="2023", unit_id=None)
        while isinstance(step, Question):
            best = max(o.value for o in step.indicator.options)
            step = await services.selfcheck.answer(
                member, session_id=step.session_id, step=step.step, value=min(value, best)
            )
        scores[code] = step.result.score
    # A third unit only started: it is not part of the mean.
    third = await _member(services, 603, "pkm-bontang-utara-1")
    started = await services.selfcheck.start(third, edition="2023", unit_id=None)
    await services.selfcheck.answer(
        third, session_id=started.session_id, step=started.step, value=3
    )
    board = await services.selfcheck.scoreboard(third, edition="2023")
    assert board.government is not None
    assert board.government.units_covered == 2
    assert board.government.score == (scores["dinkes"] + scores["dinsos"]) / 2
    assert board.government.units_total == len(await services.units.list_units())
    assert board.trend == ()


async def test_one_open_session_per_user_and_stale_steps(services: Any) -> None:
    member = await _member(services, 701)
    question = await services.selfcheck.start(member, edition="2024", unit_id=None)
    again = await services.selfcheck.start(member, edition="2023", unit_id=None)
    assert again.session_id == question.session_id and again.notice is Notice.RESUMED
    with pytest.raises(StaleAction):  # the step moved on when it was resumed
        await services.selfcheck.answer(
            member, session_id=question.session_id, step=question.step, value=3
        )


async def test_member_cannot_start_for_another_unit(services: Any) -> None:
    member = await _member(services, 801)
    other = next(u for u in await services.units.list_units() if u.code == "dinsos")
    with pytest.raises(NotAllowed):
        await services.selfcheck.start(member, edition="2024", unit_id=other.id)
