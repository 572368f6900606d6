"""/skor by someone whose join request still waits: a clear answer, not "belum terdaftar"."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.units import Role
from tests.builders import ADMIN, person
from tests.e2e.edition2024 import answer_all
from tests.e2e.harness import Harness

EDITION = "2024"
COORD, NEWCOMER, STRANGER = 7501, 7502, 7503
WAITING = "sedang menunggu persetujuan koordinator unit"


@pytest.fixture
def api_settings(settings_factory: Any, bot_api: Any) -> Any:
    return settings_factory(
        token="123456:TEST-TOKEN",
        api_base_url=bot_api.base_url,
        api_file_url=bot_api.base_file_url,
        edition=EDITION,
    )


async def test_waiting_person_is_told_why_and_sees_their_personal_result(
    harness: Harness, services: Any
) -> None:
    await person(services, ADMIN, None, name="Admin")
    await person(services, COORD, "dinkes", Role.COORDINATOR, name="Cici")
    await harness.send(NEWCOMER, "/start")
    await harness.press_label(NEWCOMER, "Dinas Kesehatan")
    await harness.press_label(NEWCOMER, "Ya, benar")

    await harness.send(NEWCOMER, f"/skor {EDITION}")
    text = harness.last_text(NEWCOMER)
    assert "belum terdaftar" not in text
    assert f"Permintaan Anda bergabung ke <b>Dinas Kesehatan</b> {WAITING}" in text
    assert "ketik /cek" in text and "Hasil cek mandiri" not in text

    await answer_all(harness, NEWCOMER, lambda answers: min(answers, key=lambda a: a.value))
    await harness.send(NEWCOMER, f"/skor {EDITION}")
    text = harness.last_text(NEWCOMER)
    assert WAITING in text and "ketik /cek" not in text
    assert "Hasil cek mandiri — Dinas Kesehatan" in text and "Hasil pribadi" in text
    assert "skor unit dari jawaban terbaru" not in text  # not presented as the unit's score

    # Someone with neither a unit nor a request is still sent to /start.
    await harness.send(STRANGER, "/skor")
    assert "belum terdaftar" in harness.last_text(STRANGER)
