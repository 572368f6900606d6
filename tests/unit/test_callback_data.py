"""Callback payloads: round trip, 64-byte limit, and forged data decoding to None."""

from __future__ import annotations

import pytest

from bot.handlers import callback_data as cd


def test_round_trip() -> None:
    payload = cd.RegisterConfirm(unit_id=12, revision=3)
    data = cd.encode(payload)
    assert data == "rg1.y:12:3"
    assert cd.decode(data) == payload


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "rg1.y:12",
        "rg1.y:12:3:4",
        "rg1.y:x:3",
        "rg0.y:12:3",
        "zz:1",
        "rg1.y:12:" + "9" * 60,
        "rg1.p:-",
        "st1.l:",
        "rg1.u:1.5",
        "💥",
    ],
)
def test_malformed_or_forged_data_is_none(data: str | None) -> None:
    assert cd.decode(data) is None


def test_payload_that_would_exceed_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        cd.encode(cd.SettingsLanguage("x" * 70))


def test_pattern_matches_only_its_class() -> None:
    match = cd.pattern_for(cd.RegisterPick)
    assert match("rg1.u:5")
    assert not match("rg1.p:5")
    assert not match(None)
