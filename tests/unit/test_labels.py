"""User-facing labels: word-boundary shortening, unit type names, the broadcast summary."""

from __future__ import annotations

import pytest

from bot.handlers import broadcast_render
from bot.handlers.keyboards import short
from bot.handlers.render import unit_type_name
from bot.i18n import load_catalogs
from bot.services.broadcasts import BroadcastSummary

_ = load_catalogs().for_locale("id")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (
            "Foto sarana bagi pengguna berkebutuhan khusus",
            40,
            "Foto sarana bagi pengguna berkebutuhan…",
        ),
        ("Foto sarana bagi pengguna berkebutuhan khusus", 30, "Foto sarana bagi pengguna…"),
        ("Pendek", 40, "Pendek"),
        ("  banyak   spasi\nbaris  ", 40, "banyak spasi baris"),
        ("Supercalifragilisticexpialidocious", 10, "Supercali…"),
        ("Ketersediaan sarana prasarana, bagi pengguna", 31, "Ketersediaan sarana prasarana…"),
    ],
)
def test_short_cuts_at_word_boundaries(text: str, limit: int, expected: str) -> None:
    assert short(text, limit) == expected
    assert len(short(text, limit)) <= limit


def test_unit_types_have_names_not_codes() -> None:
    assert unit_type_name(_, "opd") == "OPD (dinas/badan)"
    assert unit_type_name(_, "bagian") == "Bagian Setda"
    assert unit_type_name(_, "upt-baru") == "Upt baru"  # unknown: at least not a raw slug


def test_broadcast_summary_names_who_failed_and_why() -> None:
    result = BroadcastSummary(
        1,
        10,
        "id",
        recipients=5,
        sent=2,
        blocked=1,
        failed=2,
        skipped=0,
        problems=(
            ("Budi", "Dinas Kesehatan", "blocked", "Forbidden: bot was blocked by the user"),
            ("Sari <x>", "", "failed", "Bad Request: chat not found"),
        ),
    )
    lines = broadcast_render.summary(_, result).split("\n")
    assert lines[1] == "• Budi (Dinas Kesehatan): memblokir bot"
    assert lines[2] == "• Sari &lt;x&gt;: ditolak Telegram: Bad Request: chat not found"
    assert lines[3] == "… dan 1 lainnya."
