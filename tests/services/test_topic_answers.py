"""Questions about the edition in force, unknown years and the coordinator are answered directly
and truthfully, with the certainty note the topic's level calls for."""

from __future__ import annotations

from typing import Any

from bot.domain.knowledge import DecisionKind
from bot.handlers import qa_render
from bot.i18n import load_catalogs


async def _answer(services: Any, question: str) -> tuple[str, str, str]:
    """The topic id, the short answer's first paragraph, and the whole rendered reply."""
    answer = await services.qa.answer(question, member=None)
    assert answer.kind is DecisionKind.ANSWER and answer.topic is not None, question
    _ = load_catalogs().for_locale("id")
    reply = qa_render.plain_answer(_, answer, question)
    return answer.topic.id, answer.topic.short.split("\n\n", 1)[0], reply


async def test_dropped_indicator_says_2025_no_longer_assesses_it(services: Any) -> None:
    topic, first, reply = await _answer(services, "visi misi masih dinilai?")
    assert topic == "ind-visi-misi"
    assert first.startswith("Tidak lagi sebagai indikator tersendiri.")
    assert "2025" in first and "Sebelum 2025 (2022–2024)" in reply
    assert "Satu sumber:" in reply  # the 2023 indicator list has one source


async def test_category_a_in_2025_says_the_ranges_are_unpublished(services: Any) -> None:
    topic, first, reply = await _answer(services, "kategori A 2025 mulai nilai brp")
    assert topic == "batas-kategori-a"
    assert "2025" in first and "belum dipublikasikan" in first
    assert "88,00–100" in reply  # the older ranges follow, labelled 2022–2024
    assert "Satu sumber" not in reply and "Belum pasti:" not in reply  # confirmed topic


async def test_2026_says_what_is_and_is_not_known(services: Any) -> None:
    topic, first, reply = await _answer(services, "penilaian 2026 metodenya apa")
    assert topic == "penilaian-2026"
    assert "belum ada ketentuan" in first and "Peraturan Ombudsman 61/2025" in first
    assert "Belum pasti: informasi ini berupa dugaan" in reply


async def test_the_coordinator_in_a_pemda_is_answered_and_not_overclaimed(services: Any) -> None:
    topic, first, reply = await _answer(
        services, "siapa yg koordinir persiapan penilaian di pemda"
    )
    assert topic == "bagian-organisasi"
    assert "Bagian Organisasi" in first and "bukan ketentuan Ombudsman" in first
    assert "fasilitator" in first  # what the Bontang FGD said, not a general rule
    assert "Satu sumber:" in reply
