"""One truth for a unit's score: the result card, /skor and the export agree after answers,
back-steps and skips; "Lewati" never hides an earlier answer; every self-check ends with a card.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.models import SelfCheckAnswerRow
from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import Answer
from tests.builders import person
from tests.e2e.edition2024 import (  # noqa: F401 - fixtures with an explicit edition
    EDITION,
    answer_all,
    api_settings,
    export_score,
    settings,
)
from tests.e2e.harness import Harness

ANI, BUDI = 7501, 7502
SCORE = re.compile(r"Nilai perkiraan: <b>([\d.,]+)</b>")


def answers(harness: Harness, user: int) -> list[Answer]:
    payloads = [cd.decode(data) for _, data in harness.buttons(user)]
    return [p for p in payloads if isinstance(p, Answer)]


def score_in(text: str) -> str:
    found = SCORE.search(text)
    assert found, text
    return found.group(1)


async def test_back_then_skip_keeps_the_answer_and_every_view_agrees(
    harness: Harness, services: Any, database_url: str, tmp_path: Path
) -> None:
    await person(services, ANI, "dinkes", name="Ani")
    await person(services, BUDI, "dinkes", Role.COORDINATOR, name="Budi")
    await answer_all(harness, ANI, lambda options: max(options, key=lambda a: a.value))
    await harness.send(BUDI, f"/cek {EDITION}")
    for _ in range(12):  # questions 1-12: the second-lowest option
        await harness.press(
            BUDI, cd.encode(sorted(answers(harness, BUDI), key=lambda a: a.value)[1])
        )
    await harness.press_label(BUDI, "Kembali")
    shown = harness.last_text(BUDI)
    assert "Pertanyaan 12/38" in shown and "Jawaban saat ini:" in shown
    await harness.press_label(BUDI, "Lewati")  # leave question 12 as it is
    assert "Pertanyaan 13/38" in harness.last_text(BUDI)
    while not any("Hasil cek mandiri" in text for text in harness.texts(BUDI)[-2:]):
        await harness.press_label(BUDI, "Lewati")
    card = "\n".join(harness.texts(BUDI)[-2:])
    assert "Hasil pribadi" not in card and "sama dengan /skor" in card
    # Nothing was stored for question 12 after its answer; skips of 13-38 are markers only.
    async with services.sessions() as session:
        rows = (
            await session.scalars(
                select(SelfCheckAnswerRow)
                .where(SelfCheckAnswerRow.user_id != (await _user_id(services, ANI)))
                .order_by(SelfCheckAnswerRow.id)
            )
        ).all()
    twelfth = [r for r in rows if r.indicator_id == rows[11].indicator_id]
    assert [r.value for r in twelfth] == [1]
    card_score = score_in(card)
    await harness.send(BUDI, "/skor")
    board = next(t for t in reversed(harness.texts(BUDI)) if "Nilai perkiraan" in t)
    assert score_in(board) == card_score
    assert f"{float(export_score(database_url, tmp_path)):.2f}".replace(".", ",") == card_score
    assert "38 dari 38 indikator" in card and "38 dari 38 indikator" in board


async def _user_id(services: Any, telegram_id: int) -> int:
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name="x",
        language_code="id",
    )
    return int(arrival.member.user_id)


async def test_all_best_and_all_worst_each_end_with_a_card(
    harness: Harness, services: Any
) -> None:
    """No empty inline keyboard is sent (the fake refuses it like Telegram; the fixture fails
    the test on any refused call)."""
    await person(services, ANI, "dinkes", name="Ani")
    await person(services, BUDI, "dinsos", name="Budi")
    for user, pick in ((ANI, max), (BUDI, min)):
        await answer_all(
            harness, user, lambda options, pick=pick: pick(options, key=lambda a: a.value)
        )
        cards = [
            c for c in harness.to(user) if "Hasil cek mandiri" in str(c.params.get("text", ""))
        ]
        assert len(cards) == 1 and cards[0].error_code is None
        markup = cards[0].params.get("reply_markup")
        assert markup is None or markup["inline_keyboard"]
    assert harness.api.rejected_calls == []
