"""Membership with consent, end to end: join requests, decisions, and whose answers count.

Black box where it matters: the unit's predicted score is read with the real
`python -m bot export --format csv` process on the same database. The edition is explicit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.models import AuditRow
from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.handlers.membership_render import JoinDecide
from bot.handlers.selfcheck import Answer
from bot.services.users import OPERATOR
from tests.builders import ADMIN, person
from tests.e2e.edition2024 import (  # noqa: F401 - fixtures with an explicit edition
    EDITION,
    answer_all,
    api_settings,
    export_score,
    settings,
)
from tests.e2e.harness import Harness

COORD, OLD_HAND, NEWCOMER = 7401, 7402, 7403


async def audit_actions(services: Any) -> list[str]:
    async with services.sessions() as session:
        return [r.action for r in (await session.scalars(select(AuditRow))).all()]


async def test_newcomer_counts_for_the_unit_only_after_the_coordinator_accepts(
    harness: Harness, services: Any, database_url: str, tmp_path: Path
) -> None:
    await person(services, ADMIN, None, name="Admin")
    await person(services, COORD, "dinkes", Role.COORDINATOR, name="Cici")
    await person(services, OLD_HAND, "dinkes", name="Ani")
    await answer_all(harness, OLD_HAND, lambda answers: max(answers, key=lambda a: a.value))
    before = export_score(database_url, tmp_path)
    assert float(before) == 100.0

    # A stranger registers to Dinas Kesehatan: a request, not a membership.
    await harness.send(NEWCOMER, "/start")
    await harness.press_label(NEWCOMER, "Dinas Kesehatan")
    await harness.press_label(NEWCOMER, "Ya, benar")
    assert "sudah dikirim ke koordinatornya dan admin" in harness.last_text(NEWCOMER)
    for decider in (COORD, ADMIN):
        assert "Budi ingin bergabung ke <b>Dinas Kesehatan</b>" in harness.last_text(decider)
        assert [label for label, _ in harness.buttons(decider)] == ["✅ Terima", "❌ Tolak"]
    assert (
        await services.members.get(
            (
                await services.members.arrive(
                    update_id=None,
                    telegram_id=NEWCOMER,
                    chat_id=NEWCOMER,
                    display_name="Budi",
                    language_code="id",
                )
            ).member.user_id
        )
    ).unit_id is None

    # Personal self-check, all worst: the unit's score does not move.
    await answer_all(harness, NEWCOMER, lambda answers: min(answers, key=lambda a: a.value))
    assert "Hasil pribadi" in "".join(harness.texts(NEWCOMER)[-3:])
    assert export_score(database_url, tmp_path) == before
    coordinator = await services.members.get(
        (await services.users.find_by_telegram_id(OPERATOR, COORD)).user_id
    )
    board = await services.selfcheck.scoreboard(coordinator, edition=EDITION)
    assert len(board.trend) == 1 and board.contributors == 1  # the personal run is not the unit's
    await harness.send(NEWCOMER, "/kuis")  # quizzes are open while waiting
    assert "belum terdaftar" not in harness.last_text(NEWCOMER)

    # The coordinator accepts: the person is told, and their answers now count.
    await harness.press_label(COORD, "Terima")
    assert "Budi diterima di <b>Dinas Kesehatan</b> oleh" in harness.last_text(COORD)
    told = harness.last_text(NEWCOMER)
    assert "Permintaan Anda diterima" in told and "38 jawaban cek mandiri" in told
    after = export_score(database_url, tmp_path)
    assert float(after) < float(before)
    # The admin's copy of the request is stale now.
    await harness.press_label(ADMIN, "Tolak")
    assert "sudah diputuskan" in harness.answers()[-1].params["text"]
    # /skor of the coordinator shows the same figure as the export, and what changed.
    await harness.send(COORD, "/skor")
    texts = "\n".join(harness.texts(COORD)[-4:])
    assert f"{float(after):.2f}".replace(".", ",") in texts
    assert "Perubahan sejak terakhir Anda lihat" in texts and "(Budi," in texts
    actions = await audit_actions(services)
    assert "unit.join_request" in actions and "unit.join_accept" in actions
    assert "selfcheck.answer" in actions


async def test_moving_coordinator_is_warned_loses_the_role_and_the_old_unit_is_told(
    harness: Harness, services: Any
) -> None:
    await person(services, ADMIN, None, name="Admin")
    await person(services, 7411, "dinsos", Role.COORDINATOR, name="Dodi")
    await person(services, 7412, "dinsos", Role.COORDINATOR, name="Eka")
    await person(services, COORD, "dinkes", Role.COORDINATOR, name="Cici")
    await harness.send(7411, "/start")
    await harness.press_label(7411, "Ganti unit")
    await harness.press_label(7411, "Dinas Kesehatan")
    assert "Anda koordinator <b>Dinas Sosial" in harness.last_text(7411)
    await harness.press_label(7411, "Ya, benar")
    text = harness.last_text(7411)
    assert "keluar dari Dinas Sosial" in text and "Peran koordinator" in text
    for told in (7412, ADMIN):
        assert "koordinator <b>Dinas Sosial dan Pemberdayaan Masyarakat</b>, pindah" in "".join(
            harness.texts(told)
        )
    dodi = (
        await services.members.arrive(
            update_id=None, telegram_id=7411, chat_id=7411, display_name="Dodi", language_code="id"
        )
    ).member
    assert dodi.role is Role.MEMBER and dodi.unit_id is None and dodi.pending_unit_id
    # Refused by the admin: told, and still nobody's member.
    await harness.press_label(ADMIN, "Tolak")
    assert "ditolak" in harness.last_text(7411)
    actions = await audit_actions(services)
    assert {"unit.role_lost", "unit.leave", "unit.join_request", "unit.join_refuse"} <= set(
        actions
    )


async def test_forged_decision_by_a_stranger_is_refused_and_audited(
    harness: Harness, services: Any
) -> None:
    await person(services, COORD, "dinkes", Role.COORDINATOR, name="Cici")
    other = await person(services, 7421, "dinsos", Role.COORDINATOR, name="Dodi")
    await harness.send(NEWCOMER, "/start")
    await harness.press_label(NEWCOMER, "Dinas Kesehatan")
    await harness.press_label(NEWCOMER, "Ya, benar")
    _, data = harness.find_button(COORD, "Terima")
    request_id = cd.decode(data).request_id
    await harness.press(other.telegram_id, cd.encode(JoinDecide(request_id, True)), message_id=1)
    assert "koordinator atau admin" in harness.answers()[-1].params["text"]
    async with services.sessions() as session:
        refused = (
            await session.scalars(
                select(AuditRow).where(
                    AuditRow.action == "membership.decide", AuditRow.outcome == "refused"
                )
            )
        ).all()
    assert [r.actor_user_id for r in refused] == [other.user_id]


async def test_unit_without_coordinator_admin_decides_or_open_join(
    harness: Harness, services: Any
) -> None:
    await person(services, ADMIN, None, name="Admin")
    await harness.send(NEWCOMER, "/start")
    await harness.press_label(NEWCOMER, "Dinas Sosial")
    await harness.press_label(NEWCOMER, "Ya, benar")
    assert "Budi ingin bergabung ke <b>Dinas Sosial" in harness.last_text(ADMIN)
    await harness.press_label(ADMIN, "Terima")
    assert "sekarang anggota <b>Dinas Sosial" in harness.last_text(NEWCOMER)
    services.membership._open_join = True  # BOT_OPEN_JOIN=true: no request at all
    await harness.send(7431, "/start")
    await harness.press_label(7431, "Dinas Sosial")
    await harness.press_label(7431, "Ya, benar")
    assert "terdaftar di <b>Dinas Sosial" in harness.last_text(7431)


async def test_coordinator_sees_a_disagreement_and_settles_it(
    harness: Harness, services: Any, database_url: str, tmp_path: Path
) -> None:
    await person(services, COORD, "dinkes", Role.COORDINATOR, name="Cici")
    await person(services, OLD_HAND, "dinkes", name="Ani")
    await person(services, 7441, "dinkes", name="Eko")
    await answer_all(harness, OLD_HAND, lambda answers: max(answers, key=lambda a: a.value))
    await harness.send(7441, f"/cek {EDITION}")
    lowest = min(
        (p for p in (cd.decode(d) for _, d in harness.buttons(7441)) if isinstance(p, Answer)),
        key=lambda a: a.value,
    )
    await harness.press(7441, cd.encode(lowest))
    await harness.press_label(7441, "Jeda")
    assert float(export_score(database_url, tmp_path)) < 100
    await harness.send(COORD, "/skor")
    review = next(t for t in reversed(harness.texts(COORD)) if "Beda pendapat" in t)
    assert "Perubahan sejak terakhir Anda lihat" in review
    settle = [label for label, _ in harness.buttons(COORD) if label.startswith("Tetapkan 1:")]
    assert len(settle) == 2
    # A plain member cannot settle (forged button): refused, audited, nothing changes.
    _, data = harness.find_button(COORD, settle[-1])
    await harness.press(7441, data, message_id=1)
    assert "koordinator atau admin" in harness.answers()[-1]["text"]
    await harness.press_label(COORD, settle[-1])  # the best option
    assert "Ditetapkan" in harness.last_text(COORD)
    assert float(export_score(database_url, tmp_path)) == 100.0
    await harness.send(COORD, "/skor")
    assert not any("Beda pendapat" in t for t in harness.texts(COORD)[-3:])
    async with services.sessions() as session:
        settles = (
            await session.scalars(select(AuditRow).where(AuditRow.action == "selfcheck.settle"))
        ).all()
    assert [(r.outcome, r.detail.get("new")) for r in settles] == [
        ("refused", None),
        ("ok", 3),
    ]
