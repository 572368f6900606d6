"""PNG charts for the self-check (transport layer): matplotlib's Agg canvas, no pyplot state.

Rendering takes a few hundred milliseconds, so handlers call these through asyncio.to_thread.
Using Figure + FigureCanvasAgg directly (not pyplot) keeps no global figure registry, so
concurrent renders in threads do not interfere.
"""

from __future__ import annotations

from io import BytesIO

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

EARNED = "#1f7a4d"
MAXIMUM = "#d9d9d9"


@matplotlib.rc_context({"text.parse_math": False})  # names and titles are text, not TeX
def dimension_chart(
    labels: list[str],
    earned: list[float],
    maxima: list[float],
    *,
    title: str,
    note: str,
    earned_label: str,
    maximum_label: str,
    headline: str = "",
) -> bytes:
    """Horizontal bars: points earned per dimension over the dimension's maximum points;
    `headline` (the total score and category) is written large above the bars."""
    figure = Figure(figsize=(7, 0.7 * len(labels) + 2.3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    axes.barh(rows, maxima, color=MAXIMUM, label=maximum_label)
    axes.barh(rows, earned, color=EARNED, height=0.5, label=earned_label)
    for row, value, top in zip(rows, earned, maxima, strict=True):
        axes.text(
            top + 0.3,
            row,
            f"{value:.2f}".replace(".", ",") + " / " + f"{top:.2f}".replace(".", ","),
            va="center",
            fontsize=9,
        )
    axes.set_yticks(rows, labels)
    axes.set_xlim(0, max(maxima, default=1) * 1.35)
    axes.set_title(title, fontsize=11)
    axes.legend(loc="lower right", fontsize=8)
    if headline:
        figure.text(
            0.5,
            0.975,
            headline,
            ha="center",
            va="top",
            fontsize=14,
            fontweight="bold",
            color=EARNED,
        )
    figure.text(0.5, 0.01, note, ha="center", fontsize=9, color="#b00020")
    figure.tight_layout(rect=(0, 0.05, 1, 0.92 if headline else 1))
    return _png(figure)


@matplotlib.rc_context({"text.parse_math": False})  # names and titles are text, not TeX
def trend_chart(labels: list[str], scores: list[float], *, title: str, note: str) -> bytes:
    """A small line chart of finished self-check scores over time (0-100)."""
    figure = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(range(len(scores)), scores, marker="o", color=EARNED)
    axes.set_xticks(range(len(labels)), labels, fontsize=8, rotation=30)
    axes.set_ylim(0, 100)
    axes.set_title(title, fontsize=11)
    figure.text(0.5, 0.01, note, ha="center", fontsize=8, color="#b00020")
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
