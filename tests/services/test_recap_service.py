"""RecapService on a real database: figures per unit, scope by role, weakest indicators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.units import Role
from tests.builders import (
    ADMIN,
    add_deadline_done_by,
    best,
    finish,
    lowest_two,
    person,
    seed_two_units,
    unit_id,
)


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


async def test_report_figures_attention_change_since_previous_and_trend(services: Any) -> None:
    from bot.domain.recap import Reason

    edition = "2025"
    dinsos = await person(services, 8301, "dinsos", Role.COORDINATOR, name="Beni")
    await person(services, 8302, "kec-bontang-barat", Role.COORDINATOR, name="Citra")
    admin = await person(services, ADMIN, None, name="Admin")
    first = await services.recap.recap(admin, edition=edition)
    assert first.edition == edition and first.units_covered == 0 and first.units_total == 14
    assert all(u.previous is None for u in first.units)
    assert [u.name for u in first.attention] == sorted(
        (u.name for u in first.units), key=str.casefold
    )
    barat = next(u for u in first.units if u.code == "kec-bontang-barat")
    assert barat.coordinators == ("Citra",) and barat.reasons() == (Reason.NOT_STARTED,)

    services.clock.advance(days=1)
    await finish(services, dinsos, lowest_two)
    services.clock.advance(days=1)
    await finish(services, dinsos, lambda i: i.best.value)
    services.clock.advance(hours=1)
    second = await services.recap.recap(admin, edition=edition)
    unit = next(u for u in second.units if u.code == "dinsos")
    assert unit.finished and unit.score == Decimal("100.00") and unit.started
    assert unit.previous is not None and unit.previous.at == first.generated_at
    assert unit.previous.score is None and unit.score_change is None
    assert unit.coverage_change == Decimal("100.00")
    assert [p.score for p in unit.trend][-1] == Decimal("100.00") and len(unit.trend) == 2
    assert unit.trend[0].score < unit.trend[1].score
    assert {d.name for d in unit.dimensions} == set(second.dimension_names)
    assert all(d.score == Decimal("100.00") for d in unit.dimensions)
    assert second.units_covered == 1 and unit not in second.attention
    # Paging (remember=False, before=the first showing) compares with the same report.
    again = await services.recap.recap(
        admin, edition=edition, remember=False, before=second.generated_at
    )
    same = next(u for u in again.units if u.code == "dinsos")
    assert same.previous == unit.previous


async def test_weakest_names_the_units_below_the_best(services: Any) -> None:

    edition = "2025"
    await finish(services, await person(services, 8311, "dinkes", name="Ani"), best, edition)
    await finish(
        services, await person(services, 8312, "dinsos", name="Beni"), lowest_two, edition
    )
    recap = await services.recap.build(edition=edition)
    assert recap.weakest and all(
        w.unit_names == ("Dinas Sosial dan Pemberdayaan Masyarakat",) for w in recap.weakest
    )
    dinsos = next(u for u in recap.units if u.code == "dinsos")
    assert {line.indicator_id for line in dinsos.weakest()} == {
        w.indicator_id for w in recap.weakest
    }
    with pytest.raises(NotFound):
        await services.recap.build(edition="2021")  # no self-check questions


async def test_many_coordinator_reports_never_hide_the_admins_previous_report(
    services: Any,
) -> None:
    """The comparison finds the last whole report even after 60 coordinators' own reports."""
    edition = "2025"
    dinsos = await person(services, 8311, "dinsos", Role.COORDINATOR, name="Beni")
    admin = await person(services, ADMIN, None, name="Admin")
    first = await services.recap.recap(admin, edition=edition)
    for _ in range(60):
        services.clock.advance(minutes=1)
        await services.recap.recap(dinsos, edition=edition)
    services.clock.advance(minutes=1)
    second = await services.recap.recap(admin, edition=edition)
    barat = next(u for u in second.units if u.code == "kec-bontang-barat")
    assert barat.previous is not None and barat.previous.at == first.generated_at
    own = next(u for u in second.units if u.code == "dinsos")
    assert own.previous is not None and own.previous.at > first.generated_at  # Beni's last look
