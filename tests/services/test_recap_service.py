"""RecapService on a real database: figures per unit, scope by role, weakest indicators."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow
from bot.domain.errors import NotAllowed
from bot.domain.selfcheck import Question, SelfCheckResult
from bot.domain.units import Member, Role
from bot.services.reminders import DeadlineDraft
from tests.e2e.people import ADMIN, person, unit_id


async def complete_selfcheck(services: Any, member: Member, value_of: Any) -> SelfCheckResult:
    """Answer every indicator of the current edition with `value_of(indicator)` (None skips)."""
    step = await services.selfcheck.start(
        member, edition=services.selfcheck.current_edition, unit_id=None
    )
    while isinstance(step, Question):
        value = value_of(step.indicator)
        if value is None:
            step = await services.selfcheck.skip(
                member, session_id=step.session_id, step=step.step
            )
        else:
            step = await services.selfcheck.answer(
                member, session_id=step.session_id, step=step.step, value=value
            )
    assert isinstance(step, SelfCheckResult)
    return step


def best(indicator: Any) -> int:
    return int(indicator.best.value)


def worst_first_two(indicator: Any) -> int:
    """The lowest option for a couple of indicators, the best for the rest."""
    lowest = min(o.value for o in indicator.options)
    return lowest if indicator.id in {"pr-maklumat", "pr-prosedur"} else best(indicator)


async def seed_two_units(services: Any) -> dict[str, Any]:
    """dinkes: all best; dinsos: mixed; a quiz answer in dinkes; one deadline done by dinkes."""
    dinkes = await person(services, 8101, "dinkes", name="Ani")
    dinsos = await person(services, 8102, "dinsos", name="Beni")
    a = await complete_selfcheck(services, dinkes, best)
    b = await complete_selfcheck(services, dinsos, worst_first_two)
    admin = await person(services, ADMIN, None, name="Admin")
    step = await services.quizzes.start(dinkes, drill="campur")
    await services.quizzes.answer(
        dinkes, attempt_id=step.attempt_id, position=0, choice=step.question.answer
    )
    return {"dinkes": dinkes, "dinsos": dinsos, "admin": admin, "a": a, "b": b}


async def add_deadline_done_by(services: Any, admin: Member, member: Member) -> int:
    """A new deadline for every unit, due in three days, marked ready by `member`'s unit."""
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title="Maklumat", due_at=services.clock() + timedelta(days=3), scope={"all": True}
        ),
    )
    await services.reminders.mark_done(member, info.id)
    return int(info.id)


async def test_admin_sees_every_unit_with_the_scores_of_skor(services: Any) -> None:
    world = await seed_two_units(services)
    before = {
        u.code: u
        for u in (
            await services.recap.recap(world["admin"], edition=services.selfcheck.current_edition)
        ).units
    }
    await add_deadline_done_by(services, world["admin"], world["dinkes"])
    recap = await services.recap.recap(world["admin"], edition=services.selfcheck.current_edition)
    lines = {u.code: u for u in recap.units}
    assert len(lines) == len(await services.units.list_units())
    dinkes, dinsos = lines["dinkes"], lines["dinsos"]
    board = await services.selfcheck.scoreboard(world["dinsos"])
    assert dinsos.score == board.result.score and dinsos.coverage == board.result.coverage
    assert dinkes.score == Decimal("100.00") and dinkes.category_code is not None
    assert recap.government_score == board.government.score
    # On top of the shipped timeline: the new deadline, marked ready by dinkes only.
    for code, done in (("dinkes", 1), ("dinsos", 0)):
        assert lines[code].deadlines_total == before[code].deadlines_total + 1
        assert lines[code].deadlines_done == before[code].deadlines_done + done
        assert lines[code].deadlines_late == before[code].deadlines_late
    assert (dinkes.quiz_correct, dinkes.quiz_answered, dinkes.mastery) == (1, 1, Decimal("100.00"))
    assert dinsos.mastery is None
    assert dinkes.active_members == 1 and lines["bag-organisasi"].active_members == 0
    assert lines["bag-organisasi"].score is None
    weakest = [w.indicator_id for w in recap.weakest]
    assert set(weakest) == {"pr-maklumat", "pr-prosedur"}
    assert recap.weakest[0].mean == Decimal("50.00") and recap.weakest[0].units == 2
    # Late once the due date passes for the unit that is not ready.
    services.clock.advance(days=4)
    later = {
        u.code: u
        for u in (
            await services.recap.recap(world["admin"], edition=services.selfcheck.current_edition)
        ).units
    }
    assert later["dinsos"].deadlines_late - lines["dinsos"].deadlines_late == (
        later["dinkes"].deadlines_late - lines["dinkes"].deadlines_late + 1
    )


async def test_coordinator_sees_only_their_unit_and_member_is_refused(services: Any) -> None:
    world = await seed_two_units(services)
    coordinator = await person(services, 8103, "dinsos", Role.COORDINATOR, name="Cici")
    recap = await services.recap.recap(coordinator, edition=services.selfcheck.current_edition)
    assert [u.code for u in recap.units] == ["dinsos"]
    assert {d.unit_id for d in recap.deadlines} == {await unit_id(services, "dinsos")}
    with pytest.raises(NotAllowed):
        await services.recap.recap(world["dinkes"], edition=services.selfcheck.current_edition)
    async with services.sessions() as session:
        refused = (
            await session.scalars(
                select(AuditRow).where(
                    AuditRow.outcome == "refused", AuditRow.action == "recap.view"
                )
            )
        ).all()
    assert [(r.actor_user_id, r.unit_id) for r in refused] == [
        (world["dinkes"].user_id, await unit_id(services, "dinkes"))
    ]
