"""The Q&A command line: `ask` for one question or a batch (JSON lines), and `content gaps`."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import yaml

from tests.cli_runner import _run
from tests.conftest import ROOT

QUESTIONS = ROOT / "tests/qa/questions.yaml"
KEYS = {"question", "topic_id", "title", "confidence", "answer", "sources", "latency_ms"}


def test_ask_prints_the_answer_as_a_person_reads_it(tmp_path: Path) -> None:
    result = _run(["ask", "sp itu ada brp komponen?"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("14 komponen standar pelayanan\n")
    assert "Sumber: UU 25/2009" in out and "<" not in out  # plain text, no HTML
    assert not (tmp_path / "cli.sqlite3").exists()  # ask needs no database


def test_ask_declines_out_of_scope_in_json(tmp_path: Path) -> None:
    result = _run(["ask", "--json", "berapa gaji PNS golongan III?"], tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    data = json.loads(line)
    assert KEYS <= set(data)
    assert data["topic_id"] is None and data["title"] is None and data["sources"] == []
    assert "Bagian Organisasi" in data["answer"]


def test_ask_batch_of_the_labelled_set_in_one_process(tmp_path: Path) -> None:
    items = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    questions = [" ".join(str(item["q"]).split()) for item in items][:250]
    start = time.perf_counter()
    result = _run(["ask", "--json"], tmp_path, stdin="\n".join(questions) + "\n")
    elapsed = time.perf_counter() - start
    print(f"ask --json batch: {len(questions)} questions in {elapsed:.2f} s (one process)")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["question"] for row in rows] == questions
    for row in rows:
        assert KEYS <= set(row)
        answered = row["kind"] == "answer"
        assert (row["topic_id"] is not None) == answered
        assert bool(row["sources"]) == answered
        assert 0.0 <= row["confidence"] <= 1.0 and row["latency_ms"] >= 0
    assert sum(row["topic_id"] is not None for row in rows) > len(rows) // 2


def test_content_gaps_lists_most_frequent_first(tmp_path: Path) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    empty = _run(["content", "gaps"], tmp_path)
    assert empty.returncode == 0 and "no unanswered questions" in empty.stdout
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    rows = [
        ("2026-11-01 08:00:00", "cuaca besok?", "cuaca besok", "decline", "[]"),
        ("2026-11-02 08:00:00", "Cuaca besok", "cuaca besok", "decline", "[]"),
        (
            "2026-11-03 09:30:00",
            "maklumat",
            "maklumat",
            "clarify",
            '[["maklumat-pelayanan", 1.5, 0.9], ["maklumat-unsur", 1.4, 0.9]]',
        ),
    ]
    db.executemany(
        "insert into qa_gaps (asked_at, text, normalized, kind, candidates) "
        "values (?, ?, ?, ?, ?)",
        rows,
    )
    db.commit()
    result = _run(["content", "gaps", "--limit", "5"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:4] == ["2", "2026-11-02", "08:00", "decline"]
    assert "Cuaca besok" in lines[1]
    assert "maklumat-pelayanan 1.50" in lines[2]
    limited = _run(["content", "gaps", "--limit", "1"], tmp_path)
    assert len(limited.stdout.splitlines()) == 2
