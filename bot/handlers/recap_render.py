"""Wording of /rekap (pure): the dashboard as pages of HTML, and the captions of its files.

The dashboard is a list of blocks (estimate, units needing attention, league table, weakest
indicators, changes); pages() packs them into messages under Telegram's 4096-character limit,
so a province with many units pages through its table instead of getting a cut message.
"""

from __future__ import annotations

from html import escape

from bot.domain.recap import Reason, Recap, UnitRecap
from bot.handlers.selfcheck_render import estimate_label
from bot.i18n import Translator
from bot.reports.common import short_name

NAME_WIDTH = 28
PAGE_LIMIT = 3600  # room for the page line under Telegram's 4096
TABLE_ROWS = 12  # league-table rows per <pre> block


def _reason(_: Translator, reason: Reason) -> str:
    return {
        Reason.NOT_STARTED: _.gettext("not started"),
        Reason.LOW_COVERAGE: _.gettext("coverage below half"),
        Reason.LATE: _.gettext("late deadline"),
    }[reason]


def headline(_: Translator, recap: Recap) -> str:
    """Title, date, edition and the government's estimate with its coverage."""
    lines = [
        _.gettext("<b>Readiness recap</b> — edition {edition} · {date}").format(
            edition=escape(recap.edition),
            date=_.datetime(recap.generated_at, recap.timezone, pattern="d MMM y HH:mm zzz"),
        )
    ]
    if recap.government_score is not None:
        lines.append(
            _.gettext(
                "Predicted score of {government}: <b>{score}</b> ({code} {category}), "
                "from {covered} of {total} units (those that finished a self-check)."
            ).format(
                government=escape(recap.government_name),
                score=_.number(recap.government_score),
                code=escape(recap.government_category_code or "-"),
                category=escape(recap.government_category or "-"),
                covered=recap.units_covered,
                total=recap.units_total,
            )
        )
    else:
        lines.append(
            _.gettext(
                "No unit has finished a self-check yet, so there is no predicted "
                "score for the government (0 of {total} units)."
            ).format(total=recap.units_total)
        )
    lines.append(f"<i>{escape(estimate_label(_))}</i>")
    return "\n".join(lines)


def attention_blocks(_: Translator, recap: Recap) -> list[str]:
    """Units not started, with low coverage or late deadlines, by name, with coordinators."""
    units = recap.attention
    if not units:
        return [_.gettext("<b>Needs attention:</b> none — every unit has started.")]
    lines = [_.gettext("<b>Needs attention</b> ({n}):").format(n=len(units))]
    for unit in units:
        who = ", ".join(unit.coordinators) or _.gettext("no coordinator")
        lines.append(
            "• {name} — {reasons} ({who})".format(
                name=escape(unit.name),
                reasons=", ".join(_reason(_, r) for r in unit.reasons()),
                who=escape(who),
            )
        )
    return _chunks(lines, 25)


def _row(_: Translator, rank: int, unit: UnitRecap) -> str:
    name = short_name(unit.name, NAME_WIDTH)
    dims = " ".join(_.number(d.score, 0) if d.score is not None else "-" for d in unit.dimensions)
    return f"{rank:>2}. {name}\n    {_.number(unit.score or 0)} {unit.category_code or '-'} · " + (
        _.gettext("{coverage}% filled · dim {dims}").format(
            coverage=_.number(unit.coverage or 0, 0), dims=dims
        )
    )


def league_blocks(_: Translator, recap: Recap) -> list[str]:
    """The league table in <pre> blocks of TABLE_ROWS units, with the dimension legend."""
    legend = " · ".join(
        f"{n}={escape(name)}" for n, name in enumerate(recap.dimension_names, start=1)
    )
    started = [unit for unit in recap.league if unit.started]
    rows = [_row(_, rank, unit) for rank, unit in enumerate(started, start=1)]
    blocks = [
        _.gettext("<b>League table</b> (score, category, coverage, dimensions {legend}):").format(
            legend=legend
        )
    ]
    for start in range(0, len(rows), TABLE_ROWS):
        blocks.append(f"<pre>{escape(chr(10).join(rows[start : start + TABLE_ROWS]))}</pre>")
    waiting = len(recap.units) - len(started)
    if waiting:
        blocks.append(
            _.ngettext(
                "<i>{n} unit has not started (see Needs attention).</i>",
                "<i>{n} units have not started (see Needs attention).</i>",
                waiting,
            ).format(n=waiting)
        )
    return blocks


