"""`python -m bot cek`: template, scoring answers, and the published aggregation vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import _one_clear_line, _run


def _template(tmp_path: Path, edition: str) -> dict:
    result = _run(["cek", "--edition", edition, "--template"], tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_template_lists_indicators_and_options(tmp_path: Path) -> None:
    template = _template(tmp_path, "2024")
    indicators = template["indicators"]
    assert template["scale"] == {"min": 0, "max": 3} and len(indicators) == 38
    first = indicators[0]
    assert first["id"] == "in-pengetahuan-komponen-sp" and first["weight"] == "12.22"
    assert [o["value"] for o in first["options"]] == [0, 1, 2, 3]
    assert len({i["id"] for i in indicators}) == 38


def _score(tmp_path: Path, edition: str, answers: dict[str, int]) -> dict:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = _run(["cek", "--edition", edition, "--answers", str(path), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_answers_best_worst_and_mixed(tmp_path: Path) -> None:
    template = _template(tmp_path, "2024")
    indicators = template["indicators"]
    best = {i["id"]: max(o["value"] for o in i["options"]) for i in indicators}
    out = _score(tmp_path, "2024", best)
    assert (out["score"], out["category"], out["zone"]) == ("100.00", "A", "hijau")
    assert out["coverage"] == "100.00" and out["top_gains"] == []
    worst = _score(tmp_path, "2024", {i["id"]: 0 for i in indicators})
    assert (worst["score"], worst["category"]) == ("0.00", "E")
    assert [g["points"] for g in worst["top_gains"]] == ["4.04", "4.04", "4.04"]
    target = {"input": 3, "proses": 0, "output": 1, "pengaduan": 3}
    mixed = _score(tmp_path, "2024", {i["id"]: target[i["dimension"]] for i in indicators})
    assert (mixed["score"], mixed["category"]) == ("51.47", "D")  # 21.85 + 8.08 + 21.54
    assert [d["score"] for d in mixed["dimensions"]] == ["100.00", "0.00", "33.33", "100.00"]


def test_partial_answers_report_coverage_and_unknown_ids(tmp_path: Path) -> None:
    out = _score(tmp_path, "2023", {"in-pengetahuan-komponen-sp": 3, "no-such-indicator": 2})
    assert out["score"] == "100.00" and out["answered"] == 1
    # 12.22 % of Input (21.85 % of the unit) = 2.67 % of the unit score.
    assert out["coverage"] == "2.67"
    assert out["ignored_answers"] == ["no-such-indicator"]


def test_2025_opinion_label(tmp_path: Path) -> None:
    template = _template(tmp_path, "2025")
    best = {i["id"]: max(o["value"] for o in i["options"]) for i in template["indicators"]}
    out = _score(tmp_path, "2025", best)
    assert out["score"] == "100.00" and out["opinion"]
    assert [d["unit_share"] for d in out["dimensions"]][-1] == "30.00"


def test_bad_answer_value_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"in-pengetahuan-komponen-sp": 9}), encoding="utf-8")
    line = _one_clear_line(_run(["cek", "--edition", "2024", "--answers", str(path)], tmp_path))
    assert "invalid answer 9" in line


@pytest.mark.parametrize(
    ("edition", "scores", "expected", "category"),
    [
        ("2023", "89.23,90.10,88.99,88.53,89.31", "89.23", "A"),  # Prov. Kalimantan Utara 2023
        ("2025", "86.83,85.80,82.90", "85.18", "B"),  # Kab. Bolaang Mongondow 2025
        ("2022", "100.00,100.00,80.19,92.92", "93.28", "A"),  # Kota Magelang 2022
    ],
)
def test_aggregate_reproduces_published_vectors(
    tmp_path: Path, edition: str, scores: str, expected: str, category: str
) -> None:
    result = _run(["cek", "--edition", edition, "--aggregate", scores, "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["score"], out["category"]) == (expected, category)


def test_aggregate_accepts_decimal_commas(tmp_path: Path) -> None:
    result = _run(["cek", "--edition", "2023", "--aggregate", "89,23;90,10"], tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("89.67 A")
    line = _one_clear_line(_run(["cek", "--aggregate", "abc"], tmp_path))
    assert "--aggregate" in line


def test_template_without_edition_is_the_edition_in_force(tmp_path: Path) -> None:
    result = _run(["cek", "--template"], tmp_path)
    assert result.returncode == 0, result.stderr
    template = json.loads(result.stdout)
    assert template["edition"] == "2025"
    assert {i["id"] for i in template["indicators"]} == {
        i["id"] for i in _template(tmp_path, "2025")["indicators"]
    }
    pinned = _run(["cek", "--template"], tmp_path, BOT_EDITION="2024")
    assert json.loads(pinned.stdout)["edition"] == "2024"


def test_unknown_bot_edition_is_one_clear_line(tmp_path: Path) -> None:
    line = _one_clear_line(_run(["cek", "--template"], tmp_path, BOT_EDITION="2031"))
    assert line.startswith("error: BOT_EDITION: '2031'") and "2025" in line


@pytest.mark.parametrize("scores", ["100.5", "88,1;-0,5", "NaN", "Infinity"])
def test_aggregate_out_of_range_is_one_clear_line(tmp_path: Path, scores: str) -> None:
    line = _one_clear_line(_run(["cek", "--aggregate", scores], tmp_path))
    assert line.startswith("error: --aggregate: unit score") and "outside 0-100" in line
