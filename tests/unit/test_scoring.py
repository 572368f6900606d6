"""Unit and property tests for the self-check scoring engine."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidAnswer
from bot.domain.methodology import Methodology, Zone, methodology_from_dict
from bot.domain.scoring import classify, government_score, score_unit, top_gains

CONTENT = Path(__file__).parents[2] / "content" / "metodologi"
DOCUMENTS: dict[str, dict[str, Any]] = {
    path.stem: yaml.safe_load(path.read_text("utf-8")) for path in CONTENT.glob("*.yaml")
}
EDITIONS = {key: methodology_from_dict(doc, bases=DOCUMENTS) for key, doc in DOCUMENTS.items()}
M2023 = EDITIONS["2023"]
M2025 = EDITIONS["2025"]
SCORED = ["2022", "2023", "2024", "2025"]


def all_at(m: Methodology, value: int) -> dict[str, int]:
    return {indicator.id: value for indicator in m.indicators}


@pytest.mark.parametrize("edition", SCORED)
def test_all_best_is_100_and_category_a(edition: str) -> None:
    result = score_unit(EDITIONS[edition], all_at(EDITIONS[edition], 3))
    assert result.score == Decimal("100.00")
    assert result.category is not None and result.category.code == "A"
    assert result.coverage == Decimal("100.00") and result.complete
    assert all(d.score == Decimal("100.00") for d in result.dimensions)


@pytest.mark.parametrize("edition", SCORED)
def test_all_worst_is_0_and_category_e(edition: str) -> None:
    result = score_unit(EDITIONS[edition], all_at(EDITIONS[edition], 0))
    assert result.score == Decimal("0.00")
    assert result.category is not None and result.category.code == "E"


def test_2023_zone_and_opinion_for_full_marks() -> None:
    result = score_unit(M2023, all_at(M2023, 3), ombudsman_products_followed_up=True)
    assert result.zone is Zone.HIJAU and result.opinion == "Kualitas Tertinggi"


def test_hand_computed_mixed_case_on_2023() -> None:
    # Maklumat missing: Proses loses one of 11 equal indicators -> 100 - 32.37 / 11 = 97.0573.
    answers = all_at(M2023, 3) | {"pr-maklumat": 0}
    result = score_unit(M2023, answers)
    assert result.score == Decimal("97.06")
    proses = next(d for d in result.dimensions if d.id == "proses")
    assert proses.score == Decimal("90.91")  # 10/11
    # Knowledge of SP components at 1 of 3: 100 - 21.85 * 12.22 % * 2/3 = 98.2199.
    answers = all_at(M2023, 3) | {"in-pengetahuan-komponen-sp": 1}
    result = score_unit(M2023, answers)
    assert result.score == Decimal("98.22")
    kompetensi = result.dimensions[0].variables[0]
    assert kompetensi.id == "kompetensi-pelaksana"
    # Variable: (12.22 * 1/3 + 5 * 6.27) / 43.57 = 81.30 %
    assert kompetensi.score == Decimal("81.30")


def test_hand_computed_mixed_case_on_a_small_document() -> None:
    def ind(ident: str, weight: int | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": ident,
            "name": ident,
            "question": "?",
            "evidence": "-",
            "topic": "x",
            "certainty": "pasti",
            "options": [{"value": 0, "label": "0"}, {"value": 3, "label": "3"}],
        }
        return item | ({"weight": weight} if weight else {})

    m = methodology_from_dict(
        {
            "id": "2023",
            "name": "Uji",
            "scale": {"min": 0, "max": 3},
            "dimensions": [
                {
                    "id": "a",
                    "name": "A",
                    "weight": 60,
                    "variables": [
                        {
                            "id": "va",
                            "name": "VA",
                            "indicators": [ind("a1", 50), ind("a2"), ind("a3")],
                        },
                    ],
                },
                {
                    "id": "b",
                    "name": "B",
                    "weight": 40,
                    "variables": [
                        {"id": "vb", "name": "VB", "indicators": [ind("b1"), ind("b2")]},
                    ],
                },
            ],
            "categories": DOCUMENTS["2023"]["categories"],
        }
    )
    result = score_unit(m, {"a1": 3, "a2": 0, "a3": 2, "b1": 1, "b2": 2})
    # A = (50*1 + 25*0 + 25*2/3) = 66.667; B = (1/3 + 2/3) / 2 = 50; unit = .6*66.667 + .4*50
    assert [d.score for d in result.dimensions] == [Decimal("66.67"), Decimal("50.00")]
    assert result.score == Decimal("60.00")
    assert result.category is not None and result.category.code == "C"


def test_partial_completion_scores_the_answered_part_and_reports_coverage() -> None:
    inputs = {indicator.id: 3 for indicator in M2023.dimensions[0].indicators}
    result = score_unit(M2023, inputs)
    assert result.score == Decimal("100.00")  # not diluted by the unanswered 78.15 %
    assert result.coverage == Decimal("21.85")
    assert (result.answered, result.total, result.complete) == (15, 38, False)
    assert [d.score for d in result.dimensions[1:]] == [None, None, None]
    assert result.dimensions[1].coverage == Decimal("0.00")

    one = score_unit(M2023, {"in-pengetahuan-komponen-sp": 0})
    assert one.score == Decimal("0.00") and one.coverage == Decimal("2.67")


def test_no_answers_gives_no_score_and_no_category() -> None:
    result = score_unit(M2023, {})
    assert result.score is None and result.category is None and result.opinion is None
    assert result.coverage == Decimal("0.00")


def test_unknown_ids_are_listed_not_counted() -> None:
    answers = all_at(M2023, 3) | {"tidak-ada": 0}
    result = score_unit(M2025, answers)
    assert "tidak-ada" in result.ignored_answers
    assert "in-pengetahuan-tugas" in result.ignored_answers  # a 2023-only indicator
    assert "in-pengetahuan-komponen-sp" not in result.ignored_answers
    assert score_unit(M2023, answers).ignored_answers == ("tidak-ada",)


@pytest.mark.parametrize("value", [-1, 4, True, "3"])
def test_values_off_the_scale_are_rejected(value: Any) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        score_unit(M2023, {"pr-biaya": value})
    assert caught.value.indicator_id == "pr-biaya"


def test_2025_weighs_dimensions_70_and_trust_30() -> None:
    trust = M2025.trust
    assert trust is not None
    dims_best = all_at(M2025, 3) | {ind.id: 0 for ind in trust.indicators}
    assert score_unit(M2025, dims_best).score == Decimal("70.00")
    trust_best = all_at(M2025, 0) | {ind.id: 3 for ind in trust.indicators}
    result = score_unit(M2025, trust_best)
    assert result.score == Decimal("30.00")
    assert result.dimensions[-1].unit_share == Decimal("30.00")


def test_2025_suffix_only_with_the_explicit_flag() -> None:
    answers = all_at(M2025, 3) | {"km-perkiraan-skm": 1}  # 100 - 30 * 2/3 = 80 -> Tinggi
    assert score_unit(M2025, answers).opinion == "Kualitas Tinggi"
    flagged = score_unit(M2025, answers, ombudsman_products_followed_up=True)
    assert flagged.opinion == "Kualitas Tinggi Tanpa Maladministrasi"
    assert flagged.score == Decimal("80.00") and flagged.zone is None


@pytest.mark.parametrize(
    ("score", "code"),
    [
        ("100", "A"),
        ("100.00", "A"),
        ("88.00", "A"),
        ("87.99", "B"),
        ("87.995", "A"),
        ("87.994", "B"),
        ("78.00", "B"),
        ("77.99", "C"),
        ("54.00", "C"),
        ("53.99", "D"),
        ("32.00", "D"),
        ("31.99", "E"),
        ("0", "E"),
        ("88.23", "A"),
        ("54.11", "C"),
        ("50.47", "D"),
    ],
)
def test_category_boundaries_2022_2024(score: str, code: str) -> None:
    for edition in ("2022", "2023", "2024", "2025"):
        assert classify(EDITIONS[edition], Decimal(score)).code == code


@pytest.mark.parametrize(
    ("score", "code", "zone"),
    [
        ("100", "tinggi", Zone.HIJAU),
        ("81.00", "tinggi", Zone.HIJAU),
        ("80.99", "sedang", Zone.KUNING),
        ("51.00", "sedang", Zone.KUNING),
        ("50.99", "rendah", Zone.MERAH),
        ("0", "rendah", Zone.MERAH),
    ],
)
def test_2021_three_zones(score: str, code: str, zone: Zone) -> None:
    category = classify(EDITIONS["2021"], Decimal(score))
    assert (category.code, category.zone) == (code, zone)


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_classify_rejects_scores_outside_0_100(score: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        classify(M2023, Decimal(score))


@pytest.mark.parametrize(
    ("units", "total"),
    [
        (["89.23", "90.10", "88.99", "88.53", "89.31"], "89.23"),  # Prov. Kalimantan Utara 2023
        (["86.83", "85.80", "82.90"], "85.18"),  # Kab. Bolaang Mongondow 2025
        (["100.00", "100.00", "80.19", "92.92"], "93.28"),  # Kota Magelang 2022 pre-evaluation
        (["0.005", "0.00"], "0.00"),
        (["0.01", "0.00"], "0.01"),  # 0.005 rounds half up
    ],
)
def test_government_score_is_the_rounded_mean(units: list[str], total: str) -> None:
    assert government_score([Decimal(u) for u in units]) == Decimal(total)


def test_government_score_needs_units() -> None:
    with pytest.raises(ValueError, match="at least one"):
        government_score([])


def test_top_gains_picks_the_largest_weighted_changes() -> None:
    answers = all_at(M2023, 3) | {"pr-maklumat": 2, "in-sarpras-khusus": 0, "pg-register": 1}
    gains = top_gains(M2023, answers)
    assert [(g.indicator_id, g.points) for g in gains] == [
        ("pg-register", Decimal("2.39")),  # 21.54 / 6 * 2/3
        ("in-sarpras-khusus", Decimal("1.37")),  # 21.85 * 6.27 %
        ("pr-maklumat", Decimal("0.98")),  # 32.37 / 11 / 3
    ]
    assert gains[1].current == 0 and gains[1].target == 3
    assert gains[2].target_label == "Dipajang dan memuat 3 unsur"
    assert top_gains(M2023, all_at(M2023, 3)) == []
    assert top_gains(M2023, answers, n=0) == []


def test_top_gains_counts_unanswered_indicators_at_full_weight() -> None:
    answers = all_at(M2023, 3)
    del answers["in-pengetahuan-komponen-sp"]
    answers["pr-biaya"] = 0
    gains = top_gains(M2023, answers, n=5)
    assert [(g.indicator_id, g.current, g.points) for g in gains] == [
        ("pr-biaya", 0, Decimal("2.94")),
        ("in-pengetahuan-komponen-sp", None, Decimal("2.67")),
    ]


# -- properties ------------------------------------------------------------------------------


def answers_for(m: Methodology) -> st.SearchStrategy[dict[str, int]]:
    ids = [indicator.id for indicator in m.indicators]
    return st.dictionaries(st.sampled_from(ids), st.integers(0, 3))


editions = st.sampled_from([M2023, M2025])


@settings(deadline=None, max_examples=200)
@given(data=st.data(), m=editions)
def test_score_is_bounded(data: st.DataObject, m: Methodology) -> None:
    answers = data.draw(answers_for(m))
    result = score_unit(m, answers)
    assert Decimal(0) <= result.coverage <= Decimal(100)
    if not answers:
        assert result.score is None
    else:
        assert result.score is not None and Decimal(0) <= result.score <= Decimal(100)


@settings(deadline=None, max_examples=200)
@given(data=st.data(), m=editions)
def test_score_is_monotonic_in_every_answer(data: st.DataObject, m: Methodology) -> None:
    answers = data.draw(answers_for(m).filter(bool))
    target = data.draw(st.sampled_from(sorted(answers)))
    better = data.draw(st.integers(answers[target], 3))
    before = score_unit(m, answers).score
    after = score_unit(m, answers | {target: better}).score
    assert before is not None and after is not None and after >= before
    gains_before = sum(g.points for g in top_gains(m, answers, n=100))
    gains_after = sum(g.points for g in top_gains(m, answers | {target: better}, n=100))
    assert gains_after <= gains_before


factors = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2)


def scaled(m: Methodology, level: str, factor: Decimal) -> Methodology:
    if level == "dimensions":
        return dataclasses.replace(
            m,
            dimensions=tuple(
                dataclasses.replace(d, weight=d.weight * factor) for d in m.dimensions
            ),
        )
    if level == "share":
        trust = m.trust
        return dataclasses.replace(
            m,
            dimensions_share=m.dimensions_share * factor,
            trust=dataclasses.replace(trust, weight=trust.weight * factor) if trust else None,
        )
    index = int(level)  # scale the indicator weights of one dimension
    dims = list(m.dimensions)
    dims[index] = dataclasses.replace(
        dims[index],
        variables=tuple(
            dataclasses.replace(
                v,
                indicators=tuple(
                    dataclasses.replace(i, weight=i.weight * factor) for i in v.indicators
                ),
            )
            for v in dims[index].variables
        ),
    )
    return dataclasses.replace(m, dimensions=tuple(dims))


@settings(deadline=None, max_examples=200)
@given(
    data=st.data(),
    m=editions,
    factor=factors,
    level=st.sampled_from(["dimensions", "share", "0", "1", "2", "3"]),
)
def test_score_is_invariant_when_a_level_is_scaled(
    data: st.DataObject, m: Methodology, factor: Decimal, level: str
) -> None:
    answers = data.draw(answers_for(m))
    original = score_unit(m, answers)
    changed = score_unit(scaled(m, level, factor), answers)
    assert changed.score == original.score
    assert changed.coverage == original.coverage
    assert [d.score for d in changed.dimensions] == [d.score for d in original.dimensions]
