"""Unit search and paging used by the registration keyboard."""

from __future__ import annotations

from bot.domain.units import Unit, fold, page, search_units


def _units() -> list[Unit]:
    names = [
        "Dinas Kesehatan",
        "UPT Puskesmas Bontang Utara I",
        "Dinas Sosial",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Kecamatan Bontang Utara",
    ]
    return [Unit(i, f"u{i}", name, "opd", "kota") for i, name in enumerate(names, start=1)]


def test_fold_ignores_case_accents_and_spaces() -> None:
    assert fold("  DÍNAS   Kesehatan ") == "dinas kesehatan"


def test_search_needs_every_word_and_prefers_name_prefix() -> None:
    hits = search_units(_units(), "bontang utara")
    assert [u.name for u in hits] == ["UPT Puskesmas Bontang Utara I", "Kecamatan Bontang Utara"]
    assert [u.name for u in search_units(_units(), "dinas")][0] == "Dinas Kesehatan"
    assert search_units(_units(), "kependudukan")[0].code == "u4"


def test_search_without_match_is_empty_and_empty_query_is_all() -> None:
    assert search_units(_units(), "pajak") == []
    assert len(search_units(_units(), "   ")) == 5


def test_page_clamps_and_counts() -> None:
    items, number, pages = page(_units(), 7, 2)
    assert (number, pages) == (2, 3)
    assert [u.id for u in items] == [5]
    assert page([], 0, 8) == ([], 0, 1)
