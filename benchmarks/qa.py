"""Benchmark of the Q&A retrieval engine against a plain BM25 baseline.

Usage (from the repository root)::

    python -m benchmarks.qa [--content content] [--questions tests/qa/questions.yaml]
                            [--set k1=1.5 --set margin=0.1] [--no-gate] [--no-dev] [--json]

Content is loaded and validated exactly as the bot loads it (``load_content``). Evaluates the
``tune`` and ``heldout`` splits separately and prints, per split, our engine, the baseline and
the ratio ours/baseline; with ``--json`` the last line is one JSON object with every figure.
In-scope questions have ``expect`` set (a topic id; ids in ``also`` count as correct too);
out-of-scope ones have ``expect: null``.

The engine decides with the fitted gate of the content (``content/qa-gate.yaml``; ``--no-gate``
for the hand-set thresholds of ``RankingConfig``). At the end, the held-out split and the
independent development set (``../shared/qa/dev-questions.jsonl``, scored by its own rule: the
shown answer contains the expected fact; skipped when absent) are printed side by side, by style.

Figures, per split and per engine:
    top1       the first topic shown (ANSWER, or first CLARIFY candidate) is correct; a DECLINE
               counts as wrong (the baseline always shows its top hit unless its score is 0)
    answer     ANSWER with a correct topic (no clarification needed)
    wrong_answer  ANSWER with a wrong topic (a confident wrong answer, worse than a clarify)
    top3, mrr  ranking only (``search``), ignoring the decision
    false_decline  DECLINE on in-scope questions
    oos_reject DECLINE on out-of-scope questions
    oos_answer ANSWER (no clarification) on out-of-scope questions
    p50/p99    latency of one decision, in milliseconds
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.bundle import load_content
from bot.content.source import ContentInvalid
from bot.domain.knowledge import DecisionKind, KnowledgeIndex, RankingConfig, Topic

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Question:
    """One labelled question."""

    text: str
    expect: str | None
    also: tuple[str, ...]
    split: str
    style: str

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset(({self.expect} if self.expect else set()) | set(self.also))


@dataclass(frozen=True)
class Outcome:
    """What an engine did with one question."""

    shown: str | None  # first topic shown to the user, None when declined
    answered: bool  # True when shown without asking for clarification
    ranking: tuple[str, ...]
    seconds: float


def load_questions(path: Path) -> list[Question]:
    """Load the labelled questions (a list, or a mapping with a ``questions`` list)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("questions", []) if isinstance(data, dict) else data
    return [
        Question(
            text=str(item["q"]),
            expect=str(item["expect"]) if item.get("expect") else None,
            also=tuple(str(a) for a in item.get("also") or ()),
            split=str(item.get("split", "tune")),
            style=str(item.get("style", "")),
        )
        for item in items
    ]


def _raw_tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


