"""Pure rendering for /cek, /skor and /kuis: domain results + translator in, HTML text out."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from bot.domain.knowledge import Topic
from bot.domain.methodology import Zone
from bot.domain.quiz import QuizFeedback, QuizStep, QuizSummary, years_label
from bot.domain.scoring import UnitResult
from bot.domain.selfcheck import (
    Notice,
    Paused,
    Question,
    SelfCheckResult,
    UnitScoreboard,
)
from bot.i18n import Translator


def estimate_label(_: Translator) -> str:
    """The label every score carries."""
    return _.gettext("Estimate — not an official Ombudsman score")


def zone_name(_: Translator, zone: Zone | None) -> str:
    """A colour zone in the user's language."""
    names = {
        Zone.HIJAU: _.pgettext("zone", "green"),
        Zone.KUNING: _.pgettext("zone", "yellow"),
        Zone.MERAH: _.pgettext("zone", "red"),
    }
    return names.get(zone, "–") if zone is not None else "–"


def edition_label(_: Translator, edition: str, default: str, in_force: str | None) -> str:
    """An edition button: "Edisi 2025 (berlaku)", "Edisi 2024 (bawaan)" or "Edisi 2023"."""
    if edition == in_force:
        return _.gettext("Edition {edition} (in force)").format(edition=edition)
    if edition == default:
        return _.gettext("Edition {edition} (default)").format(edition=edition)
    return _.gettext("Edition {edition}").format(edition=edition)


def edition_picker(_: Translator, default: str, in_force: str | None) -> str:
    """/cek without an open session: which edition (the default is the first button)."""
    intro = _.gettext(
        "<b>Self-check</b>\nAnswer one question per indicator; every answer is saved at once, "
        "so you can pause and continue later with /cek."
    )
    if default == in_force:
        choice = _.gettext(
            "Which assessment edition? Edition {edition} is in force: it is the method units "
            "are assessed with now. Older editions remain available for comparison."
        ).format(edition=escape(default))
    else:
        choice = _.gettext(
            "Which assessment edition? This bot uses edition {edition} by default; the edition "
            "in force is {in_force}."
        ).format(edition=escape(default), in_force=escape(in_force or "–"))
    return intro + "\n\n" + choice


def unit_picker(_: Translator, edition: str) -> str:
    """Coordinators and admins: which unit the self-check is for."""
    return _.gettext("Self-check {edition}: which unit is it for?").format(edition=escape(edition))


def question(_: Translator, q: Question) -> str:
    """One indicator with its progress and, after "Kembali", the answer already given."""
    lines = []
    if q.notice is Notice.RESUMED:
        lines.append("<i>" + _.gettext("Continuing your self-check where you left off.") + "</i>")
    elif q.notice is Notice.INDICATOR_REMOVED:
        lines.append(
            "<i>"
            + _.gettext(
                "The previous question was removed from the assessment content, so it was not "
                "recorded. Here is the next one."
            )
            + "</i>"
        )
    lines.append(
        _.gettext("<b>Self-check {edition}</b> · {unit}").format(
            edition=escape(q.edition), unit=escape(q.unit_name)
        )
    )
    lines.append(
        _.gettext("Question {position}/{total} · {dimension}").format(
            position=q.position, total=q.total, dimension=escape(q.dimension_name)
        )
    )
    lines.append("")
    lines.append(f"<b>{escape(q.indicator.name)}</b>")
    lines.append(escape(q.indicator.question))
    if q.current_value is not None:
        label = next((o.label for o in q.indicator.options if o.value == q.current_value), "")
        lines.append("")
        lines.append(_.gettext("Current answer: {answer}").format(answer=escape(label)))
    return "\n".join(lines)


def paused(_: Translator, p: Paused) -> str:
    """After "Jeda"."""
    return _.gettext(
        "Paused after {recorded} of {total} questions. Everything is saved; type /cek to continue."
    ).format(recorded=p.recorded, total=p.total)


def _score_lines(_: Translator, result: UnitResult) -> list[str]:
    if result.score is None or result.category is None:
        return [_.gettext("No score yet: every question was skipped.")]
    lines = [_.gettext("Predicted score: <b>{score}</b>").format(score=_.number(result.score))]
    if result.zone is None:
        # 2025 (Opini Ombudsman) has no colour zones: no "zona –" line.
        lines.append(
            _.gettext("Category: {code} ({label})").format(
                code=escape(result.category.code), label=escape(result.category.label)
            )
        )
    else:
        lines.append(
            _.gettext("Category: {code} ({label}) · zone {zone}").format(
                code=escape(result.category.code),
                label=escape(result.category.label),
                zone=zone_name(_, result.zone),
            )
        )
    if result.category.note:  # content text (the methodology file), already Indonesian
        lines.append("⚠️ " + escape(result.category.note))
    if result.opinion:
        lines.append(_.gettext("Opinion label: {opinion}").format(opinion=escape(result.opinion)))
    lines.append(
        # TRANSLATORS: coverage is weighted (indicators weigh differently), not answered/total.
        _.gettext(
            "Coverage: {answered} of {total} indicators answered ({coverage}% of the weight)"
        ).format(coverage=_.number(result.coverage), answered=result.answered, total=result.total)
    )
    return lines


