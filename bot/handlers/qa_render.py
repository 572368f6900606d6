"""Pure rendering of Q&A answers and the /indikator browser (HTML; user text escaped)."""

from __future__ import annotations

import re
from html import escape, unescape

from bot.domain.knowledge import Answer, DecisionKind, Topic
from bot.domain.methodology import Certainty, Dimension, Indicator, Methodology
from bot.domain.smalltalk import SmallTalk
from bot.handlers.render import split_message
from bot.i18n import Translator

QUOTE_LIMIT = 200  # characters of the user's question repeated in a reply
LABEL_LIMIT = 60  # characters of a button label; longer titles are shortened
_TAG_RE = re.compile(r"<[^>]+>")


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def plain(html: str) -> str:
    """The text a person reads from our HTML (for the command line)."""
    return unescape(_TAG_RE.sub("", html))


# Topics and methodology items share the three levels (Certainty in bot.domain.methodology).
_SINGLE_SOURCE = {"satu-sumber"}


def certainty_note(_: Translator, certainty: str) -> str | None:
    """A short note for content that is not confirmed; None when it is (`pasti`)."""
    if certainty in _SINGLE_SOURCE:
        return _.gettext(
            "Single source: this rests on one source so far, not yet confirmed by a second one."
        )
    if certainty == "belum-pasti":
        return _.gettext(
            "Not confirmed: this is inferred or the sources disagree. Please check it with "
            "the Ombudsman RI representative office (Perwakilan Ombudsman)."
        )
    return None


def topic_text(_: Translator, topic: Topic) -> str:
    """Title, short answer, source line and, if needed, a certainty note."""
    parts = [f"<b>{escape(topic.title)}</b>", escape(topic.short)]
    if topic.sources:
        parts.append(
            "<i>"
            + escape(_.gettext("Source: {sources}").format(sources="; ".join(topic.sources)))
            + "</i>"
        )
    note = certainty_note(_, topic.certainty)
    if note:
        parts.append("⚠️ " + escape(note))
    return "\n\n".join(parts)


def detail_chunks(_: Translator, topic: Topic) -> list[str]:
    """The longer explanation ("Selengkapnya"), split below Telegram's limit."""
    header = "<b>" + escape(_.gettext("{title}: more detail").format(title=topic.title)) + "</b>"
    return split_message(header + "\n\n" + escape(topic.detail or topic.short))


def answer_chunks(_: Translator, answer: Answer, question: str) -> list[str]:
    """The reply to a question: an answer, a "did you mean", small talk or a short decline."""
    if answer.kind is DecisionKind.ANSWER and answer.topic is not None:
        parts = [topic_text(_, answer.topic)] + [topic_text(_, t) for t in answer.also]
        return split_message("\n\n➖➖➖\n\n".join(parts))
    if answer.kind is DecisionKind.CLARIFY and answer.candidates:
        return [escape(_.gettext("I'm not sure which topic you mean. Did you mean:"))]
    if answer.kind is DecisionKind.SMALL_TALK:
        return [small_talk_text(_, answer.small_talk)]
    return split_message(decline_text(_, answer, question))


def small_talk_text(_: Translator, kind: SmallTalk | None) -> str:
    """A short friendly reply to a greeting, thanks, "siapa kamu" or "kamu bisa apa"."""
    if kind is SmallTalk.THANKS:
        return _.gettext("You're welcome! Ask again any time.")
    if kind is SmallTalk.BYE:
        return _.gettext("See you! Good luck with the assessment preparation.")
    if kind is SmallTalk.WHO:
        return _.gettext(
            "I'm Pendamping Kepatuhan, an assistant that helps your unit prepare for the "
            "Ombudsman RI compliance assessment. Just type your question."
        )
    if kind is SmallTalk.CAPABILITIES:
        return _.gettext(
            "I answer questions about the Ombudsman RI assessment and service standards "
            "(for example <i>bobot dimensi proses brp?</i>), and I help with deadlines and "
            "evidence. Type /bantuan for the full list."
        )
    return _.gettext(
        "Hello! Please type your question about the assessment, for example: "
        "<i>maklumat hrs ada apa aja?</i>"
    )