class Baseline:
    """rank_bm25.BM25Okapi over raw lower-cased tokens; answers its top hit unless score is 0."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        from rank_bm25 import BM25Okapi

        self._ids = [t.id for t in topics]
        corpus = [
            _raw_tokens(" ".join([t.title, *t.questions, *t.keywords, t.short, t.detail]))
            for t in topics
        ]
        self._bm25 = BM25Okapi(corpus)

    def run(self, text: str) -> Outcome:
        start = time.perf_counter()
        scores = self._bm25.get_scores(_raw_tokens(text))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        top_score = scores[order[0]] if order else 0.0
        shown = self._ids[order[0]] if order and top_score > 0 else None
        seconds = time.perf_counter() - start
        return Outcome(shown, shown is not None, tuple(self._ids[i] for i in order[:10]), seconds)


def ours(index: KnowledgeIndex) -> Callable[[str], Outcome]:
    """Wrap the engine: time ``decide`` (what the bot runs); rank with ``search``."""

    def run(text: str) -> Outcome:
        start = time.perf_counter()
        decision = index.decide(text)
        seconds = time.perf_counter() - start
        if decision.kind is DecisionKind.ANSWER and decision.topic is not None:
            shown, answered = decision.topic.id, True
        elif decision.kind is DecisionKind.CLARIFY and decision.candidates:
            shown, answered = decision.candidates[0].id, False
        else:
            shown, answered = None, False
        ranking = tuple(h.topic_id for h in index.search(text, k=10))
        return Outcome(shown, answered, ranking, seconds)

    return run


def _identity(topic_id: str) -> str:
    return topic_id


def evaluate(
    run: Callable[[str], Outcome],
    questions: Sequence[Question],
    same: Callable[[str], str] = _identity,
) -> dict[str, float]:
    """Compute the figures described in the module docstring.

    ``same`` maps a topic to its equivalence group (``KnowledgeIndex.primary``): a topic
    declared equivalent to an accepted one counts as right, as in the gate's fit
    (``benchmarks.qa_gate``). The default compares topic ids exactly.
    """
    in_scope = [q for q in questions if q.expect]
    out_scope = [q for q in questions if not q.expect]
    top1 = answer = wrong = top3 = rr = declined_in = 0.0
    latencies = []
    for q in in_scope:
        o = run(q.text)
        latencies.append(o.seconds)
        accepted = {same(t) for t in q.accepted}
        right = o.shown is not None and same(o.shown) in accepted
        top1 += right
        answer += o.answered and right
        wrong += o.answered and not right
        declined_in += o.shown is None
        top3 += any(same(t) in accepted for t in o.ranking[:3])
        rr += next((1.0 / (i + 1) for i, t in enumerate(o.ranking) if same(t) in accepted), 0.0)
    rejected = answered_out = 0.0
    for q in out_scope:
        o = run(q.text)
        latencies.append(o.seconds)
        rejected += o.shown is None
        answered_out += o.answered
    n_in, n_out = max(len(in_scope), 1), max(len(out_scope), 1)
    latencies.sort()
    return {
        "n_in": len(in_scope),
        "n_oos": len(out_scope),
        "top1": top1 / n_in,
        "answer": answer / n_in,
        "wrong_answer": wrong / n_in,
        "top3": top3 / n_in,
        "mrr": rr / n_in,
        "false_decline": declined_in / n_in,
        "oos_reject": rejected / n_out,
        "oos_answer": answered_out / n_out,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
        if latencies
        else 0.0,
    }


DEV_SET = ROOT.parent / "shared" / "qa"  # independent development set, when present
STYLES = ("formal", "casual", "typo", "abbrev", "english", "keyword")
_STYLE_ALIASES = {"chat": "casual"}


def by_style(
    run: Callable[[str], Outcome],
    questions: Sequence[Question],
    same: Callable[[str], str] = _identity,
) -> dict[str, float]:
    """Share of in-scope questions answered directly with a right topic, per style."""
    counts: dict[str, list[int]] = {}
    for q in questions:
        if not q.expect:
            continue
        o = run(q.text)
        cell = counts.setdefault(_STYLE_ALIASES.get(q.style, q.style), [0, 0])
        accepted = {same(t) for t in q.accepted}
        cell[0] += o.answered and o.shown is not None and same(o.shown) in accepted
        cell[1] += 1
    return {style: right / n for style, (right, n) in counts.items()}


def evaluate_dev(qa: Any, folder: Path = DEV_SET) -> dict[str, Any] | None:
    """The independent development set, scored by its own rule (the shown answer contains the
    expected fact); None when the set is not there. ``qa`` is a ``QAService``."""
    questions_file, scorer_file = folder / "dev-questions.jsonl", folder / "score.py"
    if not questions_file.is_file() or not scorer_file.is_file():
        return None
    import importlib.util

    from bot.handlers.qa_render import plain_answer
    from bot.i18n import load_catalogs

    spec = importlib.util.spec_from_file_location("dev_score", scorer_file)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    sys.modules["dev_score"] = scorer
    spec.loader.exec_module(scorer)
    _ = load_catalogs("id").for_locale(None)
    items = [json.loads(line) for line in questions_file.read_text(encoding="utf-8").splitlines()]
    counts: dict[str, list[int]] = {"in": [0, 0], "oos": [0, 0]}
    latencies = []
    for item in items:
        start = time.perf_counter()
        answer = qa.decide(item["q"])
        latencies.append(time.perf_counter() - start)
        if item["kind"] == "oos":
            counts["oos"][0] += not answer.answered
            counts["oos"][1] += 1
            continue
        text = ""
        if answer.answered:
            topic = answer.topic
            text = " ".join([plain_answer(_, answer, item["q"]), topic.title, *topic.sources])
        right = answer.answered and not scorer.missing_groups(item["expect"], text)
        for key in ("in", item["style"]):
            cell = counts.setdefault(key, [0, 0])
            cell[0] += right
            cell[1] += 1
    latencies.sort()
    result: dict[str, Any] = {k: v[0] / v[1] for k, v in counts.items() if v[1]}
    result["n_in"], result["n_oos"] = counts["in"][1], counts["oos"][1]
    result["p99_ms"] = 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return result


def _print_side_by_side(heldout: dict[str, float], styles: dict[str, float], dev: Any) -> None:
    columns = ["in-scope", "oos", *STYLES]
    print()
    print("in-scope = answered directly and right (held-out: right topic; dev set: the shown")
    print("answer contains the expected fact); oos = out-of-scope questions not answered")
    print(f"{'set':10} " + " ".join(f"{c:>9}" for c in columns))
    rows = [("heldout", {"in-scope": heldout["answer"], "oos": heldout["oos_reject"], **styles})]
    if dev is not None:
        rows.append(("dev", {"in-scope": dev["in"], "oos": dev["oos"], **dev}))
    for name, values in rows:
        cells = [f"{values[c]:>9.3f}" if c in values else f"{'-':>9}" for c in columns]
        print(f"{name:10} " + " ".join(cells))
    if dev is None:
        print(f"(dev set not found in {DEV_SET}: skipped)")


def _parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    fields = {f.name: f.type for f in dataclasses.fields(RankingConfig)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in fields:
            raise SystemExit(f"unknown RankingConfig field: {key}")
        out[key] = int(value) if fields[key] in ("int", int) else float(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table (and a JSON line with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--questions", type=Path, default=ROOT / "tests/qa/questions.yaml")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--splits", default="tune,heldout", help="comma-separated splits")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-gate", action="store_true", help="hand-set thresholds instead")
    parser.add_argument("--no-dev", action="store_true", help=f"skip the set in {DEV_SET}")
    args = parser.parse_args(argv)

    try:
        bundle = load_content(args.content)
    except ContentInvalid as exc:
        print("\n".join(str(problem) for problem in exc.problems), file=sys.stderr)
        return 3
    topics = list(bundle.topics)
    config = RankingConfig(**_parse_overrides(args.set))
    start = time.perf_counter()
    gate = None if args.no_gate else bundle.gate
    index = KnowledgeIndex.build(topics, bundle.lexicon, config, gate=gate)
    build_ms = 1000 * (time.perf_counter() - start)
    start = time.perf_counter()
    baseline = Baseline(topics)
    baseline_build_ms = 1000 * (time.perf_counter() - start)

    questions = load_questions(args.questions)
    known = {t.id for t in topics}
    unknown = sorted({i for q in questions for i in q.accepted} - known)
    if unknown:
        print(f"warning: questions expect unknown topics: {unknown}", file=sys.stderr)

    result: dict[str, Any] = {
        "topics": len(topics),
        "build_ms": build_ms,
        "baseline_build_ms": baseline_build_ms,
        "config": dataclasses.asdict(config),
    }
    columns = ["n_in", "n_oos", "top1", "answer", "wrong_answer", "top3", "mrr", "false_decline"]
    columns += ["oos_reject", "oos_answer", "p50_ms", "p99_ms"]
    print(
        f"topics={len(topics)} index build={build_ms:.1f} ms (baseline {baseline_build_ms:.1f} ms)"
    )
    print(f"{'split':8} {'engine':9} " + " ".join(f"{c:>13}" for c in columns))
    for split in args.splits.split(","):
        part = [q for q in questions if q.split == split]
        if not part:
            continue
        same = index.primary  # equivalent topics count as one, for both engines
        figures = {
            "ours": evaluate(ours(index), part, same),
            "baseline": evaluate(baseline.run, part, same),
        }
        ratios = {
            key: figures["ours"][key] / figures["baseline"][key]
            if figures["baseline"][key]
            else None
            for key in columns
            if key not in ("n_in", "n_oos")
        }
        result[split] = {**figures, "ratio": ratios}
        for engine, values in figures.items():
            cells = " ".join(
                f"{values[c]:>13d}" if isinstance(values[c], int) else f"{values[c]:>13.3f}"
                for c in columns
            )
            print(f"{split:8} {engine:9} {cells}")
        cells = " ".join(
            f"{'':>13}"
            if c in ("n_in", "n_oos")
            else f"{'n/a':>13}"
            if ratios[c] is None
            else f"{ratios[c]:>13.2f}"
            for c in columns
        )
        print(f"{split:8} {'ratio':9} {cells}")
    heldout = [q for q in questions if q.split == "heldout"]
    styles = by_style(ours(index), heldout, index.primary)
    dev = None
    if not args.no_dev:
        from bot.services.clock import system_clock
        from bot.services.qa import QAService

        service = QAService(None, system_clock, dataclasses.replace(bundle, gate=gate))
        dev = evaluate_dev(service)
    result["heldout_by_style"], result["dev"] = styles, dev
    if "heldout" in result:
        _print_side_by_side(result["heldout"]["ours"], styles, dev)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