def result_card(_: Translator, r: SelfCheckResult) -> str:
    """The card at the end of /cek."""
    lines = [
        _.gettext("<b>Self-check result — {unit}</b>").format(unit=escape(r.unit_name)),
        _.gettext("Edition {edition}").format(edition=escape(r.edition)),
        "<b>" + estimate_label(_) + "</b>",
        "",
        *_score_lines(_, r.result),
    ]
    if r.personal:
        lines.append(
            _.gettext(
                "Personal result: your answers count for the unit only once your request to "
                "join is accepted."
            )
        )
    else:
        lines.append(
            _.gettext("This is the unit's score from all its members' latest answers, as /skor.")
        )
    if r.skipped:
        lines.append(
            _.ngettext(
                "{count} question skipped (not counted).",
                "{count} questions skipped (not counted).",
                r.skipped,
            ).format(count=r.skipped)
        )
    lines += ["", "<b>" + _.gettext("Score per dimension") + "</b>"]
    for dim in r.result.dimensions:
        score = _.number(dim.score) if dim.score is not None else "–"
        lines.append(
            _.gettext("• {name}: {score} (weight {share}%)").format(
                name=escape(dim.name), score=score, share=_.number(dim.unit_share)
            )
        )
    lines += ["", "<b>" + _.gettext("Fix these first") + "</b>"]
    if not r.improvements:
        lines.append(_.gettext("Nothing to improve: every indicator is at its best option."))
    for number, item in enumerate(r.improvements, start=1):
        lines.append(
            _.gettext("{number}. {name}: +{points} points with “{target}”").format(
                number=number,
                name=escape(item.indicator.name),
                points=_.number(item.gain.points),
                target=escape(item.gain.target_label),
            )
        )
        lines.append(
            "   "
            + _.gettext("Evidence: {evidence}").format(evidence=escape(item.indicator.evidence))
        )
    return "\n".join(lines)


def waiting_score(_: Translator, unit: str | None, personal: SelfCheckResult | None) -> str:
    """/skor by someone whose join request waits: why no unit score, and what they can do."""
    if unit is not None:
        head = _.gettext(
            "Your request to join <b>{unit}</b> is waiting for the unit's coordinator. "
            "The unit's score is shown here once they accept it."
        ).format(unit=escape(unit))
    else:
        head = _.gettext(
            "Your request to join a unit is waiting for its coordinator. "
            "The unit's score is shown here once they accept it."
        )
    if personal is None:
        tail = _.gettext(
            "Meanwhile you can run a personal self-check: type /cek. "
            "Your answers count for the unit once you are accepted."
        )
        return head + "\n\n" + tail
    return head + "\n\n" + result_card(_, personal)


def chart_caption(_: Translator, unit: str, edition: str) -> str:
    """Caption of the dimension chart."""
    return _.gettext("Dimension scores, {unit}, edition {edition}. {estimate}").format(
        unit=escape(unit), edition=escape(edition), estimate=estimate_label(_)
    )


def topic_card(_: Translator, topic: Topic) -> str:
    """A Q&A topic in short: title, short answer, sources."""
    lines = [f"<b>{escape(topic.title)}</b>", "", escape(topic.short)]
    if topic.sources:
        lines += [
            "",
            _.gettext("Source: {sources}").format(sources=escape("; ".join(topic.sources))),
        ]
    return "\n".join(lines)