def decline_text(_: Translator, answer: Answer, question: str) -> str:
    """Say honestly, and briefly, that we have no reliable answer (at most ~200 characters)."""
    if not answer.query:
        return small_talk_text(_, SmallTalk.GREETING)
    if answer.offered is not None:
        return _.gettext(
            "Sorry, I'm not sure I have the answer to that. This topic may help; otherwise "
            "ask your Bagian Organisasi or type /bantuan."
        )
    return _.gettext(
        "Sorry, I don't have a reliable answer to that yet. I answer questions about the "
        "Ombudsman RI assessment and service standards; for other matters ask your Bagian "
        "Organisasi, or type /bantuan."
    )


def plain_answer(_: Translator, answer: Answer, question: str) -> str:
    """The whole reply as plain text, buttons listed as lines (for the command line)."""
    lines = [plain(chunk) for chunk in answer_chunks(_, answer, question)]
    if answer.kind is DecisionKind.CLARIFY:
        lines += [f"- {topic.title} ({topic.id})" for topic in answer.candidates]
    elif answer.kind is DecisionKind.DECLINE and answer.offered is not None:
        lines.append(f"- {answer.offered.title} ({answer.offered.id})")
    elif answer.related:
        lines.append(
            _.gettext("Related: {titles}").format(
                titles="; ".join(t.title for t in answer.related)
            )
        )
    return "\n".join(lines)


# --- /indikator ----------------------------------------------------------------------------------


def editions_text(_: Translator) -> str:
    """/indikator: pick an edition."""
    return _.gettext("<b>Assessment indicators</b>\n\nPick the assessment year (edition):")


def edition_text(_: Translator, methodology: Methodology) -> str:
    """An edition: pick a dimension."""
    lines = [f"<b>{escape(methodology.name)}</b>", ""]
    if methodology.caveats:
        lines += ["⚠️ " + escape(methodology.caveats[0]), ""]
    lines.append(_.gettext("Pick a dimension:"))
    return "\n".join(lines)


def dimension_label(_: Translator, dimension: Dimension) -> str:
    """A dimension button: name and weight."""
    return shorten(f"{dimension.name} ({_.number(dimension.weight)} %)", LABEL_LIMIT)


def dimension_text(_: Translator, methodology: Methodology, dimension: Dimension) -> str:
    """A dimension: its variables, then pick an indicator."""
    lines = [f"<b>{escape(dimension.name)}</b> — {escape(methodology.name)}"]
    if dimension.description:
        lines += ["", escape(dimension.description)]
    lines.append("")
    for variable in dimension.variables:
        count = len(variable.indicators)
        lines.append(
            "• "
            + escape(
                _.ngettext(
                    "{variable}: {count} indicator", "{variable}: {count} indicators", count
                ).format(variable=variable.name, count=count)
            )
        )
    lines += ["", _.gettext("Pick an indicator:")]
    return "\n".join(lines)


def _weight_line(_: Translator, indicator: Indicator) -> str:
    """The indicator's weight; an equal share filled in by the model is called an assumption."""
    weight = _.number(indicator.weight)
    if indicator.weight_is_default:
        return _.gettext(
            "Weight: {weight} % of the dimension (an assumption: equal shares, because the "
            "official indicator weights are not published)"
        ).format(weight=weight)
    return _.gettext("Weight: {weight} % of the dimension").format(weight=weight)


def indicator_text(_: Translator, dimension: Dimension, indicator: Indicator) -> str:
    """An indicator: weight, self-check question, evidence."""
    lines = [
        f"<b>{escape(indicator.name)}</b>",
        escape(_.gettext("Dimension: {dimension}").format(dimension=dimension.name)),
        escape(_weight_line(_, indicator)),
        "",
        "<b>" + escape(_.gettext("Self-check question")) + "</b>",
        escape(indicator.question),
    ]
    if indicator.evidence:
        lines += [
            "",
            "<b>" + escape(_.gettext("Evidence (bukti dukung)")) + "</b>",
            escape(indicator.evidence),
        ]
    if indicator.note:
        lines += ["", "<i>" + escape(indicator.note) + "</i>"]
    if indicator.certainty is not Certainty.PASTI:
        note = certainty_note(_, indicator.certainty.value)
        if note:
            lines += ["", "⚠️ " + escape(note)]
    return "\n".join(lines)
