"""Recap charts: every unit over the category bands, and a unit's dimensions and trend.

Each chart is drawn onto a matplotlib Axes (so the PDF embeds it as vectors) and has a PNG
wrapper for the chat. Figure + FigureCanvasAgg, no pyplot: no global state, safe in threads.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.domain.methodology import Category
from bot.domain.recap import DimensionScore, Recap, ScorePoint, UnitRecap
from bot.reports.common import NOT_STARTED, category_colour, id_number, short_name

BAR = "#1f4e79"
EMPTY = "#9e9e9e"
NAME_CHARS = 30


def _short(name: str, width: int = NAME_CHARS) -> str:
    return short_name(name, width)


def _bands(axes: Axes, categories: tuple[Category, ...], *, size: float) -> None:
    for category in categories:
        axes.axvspan(
            float(category.min),
            float(category.max),
            color=category_colour(categories, category.code),
            alpha=0.8,
            zorder=0,
        )
        axes.text(
            (float(category.min) + float(category.max)) / 2,
            1.0,
            category.code,
            transform=axes.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=size,
            fontweight="bold",
            color="#555555",
        )
        axes.axvline(float(category.min), color="#999999", linewidth=1, zorder=1)


def chart_order(units: tuple[UnitRecap, ...] | list[UnitRecap]) -> list[UnitRecap]:
    """Scored units highest first, then units not started, by name."""
    return sorted(units, key=lambda u: (u.score is None, -(u.score or 0), u.name.casefold()))


def draw_scores(axes: Axes, recap: Recap, *, title: str, size: float = 16) -> None:
    """Every unit as a bar over the category bands; units not started are labelled so."""
    units = chart_order(recap.units)
    _bands(axes, recap.categories, size=size)
    rows = list(range(len(units)))[::-1]
    for row, unit in zip(rows, units, strict=True):
        if unit.score is None:
            axes.text(
                1,
                row,
                NOT_STARTED,
                va="center",
                ha="left",
                fontsize=size * 0.8,
                color=EMPTY,
                style="italic",
                zorder=3,
            )
            continue
        score = float(unit.score)
        axes.barh(row, score, color=BAR, height=0.6, zorder=2)
        inside = score > 80  # no room right of the bar: write inside it, in white
        axes.text(
            score - 1 if inside else score + 1,
            row,
            f"{id_number(unit.score)} {unit.category_code or ''}".strip(),
            va="center",
            ha="right" if inside else "left",
            fontsize=size,
            zorder=3,
            color="#ffffff" if inside else "#111111",
            fontweight="bold",
        )
    axes.set_yticks(rows, [_short(u.name) for u in units], fontsize=size)
    for label, unit in zip(axes.get_yticklabels(), units, strict=True):
        if unit.score is None:
            label.set_color(EMPTY)
    axes.set_ylim(-0.7, max(len(units), 1) - 0.3)
    axes.set_xlim(0, 100)
    axes.tick_params(axis="x", labelsize=size * 0.85)
    axes.set_title(title, fontsize=size * 1.2, pad=size * 1.9)


@matplotlib.rc_context({"text.parse_math": False})  # names and titles are text, not TeX
def score_chart(recap: Recap, *, title: str, note: str) -> bytes:
    """The recap chart as a PNG about 1080 px wide (readable on a phone)."""
    height = max(4.0, 0.62 * len(recap.units) + 2.6)
    figure = Figure(figsize=(10.8, height), dpi=100)
    FigureCanvasAgg(figure)
    draw_scores(figure.add_subplot(), recap, title=title)
    figure.text(0.5, 0.01, note, ha="center", fontsize=13, color="#b00020")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _png(figure)


def draw_dimensions(
    axes: Axes, dimensions: tuple[DimensionScore, ...], *, title: str, size: float = 10
) -> None:
    """Score per dimension (0-100), unanswered dimensions marked."""
    rows = list(range(len(dimensions)))[::-1]
    for row, dim in zip(rows, dimensions, strict=True):
        value = float(dim.score) if dim.score is not None else 0.0
        axes.barh(row, 100, color="#e6e6e6", height=0.6, zorder=1)
        axes.barh(row, value, color=BAR, height=0.6, zorder=2)
        text = id_number(dim.score) if dim.score is not None else "belum diisi"
        axes.text(101, row, text, va="center", ha="left", fontsize=size)
    axes.set_yticks(rows, [_short(d.name, 24) for d in dimensions], fontsize=size)
    axes.set_xlim(0, 118)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=size * 0.8)
    axes.set_title(title, fontsize=size * 1.1)


def draw_trend(
    axes: Axes, points: tuple[ScorePoint, ...], zone: str, *, title: str, size: float = 9
) -> None:
    """Finished self-check scores over time (0-100)."""
    labels = [_day(p.at, zone) for p in points]
    axes.plot(range(len(points)), [float(p.score) for p in points], marker="o", color=BAR)
    for x, point in enumerate(points):
        axes.annotate(
            id_number(point.score),
            (x, float(point.score)),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=size * 0.85,
        )
    axes.set_xticks(range(len(labels)), labels, fontsize=size * 0.85, rotation=30)
    axes.set_ylim(0, 105)
    axes.tick_params(axis="y", labelsize=size * 0.85)
    axes.set_title(title, fontsize=size * 1.1)


@matplotlib.rc_context({"text.parse_math": False})  # names and titles are text, not TeX
def trend_png(points: tuple[ScorePoint, ...], zone: str, *, title: str, note: str) -> bytes:
    """A unit's trend as a PNG (for the chat)."""
    figure = Figure(figsize=(7, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    draw_trend(figure.add_subplot(), points, zone, title=title, size=11)
    figure.text(0.5, 0.01, note, ha="center", fontsize=9, color="#b00020")
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(figure)


def _day(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%d/%m/%y")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
