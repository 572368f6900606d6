"""Catalogs: Indonesian complete and current; Babel formats dates and numbers in Indonesian."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from babel.messages.pofile import read_po

from bot.i18n import load_catalogs
from bot.i18n.catalog import LOCALES_DIR
from bot.i18n.tools import extract, problems


def test_indonesian_catalog_has_every_msgid_translated_and_not_fuzzy() -> None:
    assert problems("id") == []


def test_template_matches_a_fresh_extraction() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        committed = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0])
            for m in read_po(handle)
            if m.id
        }
    fresh = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in extract() if m.id}
    assert committed == fresh, "run: python -m bot.i18n.tools update"


def test_indonesian_numbers_and_dates() -> None:
    _ = load_catalogs().for_locale("id")
    assert _.number(Decimal("88.23")) == "88,23"
    assert _.number(1234.5) == "1.234,50"
    moment = datetime(2025, 6, 12, 0, 0, tzinfo=UTC)
    assert _.datetime(moment, "Asia/Makassar") == "Kamis, 12 Juni 2025 pukul 08.00 WITA"
    assert (
        _.datetime(
            datetime(2025, 3, 31, 23, 59, tzinfo=UTC), "Asia/Makassar", "d MMMM y HH:mm zzz"
        )
        == "1 April 2025 07:59 WITA"
    )


def test_english_falls_back_to_msgids_and_unknown_locale_to_default() -> None:
    catalogs = load_catalogs()
    assert catalogs.for_locale("en-GB").gettext("Change unit") == "Change unit"
    assert catalogs.for_locale("fr").gettext("Change unit") == "Ganti unit"
    assert catalogs.for_locale("id").pgettext("role", "member") == "anggota"
