"""Pure recap helpers: mastery, lateness, weakest indicators, sheet names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.content.bundle import load_content
from bot.domain.recap import is_late, mastery, weakest_indicators
from bot.reports.xlsx import sheet_names
from tests.conftest import CONTENT

DUE = datetime(2025, 6, 20, 15, 59, tzinfo=UTC)


def test_mastery_rounds_half_up_and_is_none_without_answers() -> None:
    assert mastery(2, 3) == Decimal("66.67") and mastery(1, 8) == Decimal("12.50")
    assert mastery(0, 0) is None


def test_late_means_missed_the_due_date() -> None:
    before, after = DUE - timedelta(hours=1), DUE + timedelta(hours=1)
    assert not is_late(DUE, None, before) and is_late(DUE, None, after)
    assert not is_late(DUE, before, after) and is_late(DUE, after, after)


def test_weakest_are_lowest_means_ties_by_weight_best_everywhere_excluded() -> None:
    methodology = load_content(CONTENT).methodologies["2024"]
    best = {i.id: i.best.value for i in methodology.indicators}
    one = dict(best, **{"pr-maklumat": 0, "pr-prosedur": 1, "pr-biaya": 1})
    two = dict(best, **{"pr-maklumat": 3, "pr-prosedur": 1})
    shares = {"pr-biaya": Decimal("2"), "pr-prosedur": Decimal("1")}
    weak = weakest_indicators(methodology, [one, two], shares, n=5)
    # pr-prosedur: mean 1/3 over 2 units; pr-biaya: 2/3 (1 and 3); pr-maklumat: 1/2.
    assert [w.indicator_id for w in weak] == ["pr-prosedur", "pr-maklumat", "pr-biaya"]
    assert [w.mean for w in weak] == [Decimal("33.33"), Decimal("50.00"), Decimal("66.67")]
    tie = weakest_indicators(
        methodology, [dict(best, **{"pr-prosedur": 0, "pr-biaya": 0})], shares
    )
    assert [w.indicator_id for w in tie] == ["pr-biaya", "pr-prosedur"]
    assert weakest_indicators(methodology, [best], shares) == []


def test_sheet_names_are_short_valid_and_unique() -> None:
    long = "UPT Puskesmas Bontang Utara I dan Sekitarnya"
    names = sheet_names([long, long, "Tenggat", "A/B: [x]?", "ringkasan"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == 5
    assert "PKM" in names[0] and "…" not in names[0] and names[1].endswith(" (2)")
    assert names[2] == "Tenggat (2)" and names[4] == "ringkasan (2)"
    readable = sheet_names(["Dinas Sosial dan Pemberdayaan Masyarakat"])
    assert readable == ["Dinas Sosial dan Pemb. Masy."]
    assert not any(c in names[3] for c in "[]:*?/\\")
