"""/cek and /skor follow the default edition (the one in force, 2025) and can show another."""

from __future__ import annotations

from typing import Any

import pytest

from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import ScoreEdition
from tests.e2e.harness import Harness
from tests.e2e.steps import best, register, run_to_end

USER = 7101


def _labels(harness: Harness, user: int) -> list[str]:
    return [label for label, _ in harness.buttons(user)]


async def test_cek_offers_the_edition_in_force_first_and_2025_has_no_zone_line(
    harness: Harness, services: Any
) -> None:
    total = len(services.content.methodologies["2025"].indicators)
    await register(harness, USER)
    await harness.send(USER, "/cek")
    assert "Edisi 2025 yang berlaku" in harness.last_text(USER)
    labels = _labels(harness, USER)
    assert labels[0] == "Edisi 2025 (berlaku)" and "Edisi 2024" in labels
    await harness.press_label(USER, "Edisi 2025 (berlaku)")
    assert f"Pertanyaan 1/{total} · Input" in harness.last_text(USER)
    card = await run_to_end(harness, USER, best)
    assert "Edisi 2025" in card and "Nilai perkiraan: <b>100,00</b>" in card
    assert "Kategori: A (Kualitas Tertinggi)\n" in card
    assert "zona" not in card  # 2025 has no colour zones: no "zona –"
    assert "⚠️ Belum pasti: rentang nilai label opini 2025 tidak dipublikasikan" in card
    assert f"Cakupan: {total} dari {total} indikator dijawab (100,00% dari bobot nilai)" in card
    assert "• Kepercayaan Masyarakat: 100,00 (bobot 30,00%)" in card


async def test_skor_defaults_to_2025_and_buttons_switch_the_edition(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    await harness.send(USER, "/cek")
    await harness.press_label(USER, "Edisi 2025 (berlaku)")
    await run_to_end(harness, USER, best)

    await harness.send(USER, "/skor")
    board = harness.last_text(USER)
    assert "· edisi 2025" in board and "Nilai perkiraan: <b>100,00</b>" in board
    assert "Kategori: A (Kualitas Tertinggi)\n" in board and "zona" not in board
    assert "Semua angka di atas milik edisi 2025." in board
    assert "rentang nilai label opini 2025 tidak dipublikasikan" in board
    assert _labels(harness, USER) == ["Edisi 2024", "Edisi 2023", "Edisi 2022"]

    answered = len(harness.answers())
    await harness.press_label(USER, "Edisi 2024")
    assert len(harness.answers()) == answered + 1
    board = harness.last_text(USER)
    assert harness.api.calls[-1].method == "editMessageText"
    assert "· edisi 2024" in board and "belum punya jawaban cek mandiri" in board
    assert "Semua angka di atas milik edisi 2024." in board
    assert _labels(harness, USER)[0] == "Edisi 2025 (berlaku)"

    await harness.press_label(USER, "Edisi 2025 (berlaku)")
    assert "Nilai perkiraan: <b>100,00</b>" in harness.last_text(USER)
    assert len(harness.answers()) == answered + 2


async def test_skor_edition_button_of_an_unknown_edition_is_answered(harness: Harness) -> None:
    await register(harness, USER)
    await harness.send(USER, "/skor")
    await harness.press(USER, cd.encode(ScoreEdition("1999")))
    answer = harness.answers()[-1]
    assert "Ketik /skor lagi" in answer.params["text"] and answer.params["show_alert"]
    await harness.send(USER, "/skor 2023")
    assert "· edisi 2023" in harness.last_text(USER)


class TestPinnedEdition:
    """BOT_EDITION=2024: 2024 is the default, 2025 is still labelled as the edition in force."""

    @pytest.fixture
    def settings(self, settings_factory: Any) -> Any:
        return settings_factory(edition="2024")

    async def test_picker_and_skor_follow_bot_edition(
        self, harness: Harness, services: Any
    ) -> None:
        assert services.selfcheck.current_edition == "2024"
        assert services.evidence.methodology.id == "2024"
        await register(harness, USER)
        await harness.send(USER, "/cek")
        assert "Bot ini memakai edisi 2024 sebagai bawaan" in harness.last_text(USER)
        labels = _labels(harness, USER)
        assert labels[:2] == ["Edisi 2024 (bawaan)", "Edisi 2025 (berlaku)"]
        await harness.send(USER, "/skor")
        assert "· edisi 2024" in harness.last_text(USER)
        assert _labels(harness, USER)[0] == "Edisi 2025 (berlaku)"


async def test_double_press_of_a_skor_edition_button_is_answered_quietly(
    harness: Harness,
) -> None:
    await register(harness, USER)
    await harness.send(USER, "/skor")
    message_id, data = harness.find_button(USER, "Edisi 2024")
    sent = len(harness.api.calls_to("sendMessage"))
    answered = len(harness.answers())
    await harness.press(USER, data, message_id=message_id)
    await harness.press(USER, data, message_id=message_id)  # same text: "not modified"
    assert len(harness.answers()) == answered + 2
    assert len(harness.api.calls_to("sendMessage")) == sent  # no error message
    assert "· edisi 2024" in harness.last_text(USER)
    # Telegram refuses the second edit ("message is not modified"); the bot must shrug it off.
    rejected = [c.method for c in harness.api.rejected_calls]
    assert rejected == ["editMessageText"]
    harness.api.rejected_calls.clear()
