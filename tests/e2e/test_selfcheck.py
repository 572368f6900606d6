"""/cek and /skor end to end: full runs, a restart mid-session, and bad or concurrent presses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.db.models import AuditRow, SelfCheckAnswerRow, UserRow
from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import Answer, Back, Pause, PickUnit, Skip
from tests.e2e.harness import Harness
from tests.e2e.steps import answer_buttons, best, register, run_to_end, worst

USER = 7101
COLLEAGUE = 7102
ESTIMATE = "Perkiraan — bukan nilai resmi Ombudsman"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def start_selfcheck(harness: Harness, user: int) -> None:
    """Start a 2024 self-check (38 indicators, colour zones) from the /cek edition picker."""
    await harness.send(user, "/cek")
    assert "Edisi penilaian mana?" in harness.last_text(user)
    await harness.press_label(user, "Edisi 2024")
    assert "Pertanyaan 1/38 · Input" in harness.last_text(user)


async def test_best_everywhere_scores_100_and_category_a(harness: Harness) -> None:
    await register(harness, USER)
    await start_selfcheck(harness, USER)
    card = await run_to_end(harness, USER, best)
    assert "Nilai perkiraan: <b>100,00</b>" in card
    assert "Kategori: A (Kualitas Tertinggi) · zona hijau" in card
    assert "Label opini: Kualitas Tertinggi" in card
    assert "Cakupan: 38 dari 38 indikator dijawab (100,00% dari bobot nilai)" in card
    assert ESTIMATE in card
    assert "• Input: 100,00 (bobot 21,85%)" in card
    assert "Tidak ada yang perlu diperbaiki" in card
    photo = harness.api.calls_to("sendPhoto")[-1]
    assert ESTIMATE in photo.params["caption"]
    assert photo.files["photo"].data.startswith(PNG_MAGIC)
    print("\n--- result card (best everywhere) ---\n" + card)
    # Every press was answered, and nothing after the end is offered.
    assert len(harness.answers()) == 2 + 1 + 38
    # A button of the finished session is stale; /cek then offers a new self-check.
    await harness.press(USER, cd.encode(Answer(1, 38, 3)))
    assert "sudah tidak berlaku" in harness.answers()[-1].params["text"]
    await harness.send(USER, "/cek")
    assert "Edisi penilaian mana?" in harness.last_text(USER)


async def test_worst_everywhere_scores_0_and_lowest_category(harness: Harness) -> None:
    await register(harness, USER)
    await start_selfcheck(harness, USER)
    card = await run_to_end(harness, USER, worst)
    assert "Nilai perkiraan: <b>0,00</b>" in card
    assert "Kategori: E (Kualitas Terendah) · zona merah" in card
    assert "<b>Perbaiki ini dulu</b>" in card
    # The largest single gains are Output's six equal indicators: 24.24 / 6 = 4.04 points each.
    assert "1. Penundaan berlarut: +4,04 poin jika “Tidak ada”" in card
    assert "3. Penyimpangan prosedur: +4,04 poin" in card
    labels = [label for label, _ in harness.buttons(USER)]
    assert len(labels) == 3 and all(label.startswith("📖 ") for label in labels)
    await harness.press_label(USER, labels[0][2:])
    assert "Sumber:" in harness.last_text(USER)


async def test_mixed_run_matches_hand_computed_score(harness: Harness, services: Any) -> None:
    # Input at 3, Proses at 0, Output at 1, Pengaduan at 3 (2024 = 2023 weights, scale 0-3):
    # 21.85 * 3/3 + 32.37 * 0/3 + 24.24 * 1/3 + 21.54 * 3/3 = 21.85 + 8.08 + 21.54 = 51.47 (D).
    methodology = services.content.methodologies["2024"]
    dimension_of = {ind.id: dim.id for dim in methodology.all_dimensions for ind in dim.indicators}
    target = {"input": 3, "proses": 0, "output": 1, "pengaduan": 3}

    def mixed(position: int, options: list[Answer]) -> Answer:
        wanted = target[dimension_of[methodology.indicators[position - 1].id]]
        return next(o for o in options if o.value == wanted)

    await register(harness, USER)
    await start_selfcheck(harness, USER)
    card = await run_to_end(harness, USER, mixed)
    assert "Nilai perkiraan: <b>51,47</b>" in card
    assert "Kategori: D (Kualitas Rendah) · zona merah" in card
    assert "• Proses: 0,00 (bobot 32,37%)" in card
    assert "• Output: 33,33 (bobot 24,24%)" in card


async def test_restart_mid_session_resumes_at_next_unanswered(
    harness: Harness, api_settings: Any, clock: Any
) -> None:
    from bot.app import build_application, build_services

    await register(harness, USER)
    await start_selfcheck(harness, USER)
    for _ in range(5):
        await harness.press(USER, cd.encode(best(0, answer_buttons(harness, USER))))
    assert "Pertanyaan 6/38" in harness.last_text(USER)

    # A new process: new services and a new Application on the same database.
    services2 = await build_services(api_settings, clock=clock)
    try:
        app2 = build_application(api_settings, services2)
        async with app2:
            second = Harness(app2, harness.api)
            await second.send(USER, "/cek")
            text = second.last_text(USER)
            assert "Melanjutkan cek mandiri" in text and "Pertanyaan 6/38" in text
            await second.press(USER, cd.encode(best(0, answer_buttons(second, USER))))
            assert "Pertanyaan 7/38" in second.last_text(USER)
        async with services2.sessions() as session:
            values = (
                await session.scalars(
                    select(SelfCheckAnswerRow.value).order_by(SelfCheckAnswerRow.id)
                )
            ).all()
        assert values == [3, 3, 3, 3, 3, 3]
    finally:
        await services2.engine.dispose()


async def test_back_skip_and_pause(harness: Harness) -> None:
    await register(harness, USER)
    await start_selfcheck(harness, USER)
    await harness.press(USER, cd.encode(answer_buttons(harness, USER)[1]))  # value 1
    await harness.press_label(USER, "Kembali")
    text = harness.last_text(USER)
    assert "Pertanyaan 1/38" in text and "Jawaban saat ini: Tahu sebagian kecil" in text
    assert any(label.startswith("✓ ") for label, _ in harness.buttons(USER))
    await harness.press(USER, cd.encode(best(0, answer_buttons(harness, USER))))
    assert "Pertanyaan 2/38" in harness.last_text(USER)
    await harness.press_label(USER, "Lewati")
    assert "Pertanyaan 3/38" in harness.last_text(USER)
    await harness.press_label(USER, "Jeda")
    assert "Dijeda setelah 2 dari 38 pertanyaan" in harness.last_text(USER)
    await harness.send(USER, "/cek")
    assert "Pertanyaan 3/38" in harness.last_text(USER)


async def test_double_press_old_button_forged_and_foreign_presses(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    await register(harness, COLLEAGUE, "Dinas Sosial")
    await start_selfcheck(harness, USER)
    first = best(0, answer_buttons(harness, USER))
    await harness.press(USER, cd.encode(first))
    await harness.press(USER, cd.encode(first))  # double press
    assert "sudah tidak berlaku" in harness.answers()[-1].params["text"]
    await harness.press(USER, cd.encode(Skip(first.session_id, first.step)))  # old step
    assert "sudah tidak berlaku" in harness.answers()[-1].params["text"]
    step2 = answer_buttons(harness, USER)[0]
    forged = [
        cd.encode(Answer(step2.session_id, step2.step, 7)),  # value not an option
        cd.encode(Answer(step2.session_id + 50, 1, 3)),  # no such session
        "ck1.a:1:x:3",
        "ck1.a:1:2",
    ]
    for data in forged:
        await harness.press(USER, data)
    # A colleague presses the forwarded button: not their session.
    await harness.press(COLLEAGUE, cd.encode(step2), message_id=1)
    await harness.press(COLLEAGUE, cd.encode(Pause(step2.session_id, step2.step)), message_id=1)
    answers = harness.answers()[-6:]
    assert all("sudah tidak berlaku" in a.params["text"] for a in answers)
    assert "Pertanyaan 2/38" in harness.last_text(USER)
    await harness.press(USER, cd.encode(step2))  # the real button still works
    assert "Pertanyaan 3/38" in harness.last_text(USER)
    async with services.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(SelfCheckAnswerRow))
    assert count == 2


async def test_two_members_of_one_unit_at_once_and_skor(
    harness: Harness, services: Any, clock: Any
) -> None:
    await register(harness, USER)
    await register(harness, COLLEAGUE)  # same unit
    await start_selfcheck(harness, USER)
    await start_selfcheck(harness, COLLEAGUE)
    for _ in range(3):  # interleaved answers
        await harness.press(USER, cd.encode(best(0, answer_buttons(harness, USER))))
        await harness.press(COLLEAGUE, cd.encode(worst(0, answer_buttons(harness, COLLEAGUE))))
    assert "Pertanyaan 4/38" in harness.last_text(USER)
    assert "Pertanyaan 4/38" in harness.last_text(COLLEAGUE)
    await run_to_end(harness, USER, best)
    clock.advance(minutes=5)
    card = await run_to_end(harness, COLLEAGUE, worst)
    assert "Nilai perkiraan: <b>0,00</b>" in card  # a session is scored on its own answers
    await harness.send(USER, "/skor 2024")
    board = harness.texts(USER)[-2]  # then the trend chart
    # The unit takes the latest answer per indicator: the colleague finished last, all worst.
    assert "Jawaban terakhir dari 2 anggota unit Anda" in board
    assert "Nilai perkiraan: <b>0,00</b>" in board
    assert "Tren (2 cek mandiri selesai)" in board
    assert "Pemerintah Kota Bontang: perkiraan <b>0,00</b>" in board
    assert "rata-rata dari 1 di antara" in board
    assert ESTIMATE in board
    assert harness.api.calls_to("sendPhoto")[-1].files["photo"].data.startswith(PNG_MAGIC)


async def test_coordinator_is_offered_only_their_unit_and_a_forged_pick_is_refused(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    async with services.sessions.begin() as session:
        row = await session.scalar(select(UserRow).where(UserRow.telegram_id == USER))
        row.role = "coordinator"
    await harness.send(USER, "/cek")
    dinsos = next(u.id for u in await services.units.list_units() if u.code == "dinsos")
    await harness.press(USER, cd.encode(PickUnit("2024", dinsos)), message_id=1)
    assert "koordinator atau admin" in harness.answers()[-1].params["text"]
    async with services.sessions() as session:
        refusals = (
            await session.scalars(select(AuditRow).where(AuditRow.action == "selfcheck.for_unit"))
        ).all()
    assert [r.outcome for r in refusals] == ["refused"]
    await harness.press_label(USER, "2024")
    # No list of 14 units to be refused on 13 of them: their own unit starts at once.
    text = harness.last_text(USER)
    assert "Cek mandiri 2024</b> · Dinas Kesehatan" in text and "Pertanyaan 1/38" in text
    assert not any("Dinas Sosial" in label for label, _ in harness.buttons(USER))


async def test_admin_without_unit_picks_one(harness: Harness) -> None:
    admin = 900
    await harness.send(admin, "/cek")
    await harness.press_label(admin, "2023")
    await harness.press_label(admin, "Dinas Sosial")
    text = harness.last_text(admin)
    assert "Cek mandiri 2023</b> · Dinas Sosial" in text and "Pertanyaan 1/38" in text


async def test_unregistered_user_is_sent_to_start(harness: Harness) -> None:
    await harness.send(USER, "/cek")
    assert "belum terdaftar" in harness.last_text(USER)
    await harness.send(USER, "/skor")
    assert "belum terdaftar" in harness.last_text(USER)


async def test_skor_without_answers_and_unknown_edition(harness: Harness) -> None:
    await register(harness, USER)
    await harness.send(USER, "/skor")
    assert "belum punya jawaban cek mandiri" in harness.last_text(USER)
    await harness.send(USER, "/skor 1999")
    assert "Edisi tidak dikenal" in harness.last_text(USER)
    back = cd.encode(Back(1, 1))
    await harness.press(USER, back, message_id=1)
    assert "sudah tidak berlaku" in harness.answers()[-1].params["text"]
