"""Wording of /rekap (pure): the per-unit table in a <pre> block, the government score, the
weakest indicators; plus the chart's texts."""

from __future__ import annotations

from html import escape

from bot.domain.recap import Recap, UnitRecap
from bot.handlers.selfcheck_render import estimate_label
from bot.i18n import Translator

NAME_WIDTH = 30


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def unit_block(_: Translator, unit: UnitRecap, zone: str) -> str:
    """Two monospace lines for one unit: its name, then its figures."""
    if unit.score is None:
        score = _.gettext("no self-check yet")
    else:
        score = _.gettext("{score} {category} · {coverage}% filled · {date}").format(
            score=_.number(unit.score),
            category=unit.category_code or "-",
            coverage=_.number(unit.coverage or 0, 0),
            date=_.datetime(unit.last_answer_at, zone, pattern="d/M")
            if unit.last_answer_at
            else "-",
        )
    deadlines = _.gettext("deadlines {done}/{total}").format(
        done=unit.deadlines_done, total=unit.deadlines_total
    )
    if unit.deadlines_late:
        deadlines += " " + _.ngettext("({n} late)", "({n} late)", unit.deadlines_late).format(
            n=unit.deadlines_late
        )
    quiz = _.gettext("quiz {mastery}").format(
        mastery=f"{_.number(unit.mastery, 0)}%" if unit.mastery is not None else "-"
    )
    members = _.ngettext("{n} member", "{n} members", unit.active_members).format(
        n=unit.active_members
    )
    return f"{_cut(unit.name, NAME_WIDTH)}\n  {score}\n  {deadlines} · {quiz} · {members}"


def recap_text(_: Translator, recap: Recap) -> str:
    """The /rekap message (HTML); every name is escaped."""
    lines = [
        _.gettext("<b>Readiness recap</b> — edition {edition}").format(
            edition=escape(recap.edition)
        )
    ]
    blocks = "\n".join(unit_block(_, unit, recap.timezone) for unit in recap.units)
    lines.append(f"<pre>{escape(blocks)}</pre>")
    if recap.government_score is not None:
        lines.append(
            _.gettext(
                "Predicted score of {government}: <b>{score}</b> ({category}), "
                "the mean over units that finished a self-check."
            ).format(
                government=escape(recap.government_name),
                score=_.number(recap.government_score),
                category=escape(recap.government_category or "-"),
            )
        )
    else:
        lines.append(
            _.gettext(
                "No unit has finished a self-check yet, so there is no predicted "
                "score for the government."
            )
        )
    if recap.weakest:
        lines.append(
            _.gettext(
                "<b>Weakest indicators</b> (mean of the latest answers, "
                "percent of the best answer):"
            )
        )
        for number, weak in enumerate(recap.weakest, start=1):
            lines.append(
                _.ngettext(
                    "{n}. {name} — {mean}% ({units} unit)",
                    "{n}. {name} — {mean}% ({units} units)",
                    weak.units,
                ).format(
                    n=number, name=escape(weak.name), mean=_.number(weak.mean, 0), units=weak.units
                )
            )
    lines.append(f"<i>{escape(estimate_label(_))}</i>")
    return "\n\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:])


def chart_title(_: Translator, recap: Recap) -> str:
    """Title of the PNG chart."""
    return _.gettext("Predicted score per unit — edition {edition}").format(edition=recap.edition)


def chart_empty(_: Translator) -> str:
    """Shown in the chart when no unit has a score yet."""
    return _.gettext("No unit has a self-check score yet")


def file_caption(_: Translator, recap: Recap) -> str:
    """Caption of the .xlsx document."""
    return _.ngettext(
        "Recap of {n} unit (Excel). Dates in {zone}.",
        "Recap of {n} units (Excel). Dates in {zone}.",
        len(recap.units),
    ).format(n=len(recap.units), zone=escape(recap.timezone))


def file_name(recap: Recap) -> str:
    """Download name of the workbook."""
    return f"rekap-kesiapan-{recap.edition}-{recap.generated_at:%Y%m%d}.xlsx"
