"""The labelled question set through the real content: quality floors for the Q&A engine.

Measured with `python -m benchmarks.qa` (RankingConfig defaults, shipped content, 2026-11-28,
fourth round; 817 questions, the last 100 written before that round's content changes):

    split    top1   answer  wrong  top3   mrr    oos_reject   (baseline BM25 top1 / oos_reject)
    tune     0.960  0.822  0.002  0.996  0.979  0.989        (0.862 / 0.045)
    heldout  0.908  0.808  0.017  0.983  0.959  0.907        (0.800 / 0.023)   never tuned on

The fourth round changed content only (example questions and keywords of 126 topics, no engine
change). With the round-3 content the same 817 questions gave held-out top-1 0.883 and rejection
0.907, so the content lifted held-out top-1 by 0.025 and left out-of-scope rejection where it was
(39 of 43). Both held-out figures now sit just above the 0.90 targets of issue 3, on 120 in-scope
and 43 out-of-scope questions (one question moves top-1 by 0.008 and rejection by 0.023).
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
    "tune": (0.95, 0.99, 0.98, 0.81),
    "heldout": (0.89, 0.97, 0.88, 0.79),
}
WRONG_ANSWER_CEILING = {"tune": 0.01, "heldout": 0.03}


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
