"""Certainty wording (one short note per level, none when confirmed) and assumed weights."""

from __future__ import annotations

import pytest

from bot.content.bundle import load_content
from bot.domain.knowledge import Topic
from bot.domain.methodology import Certainty
from bot.handlers import qa_render
from bot.i18n import Translator, load_catalogs
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def id_() -> Translator:
    return load_catalogs().for_locale("id")


def test_each_level_has_its_own_note_and_confirmed_has_none(id_: Translator) -> None:
    notes = {
        level: qa_render.certainty_note(id_, level) for level in ("satu-sumber", "belum-pasti")
    }
    assert notes["satu-sumber"] == (
        "Satu sumber: informasi ini baru dari satu sumber dan belum dikonfirmasi sumber kedua."
    )
    assert notes["belum-pasti"] is not None and notes["belum-pasti"].startswith("Belum pasti:")
    assert qa_render.certainty_note(id_, "pasti") is None
    # Methodology items use the same levels: one source reads like a topic's.
    assert qa_render.certainty_note(id_, Certainty.SATU_SUMBER.value) == notes["satu-sumber"]


def test_topic_text_shows_the_note_only_when_not_confirmed(id_: Translator) -> None:
    topic = Topic(id="t", title="T", short="Isi.", sources=("UU 25/2009",), certainty="pasti")
    assert "⚠️" not in qa_render.topic_text(id_, topic)
    unsure = Topic(id="t", title="T", short="Isi.", sources=("X",), certainty="belum-pasti")
    assert "⚠️ Belum pasti:" in qa_render.topic_text(id_, unsure)


def test_indicator_weight_filled_by_equal_shares_is_called_an_assumption(id_: Translator) -> None:
    edition = load_content(CONTENT).methodologies["2023"]
    input_ = next(d for d in edition.dimensions if d.id == "input")
    indicators = [i for v in input_.variables for i in v.indicators]
    written = next(i for i in indicators if not i.weight_is_default)
    assumed = next(i for i in indicators if i.weight_is_default)
    assert "Bobot: 12,22 % dari dimensi\n" in qa_render.indicator_text(id_, input_, written)
    assumed_text = qa_render.indicator_text(id_, input_, assumed)
    assert "Bobot: 6,27 % dari dimensi (asumsi: dibagi sama rata" in assumed_text