def weakest_block(_: Translator, recap: Recap) -> list[str]:
    """The weakest indicators across units with the units concerned."""
    if not recap.weakest:
        return []
    lines = [_.gettext("<b>Weakest indicators</b> (mean answer, percent of the best answer):")]
    for number, weak in enumerate(recap.weakest, start=1):
        lines.append(
            _.gettext("{n}. {name} — {mean}%: {units}").format(
                n=number,
                name=escape(weak.name),
                mean=_.number(weak.mean, 0),
                units=escape(", ".join(weak.unit_names)) or "-",
            )
        )
    return _chunks(lines, 6)


def changes_block(_: Translator, recap: Recap) -> list[str]:
    """Score and coverage change per unit since the previous report."""
    changed = [u for u in recap.units if u.previous is not None]
    if not changed:
        return [_.gettext("<b>Change since the previous report:</b> this is the first report.")]
    since = max(u.previous.at for u in changed if u.previous is not None)
    lines = [
        _.gettext("<b>Change since the previous report</b> ({date}):").format(
            date=_.datetime(since, recap.timezone, pattern="d MMM y HH:mm zzz")
        )
    ]
    moved = [u for u in changed if u.score_change or u.coverage_change]
    for unit in sorted(moved, key=lambda u: u.name.casefold()):
        lines.append(
            _.gettext("• {name}: score {score}, coverage {coverage} pts").format(
                name=escape(unit.name),
                score=_signed(_, unit.score_change),
                coverage=_signed(_, unit.coverage_change),
            )
        )
    if not moved:
        lines.append(_.gettext("No unit's score or coverage changed."))
    return _chunks(lines, 25)


def _signed(_: Translator, value: object) -> str:
    if value is None:
        return "-"
    number = _.number(value)  # type: ignore[arg-type]
    return number if number.startswith("-") else "+" + number


def _chunks(lines: list[str], size: int) -> list[str]:
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]


def pages(_: Translator, recap: Recap) -> list[str]:
    """The dashboard as HTML pages, each under PAGE_LIMIT characters."""
    blocks = [
        headline(_, recap),
        *attention_blocks(_, recap),
        *league_blocks(_, recap),
        *weakest_block(_, recap),
        *changes_block(_, recap),
    ]
    result: list[str] = []
    current = ""
    for block in blocks:
        if current and len(current) + len(block) + 2 > PAGE_LIMIT:
            result.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    result.append(current)
    return result


def page(_: Translator, recap: Recap, index: int) -> str:
    """One page, with "page i of n" when there are several."""
    all_pages = pages(_, recap)
    index = max(0, min(index, len(all_pages) - 1))
    text = all_pages[index]
    if len(all_pages) > 1:
        text += "\n\n" + _.gettext("Page {page} of {pages}").format(
            page=index + 1, pages=len(all_pages)
        )
    return text


def chart_title(_: Translator, recap: Recap) -> str:
    """Title of the PNG chart: what, edition and date."""
    return _.gettext("Predicted score per unit — edition {edition}, {date}").format(
        edition=recap.edition,
        date=_.datetime(recap.generated_at, recap.timezone, pattern="d MMM y"),
    )


def file_caption(_: Translator, recap: Recap, kind: str) -> str:
    """Caption of the .xlsx / .pdf documents."""
    return _.ngettext(
        "Recap of {n} unit ({kind}), edition {edition}. Dates in {zone}.",
        "Recap of {n} units ({kind}), edition {edition}. Dates in {zone}.",
        len(recap.units),
    ).format(
        n=len(recap.units), kind=kind, edition=escape(recap.edition), zone=escape(recap.timezone)
    )


def file_name(recap: Recap, extension: str) -> str:
    """Download name of a recap file."""
    return f"rekap-kesiapan-{recap.edition}-{recap.generated_at:%Y%m%d}.{extension}"


def unknown_edition(_: Translator, editions: tuple[str, ...] | list[str]) -> str:
    """/rekap with an edition that has no self-check."""
    return _.gettext("Unknown edition. Editions with a self-check: {editions}.").format(
        editions=", ".join(editions)
    )
