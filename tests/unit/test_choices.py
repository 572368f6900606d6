"""Typed text read as a choice: letters, numbers, label words, everyday yes and no."""

from __future__ import annotations

import pytest

from bot.domain.choices import NO, YES, Choice, match_choice, yes_no

OPTIONS = [
    Choice("0", "Belum tahu"),
    Choice("1", "Tahu sebagian kecil"),
    Choice("2", "Tahu sebagian besar"),
    Choice("3", "Bisa menjelaskan ke-14 komponen"),
    Choice("skip", "Lewati", frozenset({"lewati"}), numbered=False),
]
QUIZ = [Choice(k, label, frozenset({k})) for k, label in (("a", "Satu"), ("b", "Dua"))]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("sebagian besar sih", "2"),
        ("Sebagian kecil", "1"),
        ("2", "1"),
        ("4", "3"),
        ("5", None),  # "Lewati" is not numbered
        ("lewati", "skip"),
        ("sebagian", None),  # two labels have it
        ("belum tahu", "0"),
        ("apa itu standar pelayanan?", None),
        ("", None),
    ],
)
def test_options(text: str, key: str | None) -> None:
    assert match_choice(text, OPTIONS) == key


@pytest.mark.parametrize(
    ("text", "key"), [("D", None), ("b", "b"), ("jawabannya A dong", "a"), ("B.", "b")]
)
def test_letters(text: str, key: str | None) -> None:
    assert match_choice(text, QUIZ) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("iya betul", YES), ("Ya", YES), ("oke", YES), ("benar", YES), ("ga", NO), ("tidak", NO),
     ("batal", NO), ("iya tidak", None), ("Dinas Kesehatan", None)],
)  # fmt: skip
def test_yes_no(text: str, key: str | None) -> None:
    assert match_choice(text, yes_no("Ya, benar", "Pilih lagi")) == key