def scoreboard(_: Translator, board: UnitScoreboard, zone: str) -> str:
    """/skor: the unit's latest result, its trend, and the government's estimate."""
    lines = [
        _.gettext("<b>Score — {unit}</b> · edition {edition}").format(
            unit=escape(board.unit_name), edition=escape(board.edition)
        ),
        "<b>" + estimate_label(_) + "</b>",
        "",
    ]
    if board.result is None:
        lines.append(
            _.gettext(
                "Your unit has no self-check answers for this edition yet. Type /cek to start."
            )
        )
    else:
        lines.append(
            _.ngettext(
                "Latest answers of {count} member of your unit:",
                "Latest answers of {count} members of your unit:",
                board.contributors,
            ).format(count=board.contributors)
        )
        lines += _score_lines(_, board.result)
        if board.result.ignored_answers:
            lines.append(
                _.ngettext(
                    "{count} stored answer no longer counts (its indicator left the content): "
                    "{ids}.",
                    "{count} stored answers no longer count (their indicators left the "
                    "content): {ids}.",
                    len(board.result.ignored_answers),
                ).format(
                    count=len(board.result.ignored_answers),
                    ids=escape(", ".join(board.result.ignored_answers)),
                )
            )
        if board.outdated_content:
            lines.append(
                _.gettext(
                    "Some answers were given under an earlier version of the "
                    "content; they are scored with today's weights."
                )
            )
    if board.trend:
        points = " → ".join(
            f"{_.datetime(p.at, zone, pattern='d MMM')}: {_.number(p.score)}"
            for p in board.trend[-6:]
        )
        lines += [
            "",
            _.ngettext(
                "Trend ({count} finished self-check): {points}",
                "Trend ({count} finished self-checks): {points}",
                len(board.trend),
            ).format(count=len(board.trend), points=points),
        ]
    government = board.government
    lines.append("")
    if government is None:
        lines.append(
            _.gettext(
                "No unit of your government has finished a self-check for this "
                "edition yet, so there is no government estimate."
            )
        )
    else:
        lines.append(
            _.gettext(
                "{government}: predicted <b>{score}</b>, category {code} ({label}); the mean of "
                "{covered} of {total} units that finished a self-check."
            ).format(
                government=escape(government.name),
                score=_.number(government.score),
                code=escape(government.category_code),
                label=escape(government.category_label),
                covered=government.units_covered,
                total=government.units_total,
            )
        )
    lines += [
        "",
        "<i>"
        + _.gettext("Every figure above belongs to edition {edition}.").format(
            edition=escape(board.edition)
        )
        + "</i>",
    ]
    return "\n".join(lines)


def drill_picker(_: Translator) -> str:
    """/kuis: pick a role drill."""
    return _.gettext(
        "<b>Quick quiz</b>: 5 questions to practise for the Ombudsman's "
        "competence interview. Which role do you want to drill?"
    )


def drill_name(_: Translator, drill: str) -> str:
    """A role drill's button label."""
    names = {
        "pimpinan": _.gettext("Head of unit"),
        "penanggung-jawab": _.gettext("Person in charge of the service"),
        "pengelola-pengaduan": _.gettext("Complaint handler"),
        "front-office": _.gettext("Front-office officer"),
        "campur": _.gettext("Mixed"),
    }
    return names.get(drill, drill)


def quiz_question(_: Translator, step: QuizStep) -> str:
    """A quiz question with its options spelled out."""
    q = step.question
    heading = _.gettext("<b>Quiz {position}/{total}</b>").format(
        position=step.position + 1, total=step.total
    )
    if q.editions:
        years = escape(years_label(q.editions))
        # TRANSLATORS: the assessment year(s) a quiz question is about, e.g. "2022–2024"
        label = _.gettext("assessment {years}").format(years=years)
        heading += f" · <i>{label}</i>"
    lines = [
        heading,
        "",
        escape(q.question),
        "",
    ]
    lines += [f"<b>{escape(key.upper())}.</b> {escape(label)}" for key, label in q.options]
    return "\n".join(lines)


def quiz_feedback(_: Translator, feedback: QuizFeedback) -> str:
    """The question again, the verdict and the explanation."""
    q = feedback.question
    step = QuizStep(feedback.attempt_id, feedback.position, feedback.total, q)
    lines = [quiz_question(_, step), ""]
    if feedback.correct:
        lines.append(_.gettext("✅ Correct!"))
    else:
        lines.append(
            _.gettext("❌ Not quite. The answer is {key}. {label}").format(
                key=escape(q.answer.upper()), label=escape(q.option(q.answer) or "")
            )
        )
    lines.append("<i>" + escape(q.explanation) + "</i>")
    return "\n".join(lines)


def quiz_summary(_: Translator, summary: QuizSummary, titles: dict[str, str]) -> str:
    """The end of a round: score and mastery of its topics."""
    lines = [
        _.gettext("<b>Quiz finished!</b> Your score: {correct}/{total}.").format(
            correct=summary.correct, total=summary.total
        ),
        "",
        _.gettext("Your mastery so far, by topic:"),
    ]
    for item in summary.mastery:
        lines.append(
            _.gettext("• {topic}: {percent}% ({correct}/{answered})").format(
                topic=escape(titles.get(item.topic, item.topic)),
                percent=item.percent,
                correct=item.correct,
                answered=item.answered,
            )
        )
    lines += [
        "",
        _.gettext("Type /kuis for another round; questions you missed come back sooner."),
    ]
    return "\n".join(lines)


def points(value: Decimal) -> float:
    """A Decimal as a float for charts only (never for arithmetic)."""
    return float(value)
