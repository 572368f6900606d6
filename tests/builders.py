"""Test people, units, deadlines and finished self-checks: the one way to build them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db.models import UserRow
from bot.domain.selfcheck import Question, SelfCheckResult
from bot.domain.units import Member, Role
from bot.services.reminders import DeadlineDraft
from bot.services.users import OPERATOR

ADMIN = 900  # in BOT_ADMIN_IDS of the test settings
WITA = "Asia/Makassar"
WIB = "Asia/Jakarta"
# Friday 20 June 2025, 23:59 WITA.
DUE = datetime(2025, 6, 20, 15, 59, tzinfo=UTC)


async def unit_id(services: Any, code: str) -> int:
    """The database id of a unit by code."""
    units = await services.units.list_units()
    return int(next(u.id for u in units if u.code == code))


async def person(
    services: Any, telegram_id: int, unit: str | None, role: Role = Role.MEMBER, name: str = "Budi"
) -> Member:
    """Create (or refresh) a user registered to `unit` with `role`; return them as a Member."""
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name=name,
        language_code="id",
    )
    user_id = arrival.member.user_id
    if unit is not None:
        await services.units.register(user_id=user_id, unit_id=await unit_id(services, unit))
    if role is not Role.MEMBER and telegram_id != ADMIN:
        await services.users.set_role(OPERATOR, user_id, role)
    return await services.members.get(user_id)  # type: ignore[no-any-return]


async def member(
    services: Any,
    telegram_id: int,
    unit_code: str | None,
    *,
    tz: str = WITA,
    role: str | None = None,
) -> Member:
    """A user named U<telegram_id> in `unit_code`, time zone `tz`; `role` written to the row.

    Kept apart from `person` on purpose: routing it through `person` changed the outcome of
    tests/e2e/test_reminders.py::test_retry_after_and_blocked_through_the_fake.
    """
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name=f"U{telegram_id}",
        language_code="id",
    )
    user_id = arrival.member.user_id
    if unit_code is not None:
        units = {u.code: u for u in await services.units.list_units()}
        await services.units.register(user_id=user_id, unit_id=units[unit_code].id)
    await services.members.set_timezone(user_id, tz)
    if role is not None:
        async with services.sessions.begin() as session:
            (await session.get(UserRow, user_id)).role = role
    return await services.members.get(user_id)  # type: ignore[no-any-return]


async def new_deadline(
    services: Any,
    admin: Member,
    *,
    scope: dict[str, Any] | None = None,
    due: datetime = DUE,
    title: str = "Maklumat dipajang",
) -> int:
    """A deadline made by `admin` (default: every unit, due DUE, one topic); its id."""
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title=title, due_at=due, scope=scope or {"all": True}, topics=("maklumat-pelayanan",)
        ),
    )
    return int(info.id)


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


async def finish(
    services: Any, member: Member, value_of: Any, edition: str = "2025"
) -> SelfCheckResult:
    """Answer every indicator of `edition` with `value_of(indicator)`; return the result."""
    step = await services.selfcheck.start(member, edition=edition, unit_id=None)
    while isinstance(step, Question):
        step = await services.selfcheck.answer(
            member, session_id=step.session_id, step=step.step, value=value_of(step.indicator)
        )
    assert isinstance(step, SelfCheckResult)
    return step


def lowest_two(indicator: Any) -> int:
    values = sorted(o.value for o in indicator.options)
    return int(values[0] if indicator.id.endswith(("maklumat", "prosedur")) else values[-1])
