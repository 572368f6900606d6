"""The default edition: BOT_EDITION if set, else the newest edition that has indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.config import SettingsError, load_settings
from bot.domain.editions import default_edition, edition_in_force, editions_with_indicators
from bot.domain.errors import NotFound
from bot.domain.methodology import Category, Methodology, methodology_from_dict
from tests.unit.methodology_docs import minimal

CATEGORIES = (Category("A", "Semua", min=Decimal(0), max=Decimal(100)),)


def _with_indicators(edition: str) -> Methodology:
    document = minimal()
    document["id"] = edition
    return methodology_from_dict(document)


def _without_indicators(edition: str) -> Methodology:
    return Methodology(id=edition, name=edition, scale_min=0, scale_max=3, categories=CATEGORIES)


EDITIONS = {
    "2021": _without_indicators("2021"),
    "2023": _with_indicators("2023"),
    "2025": _with_indicators("2025"),
    "2026": _without_indicators("2026"),  # announced, no indicators yet: not in force
}


def test_the_edition_in_force_is_the_newest_with_indicators() -> None:
    assert editions_with_indicators(EDITIONS) == ["2025", "2023"]
    assert edition_in_force(EDITIONS) == "2025"
    assert default_edition(EDITIONS, None) == "2025"


def test_a_configured_edition_wins_if_it_has_indicators() -> None:
    assert default_edition(EDITIONS, "2023") == "2023"
    for wrong in ("2021", "2026", "2030"):
        with pytest.raises(NotFound):
            default_edition(EDITIONS, wrong)


def test_no_edition_with_indicators_has_no_default() -> None:
    only = {"2021": EDITIONS["2021"]}
    assert edition_in_force(only) is None
    with pytest.raises(NotFound):
        default_edition(only, None)


def test_settings_default_to_the_edition_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().edition is None
    assert load_settings().edition_for(EDITIONS) == "2025"
    monkeypatch.setenv("BOT_EDITION", " ")
    assert load_settings().edition is None
    monkeypatch.setenv("BOT_EDITION", "2023")
    assert load_settings().edition_for(EDITIONS) == "2023"
    monkeypatch.setenv("BOT_EDITION", "2026")
    with pytest.raises(SettingsError, match=r"^BOT_EDITION: '2026' is not an edition"):
        load_settings().edition_for(EDITIONS)
