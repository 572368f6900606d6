"""Fit the Q&A answer gate on the labelled set's ``tune`` split and store it in content/.

Usage (from the repository root)::

    python -m benchmarks.qa_gate            # fit and print; compare with the stored gate
    python -m benchmarks.qa_gate --write    # fit and write content/qa-gate.yaml

The gate (``bot.domain.gate``) is a logistic model over ranking features, predicting whether
the first ranked topic is a right answer (a topic in ``expect``/``also`` or equivalent to one).
Out-of-scope questions are negatives. The threshold is chosen so that at least 95 % of the tune
split's out-of-scope questions are not answered. The held-out split is never used here.
Refit whenever content, the lexicon, the engine or the labelled set change (a test fails when
the stored gate is stale).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from benchmarks.qa import Question, load_questions
from bot.content.bundle import load_content
from bot.content.gate_loader import GATE_FILE
from bot.domain.gate import Gate, choose_threshold, fit
from bot.domain.knowledge import KnowledgeIndex

ROOT = Path(__file__).resolve().parent.parent
TARGET_REJECTION = 0.95
CLARIFY_BAND = 0.08
OFFER_FACTOR = 0.6  # a topic is offered with a decline from this share of the threshold
L2 = 1.0


def _right(index: KnowledgeIndex, question: Question, topic_id: str) -> bool:
    accepted = {index.primary(t) for t in question.accepted}
    return index.primary(topic_id) in accepted


def fingerprint(content: Path, questions: Path) -> str:
    """A short hash of what the gate is fitted on: the labelled set, the topics and the lexicon."""
    digest = hashlib.sha256(questions.read_bytes())
    files = [*sorted((content / "topics").rglob("*.md")), content / "lexicon.yaml"]
    for file in files:
        if file.is_file():
            digest.update(file.relative_to(content).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def fit_gate(content: Path, questions_file: Path) -> tuple[Gate, dict[str, float]]:
    """Fit the gate on the tune split; return it with a few figures on that split."""
    bundle = load_content(content)
    index = KnowledgeIndex.build(bundle.topics, bundle.lexicon)
    tune = [q for q in load_questions(questions_file) if q.split == "tune"]
    rows, labels = [], []
    scored: list[tuple[Question, dict[str, float] | None, bool]] = []
    for q in tune:
        features = index.features(q.text)
        hits = index.search(q.text, k=1)
        right = bool(q.expect) and bool(hits) and _right(index, q, hits[0].topic_id)
        scored.append((q, features, right))
        if features is not None:
            rows.append(features)
            labels.append(right)
    gate = fit(rows, labels, l2=L2)
    in_scope = [(gate.probability(f) if f else 0.0, r) for q, f, r in scored if q.expect]
    out_scope = [gate.probability(f) if f else 0.0 for q, f, _ in scored if not q.expect]
    threshold = choose_threshold(in_scope, out_scope, target_rejection=TARGET_REJECTION)
    gate = Gate(
        weights=gate.weights,
        bias=gate.bias,
        means=gate.means,
        scales=gate.scales,
        threshold=threshold,
        clarify_band=CLARIFY_BAND,
        offer_threshold=OFFER_FACTOR * threshold,
        fitted_on=fingerprint(content, questions_file),
    )
    n_in = max(len(in_scope), 1)
    figures = {
        "threshold": threshold,
        "answer_right": sum(p >= threshold and r for p, r in in_scope) / n_in,
        "answer_wrong": sum(p >= threshold and not r for p, r in in_scope) / n_in,
        "oos_reject": sum(p < threshold for p in out_scope) / max(len(out_scope), 1),
    }
    return gate, figures


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, print, and with --write store the gate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--questions", type=Path, default=ROOT / "tests/qa/questions.yaml")
    parser.add_argument("--write", action="store_true", help=f"write content/{GATE_FILE}")
    args = parser.parse_args(argv)
    gate, figures = fit_gate(args.content, args.questions)
    print(" ".join(f"{k}={v:.3f}" for k, v in figures.items()))
    text = (
        "# Fitted by `python -m benchmarks.qa_gate --write` (do not edit by hand): the Q&A\n"
        "# answer gate, a logistic model over ranking features (bot/domain/gate.py).\n"
        + yaml.safe_dump(gate.as_dict(), sort_keys=False, allow_unicode=True)
    )
    target = args.content / GATE_FILE
    if args.write:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    elif not target.is_file() or target.read_text(encoding="utf-8") != text:
        print(f"{target} differs from this fit; run with --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
