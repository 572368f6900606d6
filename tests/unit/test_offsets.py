"""Typed and toggled reminder offsets (pure)."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.offsets import check_offsets, parse_offsets, toggle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 7 3 1 0", (14, 7, 3, 1, 0)),
        ("H-7, H-1, hari H", (7, 1, 0)),
        ("h-3 dan h", (3, 0)),
        ("Hari H-1, H", (1, 0)),
        ("H - 14; H-7 & hari-H", (14, 7, 0)),
        ("0 1 3", (3, 1, 0)),
        ("H-0", (0,)),
        ("H–30, h-60.", (60, 30)),
    ],
)
def test_typed_offsets_are_read(text: str, expected: tuple[int, ...]) -> None:
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("besok", "unreadable"),
        ("H+1", "unreadable"),
        ("-3", "unreadable"),
        ("61", "out_of_range"),
        ("H-90", "out_of_range"),
        ("7 7", "duplicate"),
        ("H-0, hari H", "duplicate"),
    ],
)
def test_bad_offsets_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_offsets(text)
    assert (caught.value.field, caught.value.reason) == ("offsets", reason)


def test_offsets_a_deadline_already_has_may_stay_beyond_sixty_days() -> None:
    assert check_offsets([90, 7], keep=[90, 14]) == (90, 7)
    with pytest.raises(InvalidInput):
        check_offsets([75, 7], keep=[90])


def test_toggle_adds_and_removes() -> None:
    assert toggle((14, 7, 0), 2) == (14, 7, 2, 0)
    assert toggle((14, 7, 0), 7) == (14, 0)
    assert toggle((0,), 0) == ()
