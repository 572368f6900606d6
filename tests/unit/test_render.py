"""Rendering: user text is escaped; long text is split below Telegram's limit."""

from __future__ import annotations

from bot.domain.units import Unit
from bot.handlers import render
from bot.i18n import load_catalogs


def test_user_supplied_names_are_escaped() -> None:
    _ = load_catalogs().for_locale("id")
    text = render.welcome_pick_unit(_, "<script>alert(1)</script> & co")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text and "&amp; co" in text
    unit = Unit(1, "x", "Dinas <b>Palsu</b>", "opd", "kota")
    assert "&lt;b&gt;Palsu" in render.confirm_unit(_, unit)


def test_split_message_respects_limit_and_keeps_all_words() -> None:
    paragraph = " ".join(f"kata{i}" for i in range(300))
    text = "\n\n".join([paragraph] * 6)
    chunks = render.split_message(text)
    assert len(chunks) > 1
    assert all(len(chunk) <= render.SAFE_CHUNK for chunk in chunks)
    assert " ".join(chunks).split() == text.split()


def test_split_message_short_text_is_one_chunk() -> None:
    assert render.split_message("halo") == ["halo"]


def test_split_message_without_spaces_is_cut_hard() -> None:
    chunks = render.split_message("x" * 9000)
    assert [len(c) for c in chunks] == [3900, 3900, 1200]
