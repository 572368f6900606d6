"""Member identification, update de-duplication, unit sync and registration on a real database."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.content.units import UnitCatalog
from bot.db.models import AuditRow, ProcessedUpdateRow, UnitRow
from bot.domain.errors import NotFound, RepeatedUpdate
from bot.domain.units import Role


async def _arrive(
    services: Any, telegram_id: int = 501, update_id: int | None = 1, language: str | None = "id"
) -> Any:
    return await services.members.arrive(
        update_id=update_id,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name="Siti",
        language_code=language,
    )


async def test_new_user_is_created_unregistered_member(services: Any) -> None:
    arrival = await _arrive(services)
    assert not arrival.duplicate
    member = arrival.member
    assert member.role is Role.MEMBER and member.unit_id is None and not member.registered
    assert member.timezone == "Asia/Jakarta" and member.language == "id"


async def test_settings_admins_are_admins(services: Any) -> None:
    arrival = await _arrive(services, telegram_id=900)
    assert arrival.member.role is Role.ADMIN


async def test_repeated_update_id_is_flagged_duplicate(services: Any) -> None:
    assert not (await _arrive(services, update_id=77)).duplicate
    assert (await _arrive(services, update_id=77)).duplicate
    assert not (await _arrive(services, update_id=78)).duplicate


async def _claim_of(services: Any, update_id: int) -> list[str | None]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(ProcessedUpdateRow.worker).where(ProcessedUpdateRow.update_id == update_id)
        )
        return list(rows)


async def test_update_is_processed_with_the_handlers_first_commit(services: Any) -> None:
    worker = services.members.worker
    async with services.members.handling() as current:
        arrival = await _arrive(services, update_id=500)
        assert not arrival.duplicate
        assert await _claim_of(services, 500) == [worker]  # claimed; nothing committed yet
        with pytest.raises(RuntimeError):
            async with services.sessions.begin() as session:
                session.add(AuditRow(at=services.clock(), action="x", detail={}))
                raise RuntimeError("the handler's transaction fails")
        assert await _claim_of(services, 500) == [worker]  # a rollback marks nothing
        await services.members.set_language(arrival.member.user_id, "en")
        assert current.processed  # in the same transaction as the language change
        assert await _claim_of(services, 500) == [None]
    async with services.members.handling():
        assert (await _arrive(services, update_id=500)).duplicate


async def test_update_whose_handler_changed_nothing_is_processed_after_it(
    services: Any,
) -> None:
    async with services.members.handling() as current:
        arrival = await _arrive(services, update_id=501)
        await services.members.get(arrival.member.user_id)  # reads only
        assert not current.processed
    assert current.processed and await _claim_of(services, 501) == [None]


async def test_claim_of_a_process_that_died_before_committing_is_taken_over(
    services: Any, clock: Any
) -> None:
    async with services.sessions.begin() as session:
        session.add(ProcessedUpdateRow(update_id=600, received_at=clock(), worker="u-dead"))
    async with services.members.handling():
        # Perhaps it is alive and still at work (a webhook retry sent to a second process).
        assert (await _arrive(services, update_id=600)).duplicate
    clock.advance(seconds=61)
    async with services.members.handling() as current:
        assert not (await _arrive(services, update_id=600)).duplicate
    assert current.processed and await _claim_of(services, 600) == [None]
    # Under long polling no other process can be at work: taken over at once.
    services.members.sole_consumer = True
    async with services.sessions.begin() as session:
        session.add(ProcessedUpdateRow(update_id=601, received_at=clock(), worker="u-dead"))
    async with services.members.handling():
        assert not (await _arrive(services, update_id=601)).duplicate


async def test_change_of_an_update_taken_over_meanwhile_is_rolled_back(services: Any) -> None:
    async with services.members.handling():
        arrival = await _arrive(services, update_id=700)

        async def take_over() -> None:  # another process, not handling our update
            async with services.sessions.begin() as session:
                await session.execute(
                    update(ProcessedUpdateRow)
                    .where(ProcessedUpdateRow.update_id == 700)
                    .values(worker="u-other")
                )

        await asyncio.create_task(take_over(), context=contextvars.Context())
        with pytest.raises(RepeatedUpdate):
            await services.members.set_language(arrival.member.user_id, "en")
    assert (await services.members.get(arrival.member.user_id)).language == "id"
    assert await _claim_of(services, 700) == ["u-other"]


async def test_last_seen_moves_once_a_minute_and_flow_comes_along(
    services: Any, clock: Any
) -> None:
    from bot.db.models import UserRow

    async def last_seen() -> Any:
        async with services.sessions() as session:
            return await session.scalar(
                select(UserRow.last_seen_at).where(UserRow.telegram_id == 501)
            )

    first = clock()
    member = (await _arrive(services, update_id=1)).member
    await services.flows.put(member.user_id, "register", "pick", {"page": 2})
    clock.advance(seconds=59)
    arrival = await _arrive(services, update_id=2)
    assert await last_seen() == first  # not written again within the minute
    assert arrival.flow is not None and (arrival.flow.step, arrival.flow.data) == (
        "pick",
        {"page": 2},
    )
    clock.advance(seconds=1)
    await _arrive(services, update_id=3)
    seen = clock()
    assert await last_seen() == seen
    # A duplicate changes nothing, but still says who it is from.
    clock.advance(minutes=5)
    repeated = await _arrive(services, update_id=3)
    assert repeated.duplicate and repeated.member.user_id == member.user_id
    assert await last_seen() == seen


async def test_unknown_language_code_falls_back_to_default(services: Any) -> None:
    arrival = await _arrive(services, language="fr")
    assert arrival.member.language == "id"


async def test_register_and_change_unit_is_audited(services: Any) -> None:
    member = (await _arrive(services)).member
    units = await services.units.list_units()
    first, second = units[1], units[2]
    await services.units.register(user_id=member.user_id, unit_id=first.id)
    await services.units.register(user_id=member.user_id, unit_id=second.id)
    assert (await services.members.get(member.user_id)).unit_id == second.id
    async with services.sessions() as session:
        actions = (await session.scalars(select(AuditRow).order_by(AuditRow.id))).all()
    assert [(a.action, a.unit_id) for a in actions] == [
        ("unit.register", first.id),
        ("unit.register", second.id),
    ]
    assert actions[1].detail == {"previous_unit_id": first.id}


async def test_register_to_unknown_unit_is_not_found(services: Any) -> None:
    member = (await _arrive(services)).member
    with pytest.raises(NotFound):
        await services.units.register(user_id=member.user_id, unit_id=9999)


async def test_unit_sync_is_idempotent_and_archives_removed_units(services: Any) -> None:
    catalog: UnitCatalog = services.content.units
    await services.units.sync(catalog)
    async with services.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(UnitRow))
    assert count == len(catalog.units)
    smaller = replace(catalog, units=catalog.units[:-1])
    await services.units.sync(smaller)
    listed = await services.units.list_units()
    assert [u.code for u in listed] == [u.code for u in smaller.units]
    await services.units.sync(catalog)
    assert len(await services.units.list_units()) == len(catalog.units)


async def test_flow_state_survives_a_new_service_instance(
    services: Any, settings: Any, clock: Any
) -> None:
    from bot.app import build_services

    member = (await _arrive(services)).member
    first = await services.flows.put(member.user_id, "register", "pick", {"page": 1})
    again = await build_services(settings, clock=clock)
    try:
        flow = await again.flows.get(member.user_id)
    finally:
        await again.engine.dispose()
    assert flow is not None and flow.step == "pick" and flow.data == {"page": 1}
    assert flow.revision == first.revision
    assert await services.flows.clear(member.user_id)
    assert await services.flows.get(member.user_id) is None
