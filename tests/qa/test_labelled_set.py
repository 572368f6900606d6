"""The labelled question set through the real content: quality floors for the Q&A engine.

Measured with `python -m benchmarks.qa` (RankingConfig defaults, shipped content, 2026-11-28,
third round; 717 questions, the last 150 written before that round's changes):

    split    top1   answer  wrong  top3   mrr    oos_reject   (baseline BM25 top1 / oos_reject)
    tune     0.943  0.825  0.007  0.988  0.973  0.987        (0.801 / 0.059)
    heldout  0.877  0.774  0.038  0.981  0.954  0.892        (0.764 / 0.000)   never tuned on

Both held-out figures are below the 0.90 targets of issue 3 (top-1 on 106 in-scope questions,
out-of-scope rejection 33 of 37). The held-out items of the first 567 questions stay at top-1
0.907 and rejection 0.852; the 30 new held-out items reach top-1 0.75 and rejection 10 of 10.
The floors record what is reached, not the targets.

"answer" is a direct answer with the right topic (no "Mungkin maksud Anda"), "wrong" a direct
answer with a wrong topic. The floors below sit a little under the measured values (the
wrong-answer ceilings a little over), so a real regression fails the test while tiny wording
changes in content do not. Latency is reported by the benchmark, never asserted here.
"""

from __future__ import annotations

import pytest

from benchmarks.qa import evaluate, load_questions, ours
from bot.content.bundle import load_content
from bot.domain.knowledge import KnowledgeIndex, RankingConfig
from tests.conftest import CONTENT, ROOT

QUESTIONS = ROOT / "tests/qa/questions.yaml"
FLOORS = {
    # split: (top1, top3, oos_reject, answer)
    "tune": (0.93, 0.98, 0.97, 0.81),
    "heldout": (0.86, 0.97, 0.87, 0.76),
}
WRONG_ANSWER_CEILING = {"tune": 0.01, "heldout": 0.05}


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    bundle = load_content(CONTENT)
    return KnowledgeIndex.build(bundle.topics, bundle.lexicon, RankingConfig())


def test_labelled_set_is_as_documented() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 250
    assert sum(q.expect is None for q in questions) >= 60
    assert {q.split for q in questions} == {"tune", "heldout"}
    bundle = load_content(CONTENT)
    known = {t.id for t in bundle.topics}
    assert {i for q in questions for i in q.accepted} <= known


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_quality_floors(index: KnowledgeIndex, split: str) -> None:
    part = [q for q in load_questions(QUESTIONS) if q.split == split]
    figures = evaluate(ours(index), part)
    top1, top3, oos, answer = FLOORS[split]
    assert figures["top1"] >= top1, figures
    assert figures["top3"] >= top3, figures
    assert figures["oos_reject"] >= oos, figures
    assert figures["answer"] >= answer, figures
    assert figures["wrong_answer"] <= WRONG_ANSWER_CEILING[split], figures


def test_engine_beats_plain_bm25_on_both_splits(index: KnowledgeIndex) -> None:
    from benchmarks.qa import Baseline

    questions = load_questions(QUESTIONS)
    baseline = Baseline(index.topics)
    for split in ("tune", "heldout"):
        part = [q for q in questions if q.split == split]
        mine, theirs = evaluate(ours(index), part), evaluate(baseline.run, part)
        assert mine["top1"] > theirs["top1"] and mine["mrr"] > theirs["mrr"]
        assert mine["oos_reject"] > theirs["oos_reject"] + 0.5


def test_examples_from_the_issue_are_answered(index: KnowledgeIndex) -> None:
    expected = {
        "sp itu ada brp komponen?": "komponen-sp",
        "bobot dimensi proses brp": "bobot-dimensi",
    }
    for question, topic in expected.items():
        decision = index.decide(question)
        shown = decision.topic or (decision.candidates[0] if decision.candidates else None)
        assert shown is not None and shown.id == topic, (question, decision)
