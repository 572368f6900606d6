"""Evidence for a deadline (from a reminder): attach, unit scoping, refusals, reply lookup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow, DeadlineRow, EvidenceRow, OutboxRow
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.evidence import IncomingFile
from bot.domain.units import Member
from tests.builders import member, new_deadline, unit_id
from tests.conftest import SteppingClock
from tests.services.notifier import RecordingNotifier, run

PDF = b"%PDF-1.4 bukti tenggat"


async def _download() -> bytes:
    return PDF


def _pdf(name: str = "maklumat.pdf") -> IncomingFile:
    return IncomingFile("document", "file-1", "u-1", "application/pdf", len(PDF), name)


@pytest.fixture
async def admin(services: Any) -> Member:
    return await member(services, 900, None)


async def _set_indicators(services: Any, deadline_id: int, indicators: list[str]) -> None:
    async with services.sessions.begin() as session:
        (await session.get(DeadlineRow, deadline_id)).indicators = indicators


async def _refusals(services: Any) -> list[AuditRow]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(AuditRow).where(
                AuditRow.action == "evidence.upload", AuditRow.outcome == "refused"
            )
        )
        return list(rows.all())


def _stored(services: Any) -> list[Path]:
    root = services.evidence._store.root
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


async def test_attach_links_deadline_and_first_known_indicator(
    services: Any, admin: Member
) -> None:
    worker = await member(services, 101, "dinkes")
    outsider = await member(services, 103, "dinsos")
    deadline = await new_deadline(services, admin, title="Maklumat <dipajang>")
    await _set_indicators(services, deadline, ["no-such-indicator", "pr-maklumat", "pr-prosedur"])

    item, target = await services.evidence.attach_to_deadline(
        worker, deadline_id=deadline, incoming=_pdf(), download=_download
    )
    assert target.title == "Maklumat <dipajang>" and target.indicator_id == "pr-maklumat"
    assert target.unit_id == worker.unit_id == item.unit_id
    assert item.deadline_id == deadline and item.indicator_id == "pr-maklumat"
    assert item.deadline_title == "Maklumat <dipajang>"
    (path,) = _stored(services)
    assert path.parent.name == "dinkes" and path.read_bytes() == PDF

    listed = await services.evidence.list_for_unit(worker, unit_id=worker.unit_id)
    assert [(e.id, e.deadline_title) for e in listed] == [(item.id, "Maklumat <dipajang>")]
    assert await services.evidence.counts_by_deadline(worker, [deadline]) == {deadline: 1}
    # The other unit's member sees none of it; an admin without a unit sees every unit's.
    assert await services.evidence.counts_by_deadline(outsider, [deadline]) == {}
    assert await services.evidence.list_for_unit(outsider, unit_id=outsider.unit_id) == []
    assert await services.evidence.counts_by_deadline(admin, [deadline]) == {deadline: 1}

    recap = await services.recap.build(edition=services.selfcheck.current_edition)
    files = {(d.deadline_id, d.unit_id): d.evidence for d in recap.deadlines}
    assert files[(deadline, worker.unit_id)] == 1
    assert files[(deadline, outsider.unit_id)] == 0


async def test_deadline_without_indicator_is_linked_to_the_deadline_only(
    services: Any, admin: Member
) -> None:
    worker = await member(services, 101, "dinkes")
    deadline = await new_deadline(services, admin)
    item, target = await services.evidence.attach_to_deadline(
        worker, deadline_id=deadline, incoming=_pdf(), download=_download
    )
    assert target.indicator_id is None and item.indicator_id is None
    async with services.sessions() as session:
        row = await session.get(EvidenceRow, item.id)
        assert row.deadline_id == deadline and row.unit_id == worker.unit_id


async def test_other_units_and_unitless_admins_are_refused_and_audited(
    services: Any, admin: Member
) -> None:
    dinkes = await unit_id(services, "dinkes")
    deadline = await new_deadline(services, admin, scope={"unit_ids": [dinkes]})
    outsider = await member(services, 103, "dinsos")
    other_coordinator = await member(services, 201, "dinsos", role="coordinator")
    for who in (outsider, other_coordinator, admin):
        with pytest.raises(NotAllowed):
            await services.evidence.deadline_target(who, deadline)
        with pytest.raises(NotAllowed):
            await services.evidence.attach_to_deadline(
                who, deadline_id=deadline, incoming=_pdf(), download=_download
            )
    refusals = await _refusals(services)
    assert len(refusals) == 6
    assert {r.detail["deadline_id"] for r in refusals} == {deadline}
    assert {r.unit_id for r in refusals} == {dinkes}  # the unit the attempt was on
    assert [r.detail["why"] for r in refusals[-2:]] == ["no_unit", "no_unit"]  # the admin
    assert _stored(services) == []

    worker = await member(services, 101, "dinkes")
    await services.evidence.deadline_target(worker, deadline)
    with pytest.raises(NotFound):
        await services.evidence.deadline_target(worker, deadline + 1000)
    await services.reminders.archive(admin, deadline)
    with pytest.raises(NotFound):
        await services.evidence.attach_to_deadline(
            worker, deadline_id=deadline, incoming=_pdf(), download=_download
        )


async def test_refused_file_types_are_audited_with_the_deadline(
    services: Any, admin: Member
) -> None:
    worker = await member(services, 101, "dinkes")
    deadline = await new_deadline(services, admin)
    exe = IncomingFile("document", "f", "u", "application/x-msdownload", 4, "setup.exe")
    with pytest.raises(InvalidInput):
        await services.evidence.attach_to_deadline(
            worker, deadline_id=deadline, incoming=exe, download=_download
        )
    (refusal,) = await _refusals(services)
    assert refusal.detail["reason"] == "type" and refusal.detail["deadline_id"] == deadline
    assert _stored(services) == []


async def test_reply_lookup_finds_the_reminders_deadlines(
    services: Any, clock: SteppingClock, admin: Member
) -> None:
    worker = await member(services, 101, "dinkes")
    other = await member(services, 102, "dinkes")
    first = await new_deadline(services, admin, title="Maklumat")
    second = await new_deadline(services, admin, title="SK petugas")
    notifier = RecordingNotifier()
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # H-7, 08.00 WITA: both merged
    await run(services, notifier)
    (message,) = notifier.to(worker.user_id)
    assert len(message.reminders) == 2
    async with services.sessions() as session:
        row = await session.get(OutboxRow, message.outbox_id)
        sent_id = row.telegram_message_id

    targets = await services.evidence.reminder_targets(
        worker, chat_id=worker.telegram_id, message_id=sent_id
    )
    assert [t.deadline_id for t in targets] == [first, second]
    assert [t.title for t in targets] == ["Maklumat", "SK petugas"]

    with pytest.raises(NotFound) as missing:
        await services.evidence.reminder_targets(
            worker, chat_id=worker.telegram_id, message_id=sent_id + 1000
        )
    assert missing.value.entity == "reminder"
    # Another person's reminder (same message id in their chat is theirs, not this one).
    other_message = notifier.to(other.user_id)[0]
    async with services.sessions() as session:
        other_row = await session.get(OutboxRow, other_message.outbox_id)
    with pytest.raises(NotAllowed):
        await services.evidence.reminder_targets(
            worker, chat_id=other_row.chat_id, message_id=other_row.telegram_message_id
        )
    assert (await _refusals(services))[-1].detail["why"] == "not_your_reminder"

    await services.reminders.archive(admin, first)
    targets = await services.evidence.reminder_targets(
        worker, chat_id=worker.telegram_id, message_id=sent_id
    )
    assert [t.deadline_id for t in targets] == [second]
    await services.reminders.archive(admin, second)
    with pytest.raises(NotFound) as closed:
        await services.evidence.reminder_targets(
            worker, chat_id=worker.telegram_id, message_id=sent_id
        )
    assert closed.value.entity == "deadline"
