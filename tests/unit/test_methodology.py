"""Unit tests for methodology validation and the real content/metodologi files."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.domain.errors import InvalidMethodology, Problem
from bot.domain.methodology import (
    Certainty,
    Zone,
    methodology_from_dict,
    validate_methodology,
)
from tests.unit.methodology_docs import minimal

CONTENT = Path(__file__).parents[2] / "content" / "metodologi"
TOPICS = Path(__file__).parents[2] / "content" / "topics"


def load_documents() -> dict[str, dict[str, Any]]:
    return {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in CONTENT.glob("*.yaml")}


def test_all_real_files_validate_and_build() -> None:
    documents = load_documents()
    assert set(documents) == {"2021", "2022", "2023", "2024", "2025"}
    for edition, document in documents.items():
        assert validate_methodology(document, bases=documents) == [], edition
        assert methodology_from_dict(document, bases=documents).id == edition


def test_real_topic_links_resolve_when_topics_exist() -> None:
    if not TOPICS.is_dir():
        pytest.skip("content/topics is not in this checkout yet")
    known = {path.stem for path in TOPICS.glob("*.md")}
    documents = load_documents()
    for document in documents.values():
        assert validate_methodology(document, known_topics=known, bases=documents) == []


def test_2023_has_published_dimension_weights_and_the_one_indicator_weight() -> None:
    m = methodology_from_dict(load_documents()["2023"])
    assert [(d.id, d.weight) for d in m.dimensions] == [
        ("input", Decimal("21.85")),
        ("proses", Decimal("32.37")),
        ("output", Decimal("24.24")),
        ("pengaduan", Decimal("21.54")),
    ]
    inputs = m.dimensions[0].indicators
    assert len(inputs) == 15 and len(m.dimensions[1].indicators) == 11
    assert inputs[0].id == "in-pengetahuan-komponen-sp"
    assert inputs[0].weight == Decimal("12.22") and not inputs[0].weight_is_default
    assert {i.weight for i in inputs[1:]} == {Decimal("6.27")}
    assert all(i.weight_is_default for i in inputs[1:])
    assert sum(i.weight for i in inputs) == Decimal(100)
    maklumat = m.indicator("pr-maklumat")
    assert maklumat is not None
    assert [(o.value, o.label) for o in maklumat.options] == [
        (0, "Tidak ada"),
        (1, "Ada, belum dipajang"),
        (2, "Dipajang, belum memuat 3 unsur"),
        (3, "Dipajang dan memuat 3 unsur"),
    ]
    assert all(i.certainty is Certainty.BELUM_PASTI for i in m.dimensions[3].indicators)
    assert [(c.code, c.min, c.max, c.zone) for c in m.categories][:2] == [
        ("A", Decimal("88.00"), Decimal("100.00"), Zone.HIJAU),
        ("B", Decimal("78.00"), Decimal("87.99"), Zone.HIJAU),
    ]


def test_2022_and_2024_extend_2023_with_their_own_name_and_caveats() -> None:
    documents = load_documents()
    base = methodology_from_dict(documents["2023"])
    for edition in ("2022", "2024"):
        m = methodology_from_dict(documents[edition], bases=documents)
        assert m.id == edition and m.extends == "2023" and edition in m.name
        assert m.dimensions == base.dimensions and m.categories == base.categories
        assert m.caveats != base.caveats


def test_2025_combines_seventy_and_thirty_with_a_suffix() -> None:
    m = methodology_from_dict(load_documents()["2025"])
    assert m.dimensions_share == Decimal(70)
    assert m.trust is not None and m.trust.id == "kepercayaan-masyarakat"
    assert m.trust.weight == Decimal(30)
    assert m.opinion_suffix is not None and m.opinion_suffix.label == "Tanpa Maladministrasi"
    assert all(c.zone is None for c in m.categories)


def test_2021_is_a_three_zone_scale_without_indicators() -> None:
    m = methodology_from_dict(load_documents()["2021"])
    assert m.indicators == ()
    assert [(c.code, c.min, c.zone) for c in m.categories] == [
        ("tinggi", Decimal("81.00"), Zone.HIJAU),
        ("sedang", Decimal("51.00"), Zone.KUNING),
        ("rendah", Decimal("0.00"), Zone.MERAH),
    ]


def test_minimal_document_fills_left_out_weights_equally() -> None:
    m = methodology_from_dict(minimal())
    assert [i.weight for i in m.dimensions[0].indicators] == [
        Decimal(50),
        Decimal(25),
        Decimal(25),
    ]
    assert m.dimensions[0].variables[0].weight == Decimal(75)


def broken(change: Any) -> list[Problem]:
    document = copy.deepcopy(minimal())
    change(document)
    return validate_methodology(document, known_topics={"komponen-sp"})


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            lambda d: d["dimensions"][0].update(weight=59),
            ("dimensions",),
            "dimension weights add up to 99.00, expected 100.00",
        ),
        (
            lambda d: d["dimensions"][1]["variables"][0]["indicators"][0].update(weight=100),
            ("dimensions", 1, "variables"),
            "indicator (dimension b) weights written add up to 100.00, leaving nothing for the 1 "
            "without a weight",
        ),
        (
            lambda d: [
                i.update(weight=30) for i in d["dimensions"][1]["variables"][0]["indicators"]
            ],
            ("dimensions", 1, "variables"),
            "indicator (dimension b) weights add up to 60.00, expected 100.00",
        ),
        (
            lambda d: d["categories"][0].update(min=50.01),
            ("categories", 0, "min"),
            "gap between categories B and A: 49.99 is followed by 50.01, expected 50.00",
        ),
        (
            lambda d: d["categories"][0].update(min=49.00),
            ("categories", 0, "min"),
            "categories B and A overlap: B ends at 49.99, A starts at 49.00, expected 50.00",
        ),
        (
            lambda d: d["categories"][1].update(min=1),
            ("categories", 1, "min"),
            "categories start at 1.00, expected 0.00",
        ),
        (
            lambda d: d["categories"][0].update(max=99.99),
            ("categories", 0, "max"),
            "categories end at 99.99, expected 100.00",
        ),
        (
            lambda d: d["dimensions"][1]["variables"][0]["indicators"][1].update(id="a1"),
            ("dimensions", 1, "variables", 0, "indicators", 1, "id"),
            "duplicate id 'a1' (first used at dimensions/0/variables/0/indicators/0/id)",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0].update(topic="tak-ada"),
            ("dimensions", 0, "variables", 0, "indicators", 0, "topic"),
            "topic 'tak-ada' does not resolve to a known Q&A topic",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0]["options"][0].update(
                value=4
            ),
            ("dimensions", 0, "variables", 0, "indicators", 0, "options", 0, "value"),
            "option value 4 is outside the scale 0..3",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0]["options"][1].update(
                value=2
            ),
            ("dimensions", 0, "variables", 0, "indicators", 0, "options"),
            "options must include the scale maximum 3",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0].update(
                options=[{"value": 3, "label": "Ya"}]
            ),
            ("dimensions", 0, "variables", 0, "indicators", 0, "options"),
            "an indicator needs 2 to 4 options, got 1",
        ),
        (
            lambda d: d["dimensions"][0].update(wieght=1),
            ("dimensions", 0, "wieght"),
            "unknown key 'wieght'; allowed: description, id, name, variables, weight",
        ),
        (
            lambda d: d.update(extends="2019"),
            ("extends",),
            "extends '2019' does not resolve: no such edition",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0].update(
                certainty="yakin"
            ),
            ("dimensions", 0, "variables", 0, "indicators", 0, "certainty"),
            "certainty must be one of pasti, satu-sumber, belum-pasti, got 'yakin'",
        ),
        (
            lambda d: d["dimensions"][0]["variables"][0]["indicators"][0].update(
                certainty="sebagian"
            ),
            ("dimensions", 0, "variables", 0, "indicators", 0, "certainty"),
            "certainty must be one of pasti, satu-sumber, belum-pasti, got 'sebagian'",
        ),
    ],
)
def test_broken_documents_are_reported_precisely(
    change: Any, path: tuple[str | int, ...], reason: str
) -> None:
    assert Problem(path, reason) in broken(change)


def test_trust_weight_and_share_must_add_up() -> None:
    def add_trust(d: dict[str, Any]) -> None:
        trust = copy.deepcopy(d["dimensions"][1])
        trust.update(id="kepercayaan", weight=30)
        for variable in trust["variables"]:
            variable["id"] = "v-" + variable["id"]
            for indicator in variable["indicators"]:
                indicator["id"] = "k-" + indicator["id"]
        d.update(trust=trust, dimensions_share=60)

    assert broken(add_trust) == [
        Problem(
            ("dimensions_share",),
            "dimensions_share 60.00 and trust weight 30.00 add up to 90.00, expected 100.00",
        )
    ]


def test_extends_cycle_is_reported() -> None:
    a = {"id": "2022", "extends": "2024", "name": "A"}
    b = {"id": "2024", "extends": "2022", "name": "B"}
    problems = validate_methodology(a, bases={"2022": a, "2024": b})
    assert Problem(("extends",), "extends forms a cycle: 2022 -> 2024 -> 2022") in problems


def test_from_dict_raises_with_every_problem() -> None:
    document = minimal()
    document["dimensions"][0]["weight"] = 59
    document["categories"][0]["min"] = 50.5
    with pytest.raises(InvalidMethodology) as caught:
        methodology_from_dict(document)
    assert len(caught.value.problems) == 2


def test_comma_decimal_strings_are_accepted_for_weights() -> None:
    document = minimal()
    document["dimensions"][0]["weight"] = "60,00"
    assert methodology_from_dict(document).dimensions[0].weight == Decimal(60)
