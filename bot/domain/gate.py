"""The calibrated answer gate of the Q&A engine (domain layer: pure, stdlib only).

The ranking (``bot.domain.knowledge``) orders topics; the gate decides whether the first topic
is trustworthy enough to answer. It is a logistic model over a few ranking features of one
question (``FEATURES``): how much of the question the first topic explains, its lead over the
next topic that is not declared equivalent, whether it matches a specific word, how much of the
question is unknown or off-topic, and so on. Its output is an estimate of the probability that
the first topic is the right answer.

The coefficients are data, not code: they are fitted on the labelled question set (the ``tune``
split of ``tests/qa/questions.yaml``) by ``python -m benchmarks.qa_gate --write`` and stored in
``content/qa-gate.yaml``. The threshold is chosen on the same split so that at least
``target_rejection`` of the labelled out-of-scope questions are not answered, and, above that,
the most correct minus wrong direct answers. Below the threshold there is a narrow band
(``clarify_band``) where the bot asks "Mungkin maksud Anda ..."; below that it declines, still
offering its best topic as a button when the probability is at least ``offer_threshold``.

``fit`` is plain L2-regularised logistic regression solved with Newton's method over
standardised features: deterministic, a few milliseconds for a thousand questions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["FEATURES", "Gate", "choose_threshold", "fit"]

# Order matters: ``Gate.weights`` follows it.
FEATURES: tuple[str, ...] = (
    "confidence",  # coverage blended with example similarity, first topic (0..1)
    "coverage",  # share of the question's IDF mass the first topic explains (0..1)
    "similarity",  # character similarity to the closest example question (0..1)
    "lead",  # relative score lead over the next non-equivalent topic (0..1)
    "coverage_gap",  # coverage of the first minus coverage of that next topic
    "anchored",  # 1 when the first topic matches a specific (non-generic) word
    "generic_only",  # 1 when the question has generic words only
    "unknown_share",  # share of the question's mass that no topic knows
    "cue_share",  # share of the question's mass that is off-topic cues
    "corrected_share",  # share of the question's words that were typo-corrected
    "words",  # log(1 + number of concepts in the question)
    "score",  # ranking score of the first topic, capped at 3
)


@dataclass(frozen=True, slots=True)
class Gate:
    """A fitted logistic gate (see the module docstring).

    ``weights`` and ``means``/``scales`` follow ``FEATURES``; ``fitted_on`` is a fingerprint of
    the labelled set, content and engine the gate was fitted on (a test compares it).
    """

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float = 0.5
    clarify_band: float = 0.1
    offer_threshold: float = 0.15
    fitted_on: str = ""

    def probability(self, features: Mapping[str, float]) -> float:
        """The estimated probability that the first topic is right."""
        z = self.bias
        for name, w, m, s in zip(FEATURES, self.weights, self.means, self.scales, strict=True):
            z += w * (features.get(name, 0.0) - m) / s
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def as_dict(self) -> dict[str, object]:
        """A plain mapping (for the YAML file), numbers rounded for a stable diff."""
        return {
            "fitted_on": self.fitted_on,
            "threshold": round(self.threshold, 6),
            "clarify_band": round(self.clarify_band, 6),
            "offer_threshold": round(self.offer_threshold, 6),
            "bias": round(self.bias, 6),
            "features": {
                name: {"weight": round(w, 6), "mean": round(m, 6), "scale": round(s, 6)}
                for name, w, m, s in zip(
                    FEATURES, self.weights, self.means, self.scales, strict=True
                )
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Gate:
        """Build from ``as_dict`` output.

        Raises:
            ValueError: if a feature is missing or a number is malformed.
        """
        features = data.get("features")
        if not isinstance(features, Mapping):
            raise ValueError("gate: 'features' must be a mapping")
        missing = [name for name in FEATURES if name not in features]
        if missing:
            raise ValueError(f"gate: missing features {missing}")
        try:
            rows = [features[name] for name in FEATURES]
            return cls(
                weights=tuple(float(r["weight"]) for r in rows),
                bias=float(data["bias"]),  # type: ignore[arg-type]
                means=tuple(float(r["mean"]) for r in rows),
                scales=tuple(float(r["scale"]) or 1.0 for r in rows),
                threshold=float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
                clarify_band=float(data.get("clarify_band", 0.1)),  # type: ignore[arg-type]
                offer_threshold=float(data.get("offer_threshold", 0.15)),  # type: ignore[arg-type]
                fitted_on=str(data.get("fitted_on", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"gate: malformed number ({exc})") from None


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a small dense linear system (Gaussian elimination with partial pivoting)."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[bool],
    *,
    l2: float = 1.0,
    iterations: int = 30,
) -> Gate:
    """Fit the logistic gate on feature rows and labels (True: the first topic is right).

    The threshold is left at 0.5; set it with ``choose_threshold``.
    """
    n, k = len(rows), len(FEATURES)
    if n == 0:
        raise ValueError("no rows to fit")
    columns = [[float(r.get(name, 0.0)) for r in rows] for name in FEATURES]
    means = [sum(c) / n for c in columns]
    scales = [
        math.sqrt(sum((v - m) ** 2 for v in c) / n) or 1.0
        for c, m in zip(columns, means, strict=True)
    ]
    x = [[1.0] + [(columns[j][i] - means[j]) / scales[j] for j in range(k)] for i in range(n)]
    y = [1.0 if label else 0.0 for label in labels]
    beta = [0.0] * (k + 1)
    for _ in range(iterations):
        gradient = [0.0] * (k + 1)
        hessian = [[0.0] * (k + 1) for _ in range(k + 1)]
        for xi, yi in zip(x, y, strict=True):
            z = sum(b * v for b, v in zip(beta, xi, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            w = max(p * (1.0 - p), 1e-9)
            for a in range(k + 1):
                gradient[a] += (yi - p) * xi[a]
                row = hessian[a]
                wa = w * xi[a]
                for b in range(a, k + 1):
                    row[b] += wa * xi[b]
        for a in range(k + 1):
            for b in range(a):
                hessian[a][b] = hessian[b][a]
            if a:  # no penalty on the bias
                gradient[a] -= l2 * beta[a]
                hessian[a][a] += l2
        step = _solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return Gate(weights=tuple(beta[1:]), bias=beta[0], means=tuple(means), scales=tuple(scales))


def choose_threshold(
    in_scope: Sequence[tuple[float, bool]],
    out_of_scope: Sequence[float],
    *,
    target_rejection: float = 0.95,
) -> float:
    """The answer threshold: at least ``target_rejection`` of ``out_of_scope`` probabilities
    fall below it, and above that bound the one with most right minus wrong direct answers.

    ``in_scope`` holds (probability, first topic right) per in-scope question.
    """
    ordered = sorted(out_of_scope, reverse=True)
    allowed = math.floor(len(ordered) * (1.0 - target_rejection) + 1e-9)
    # Strictly above the (allowed+1)-th highest out-of-scope probability.
    floor = ordered[allowed] + 1e-6 if allowed < len(ordered) else 0.0
    candidates = sorted({floor} | {p for p, _ in in_scope if p > floor})
    best, best_value = floor, -math.inf
    for t in candidates:
        value = sum((1 if right else -1) for p, right in in_scope if p >= t)
        if value > best_value:
            best, best_value = t, value
    return best
