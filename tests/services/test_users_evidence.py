"""User administration and evidence services on a real database: roles, forget, file store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow, EvidenceRow, UserRow
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.evidence import IncomingFile
from bot.domain.units import Role
from bot.services.storage import FileStore, UnsafePath
from bot.services.users import OPERATOR
from tests.builders import ADMIN, person, unit_id

PDF = b"%PDF-1.4 isi"


def _is_file(path: Path) -> bool:
    return path.is_file()


async def _download() -> bytes:
    return PDF


def _pdf(name: str = "bukti.pdf") -> IncomingFile:
    return IncomingFile("document", "file-1", "u-1", "application/pdf", len(PDF), name)


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "dinkes/../../x.pdf",
        "/etc/passwd",
        "dinkes/" + "a" * 32 + ".pdf\x00",
        "dinkes\\..\\" + "a" * 32 + ".pdf",
        "",
        "dinkes/notatoken.pdf",
    ],
)
def test_file_store_refuses_keys_that_are_not_ours(tmp_path: Path, key: str) -> None:
    with pytest.raises(UnsafePath):
        FileStore(tmp_path).path(key)


async def test_file_store_writes_under_unit_folder(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    key = await store.save("dinkes", "pdf", PDF)
    assert store.path(key).read_bytes() == PDF
    assert store.path(key).parent == (tmp_path / "files" / "dinkes").resolve()
    assert await store.delete(key) and not await store.delete(key)


async def test_coordinator_role_needs_a_unit_and_promotion_is_audited(services: Any) -> None:
    admin = await person(services, ADMIN, None)
    loner = await person(services, 8001, None)
    with pytest.raises(InvalidInput, match="no_unit"):
        await services.users.set_role(admin, loner.user_id, Role.COORDINATOR)
    summary = await services.users.set_role(
        OPERATOR, loner.user_id, Role.COORDINATOR, unit_code="dinkes"
    )
    assert summary.role is Role.COORDINATOR and summary.unit_name == "Dinas Kesehatan"
    with pytest.raises(NotFound):
        await services.users.set_role(
            OPERATOR, loner.user_id, Role.COORDINATOR, unit_code="tidak-ada"
        )
    async with services.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditRow).where(AuditRow.action == "users.promote").order_by(AuditRow.id)
            )
        ).all()
    assert [(r.outcome, r.detail.get("reason"), r.detail.get("via")) for r in rows] == [
        ("refused", "no_unit", None),
        ("ok", None, "cli"),
    ]


async def test_coordinator_of_one_unit_cannot_promote_or_list(services: Any) -> None:
    coordinator = await person(services, 8002, "dinkes", Role.COORDINATOR)
    member = await person(services, 8003, "dinkes")
    with pytest.raises(NotAllowed):
        await services.users.set_role(coordinator, member.user_id, Role.COORDINATOR)
    with pytest.raises(NotAllowed):
        await services.users.list_users(coordinator)
    assert (await services.members.get(member.user_id)).role is Role.MEMBER


async def test_evidence_of_another_unit_is_unreachable_for_its_members(services: Any) -> None:
    owner = await person(services, 8004, "dinkes")
    stranger = await person(services, 8005, "dinsos", Role.COORDINATOR)
    item = await services.evidence.attach(
        owner, indicator_id="pr-maklumat", incoming=_pdf(), download=_download
    )
    with pytest.raises(NotAllowed):
        await services.evidence.fetch(stranger, item.id)
    with pytest.raises(NotAllowed):
        await services.evidence.list_for_unit(stranger, unit_id=item.unit_id)
    with pytest.raises(NotFound):
        await services.evidence.fetch(stranger, item.id + 1000)
    with pytest.raises(NotFound):
        await services.evidence.attach(
            owner, indicator_id="tidak-ada", incoming=_pdf(), download=_download
        )


async def test_forget_erases_personal_data_and_keeps_unit_evidence(
    services: Any, settings: Any
) -> None:
    member = await person(services, 8006, "dinkes", Role.COORDINATOR, name="Siti Rahma")
    await services.flows.put(member.user_id, "evidence", "file", {"indicator_id": "pr-biaya"})
    item = await services.evidence.attach(
        member, indicator_id="pr-maklumat", incoming=_pdf(), download=_download
    )
    report = await services.users.forget(OPERATOR, member.user_id)
    assert report.flows_cleared and report.evidence_detached == 1
    async with services.sessions() as session:
        row = await session.get(UserRow, member.user_id)
        evidence = (await session.scalars(select(EvidenceRow))).one()
    assert row is not None
    assert (row.telegram_id, row.chat_id, row.display_name, row.language) == (
        -member.user_id,
        None,
        "",
        None,
    )
    assert row.unit_id == await unit_id(services, "dinkes") and not row.active
    assert row.role == "member"
    assert evidence.uploaded_by is None and evidence.id == item.id
    assert _is_file(Path(settings.storage_dir, evidence.storage_key))
    assert await services.flows.get(member.user_id) is None
    # The same person writing again is a new, unregistered user.
    again = await services.members.arrive(
        update_id=None, telegram_id=8006, chat_id=8006, display_name="Siti", language_code="id"
    )
    assert again.member.user_id != member.user_id and again.member.unit_id is None
