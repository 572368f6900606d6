"""Q&A in Telegram: free text is a question; topic buttons; the /indikator browser."""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.knowledge import Answer, DecisionKind, Topic
from bot.domain.methodology import Dimension, Indicator, Methodology
from bot.handlers import callback_data as cd
from bot.handlers import commands, qa_render
from bot.handlers.callback_data import callback
from bot.handlers.context import BotContext
from bot.handlers.flows import set_default_text
from bot.handlers.keyboards import button
from bot.handlers.members import registered_or_pending
from bot.handlers.render import SAFE_CHUNK
from bot.i18n import Translator

# --- button payloads (tag prefixes qa1. and ik1.) -----------------------------------------------


@callback("qa1.t")
@dataclasses.dataclass(frozen=True, slots=True)
class TopicShow:
    """Show a topic as an answer (related topic, "did you mean" choice)."""

    topic: str


@callback("qa1.d")
@dataclasses.dataclass(frozen=True, slots=True)
class TopicDetail:
    """Show a topic's longer explanation ("Selengkapnya")."""

    topic: str


@callback("ik1.r")
@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorRoot:
    """/indikator, top level: the editions."""


@callback("ik1.e")
@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorEdition:
    """The dimensions of an edition."""

    edition: str


@callback("ik1.d")
@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorDimension:
    """The indicators of dimension number `dim` of an edition."""

    edition: str
    dim: int


@callback("ik1.i")
@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorShow:
    """Indicator number `ind` of dimension number `dim`."""

    edition: str
    dim: int
    ind: int


@callback("ik1.t")
@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorTopic:
    """The Q&A topic of an indicator, shown inside the browser."""

    edition: str
    dim: int
    ind: int


Browse = IndicatorRoot | IndicatorEdition | IndicatorDimension | IndicatorShow | IndicatorTopic

# --- keyboards -------------------------------------------------------------------------------


def _back(_: Translator, payload: object) -> list[InlineKeyboardButton]:
    return [button("‹ " + _.pgettext("navigation", "Back"), payload)]


def answer_keyboard(_: Translator, answer: Answer) -> InlineKeyboardMarkup | None:
    """ "Selengkapnya" and related topics under an answer; candidates under a "did you mean";
    the plausible topic under a decline."""
    rows: list[list[InlineKeyboardButton]] = []
    if answer.kind is DecisionKind.DECLINE and answer.offered is not None:
        title = qa_render.shorten(answer.offered.title, qa_render.LABEL_LIMIT)
        rows = [[button("👉 " + title, TopicShow(answer.offered.id))]]
    elif answer.kind is DecisionKind.CLARIFY:
        rows = [
            [button(qa_render.shorten(t.title, qa_render.LABEL_LIMIT), TopicShow(t.id))]
            for t in answer.candidates
        ]
    elif answer.topic is not None:
        if answer.topic.detail:
            rows.append([button("📖 " + _.gettext("More detail"), TopicDetail(answer.topic.id))])
        rows += [
            [button("↪ " + qa_render.shorten(t.title, qa_render.LABEL_LIMIT), TopicShow(t.id))]
            for t in answer.related
        ]
    return InlineKeyboardMarkup(rows) if rows else None


# --- sending ----------------------------------------------------------------------------------


async def _send_answer(message: Message, _: Translator, answer: Answer, question: str) -> None:
    chunks = qa_render.answer_chunks(_, answer, question)
    markup = answer_keyboard(_, answer)
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        await message.reply_html(
            chunk, reply_markup=markup if last else None, disable_web_page_preview=True
        )


async def _stale(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(
            context.translator.gettext(
                "This button has expired. Type /bantuan to see what I can do."
            ),
            show_alert=True,
        )


@registered_or_pending
async def ask(update: Update, context: BotContext) -> None:
    """Answer a free-text question, ask "did you mean", or decline honestly."""
    message = update.effective_message
    if message is None or not message.text:
        return
    answer = await context.services.qa.answer(message.text, member=context.member)
    await _send_answer(message, context.translator, answer, message.text)


@registered_or_pending
async def topic_button(update: Update, context: BotContext) -> None:
    """A topic button (related topic or "did you mean" choice): answer with that topic."""
    query = update.callback_query
    if query is None:
        return
    payload = cd.decode(query.data)
    answer = context.services.qa.topic(payload.topic) if isinstance(payload, TopicShow) else None
    if answer is None or not isinstance(query.message, Message):
        await _stale(update, context)
        return
    await query.answer()
    await _send_answer(query.message, context.translator, answer, "")


@registered_or_pending
async def detail_button(update: Update, context: BotContext) -> None:
    """ "Selengkapnya": send the topic's longer explanation."""
    query = update.callback_query
    if query is None:
        return
    payload = cd.decode(query.data)
    answer = context.services.qa.topic(payload.topic) if isinstance(payload, TopicDetail) else None
    if answer is None or answer.topic is None or not isinstance(query.message, Message):
        await _stale(update, context)
        return
    await query.answer()
    for chunk in qa_render.detail_chunks(context.translator, answer.topic):
        await query.message.reply_html(chunk, disable_web_page_preview=True)


# --- /indikator ---------------------------------------------------------------------------------


def _view(context: BotContext, payload: Browse) -> tuple[str, InlineKeyboardMarkup] | None:
    """Text and keyboard for one level of the browser; None when the payload is stale."""
    _ = context.translator
    qa = context.services.qa
    if isinstance(payload, IndicatorRoot):
        rows = [[button(m.name, IndicatorEdition(m.id))] for m in qa.editions()]
        return qa_render.editions_text(_), InlineKeyboardMarkup(rows)
    methodology = qa.edition(payload.edition)
    if methodology is None:
        return None
    if isinstance(payload, IndicatorEdition):
        rows = [
            [button(qa_render.dimension_label(_, d), IndicatorDimension(methodology.id, i))]
            for i, d in enumerate(methodology.all_dimensions)
        ]
        rows.append(_back(_, IndicatorRoot()))
        return qa_render.edition_text(_, methodology), InlineKeyboardMarkup(rows)
    dimension = _at(methodology.all_dimensions, payload.dim)
    if dimension is None:
        return None
    if isinstance(payload, IndicatorDimension):
        rows = [
            [
                button(
                    qa_render.shorten(ind.name, qa_render.LABEL_LIMIT),
                    IndicatorShow(methodology.id, payload.dim, i),
                )
            ]
            for i, ind in enumerate(dimension.indicators)
        ]
        rows.append(_back(_, IndicatorEdition(methodology.id)))
        return (qa_render.dimension_text(_, methodology, dimension), InlineKeyboardMarkup(rows))
    indicator = _at(dimension.indicators, payload.ind)
    if indicator is None:
        return None
    if isinstance(payload, IndicatorShow):
        return _indicator_view(
            context, methodology, payload.dim, payload.ind, dimension, indicator
        )
    answer = qa.topic(indicator.topic)
    if answer is None or answer.topic is None:
        return None
    rows = []
    if answer.topic.detail:
        rows.append([button("📖 " + _.gettext("More detail"), TopicDetail(answer.topic.id))])
    rows.append(_back(_, IndicatorShow(methodology.id, payload.dim, payload.ind)))
    return qa_render.topic_text(_, answer.topic), InlineKeyboardMarkup(rows)


def _indicator_view(
    context: BotContext,
    methodology: Methodology,
    dim: int,
    ind: int,
    dimension: Dimension,
    indicator: Indicator,
) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.translator
    rows = []
    topic: Topic | None = None
    answer = context.services.qa.topic(indicator.topic)
    if answer is not None:
        topic = answer.topic
    if topic is not None:
        label = qa_render.shorten("📖 " + topic.title, qa_render.LABEL_LIMIT)
        rows.append([button(label, IndicatorTopic(methodology.id, dim, ind))])
    rows.append(_back(_, IndicatorDimension(methodology.id, dim)))
    return qa_render.indicator_text(_, dimension, indicator), InlineKeyboardMarkup(rows)


def _at(items: tuple[Any, ...], index: int) -> Any | None:
    return items[index] if 0 <= index < len(items) else None


def _fit(text: str) -> str:
    """Browser views edit one message, so they cannot be split: keep them under the limit."""
    return text if len(text) <= SAFE_CHUNK else qa_render.shorten(text, SAFE_CHUNK)


@registered_or_pending
async def indicators(update: Update, context: BotContext) -> None:
    """/indikator: browse edition → dimension → indicator → topic."""
    message = update.effective_message
    view = _view(context, IndicatorRoot())
    if message is None or view is None:
        return
    await message.reply_html(_fit(view[0]), reply_markup=view[1])


@registered_or_pending
async def indicators_button(update: Update, context: BotContext) -> None:
    """A press in the /indikator browser: edit the same message to the chosen level."""
    query = update.callback_query
    if query is None:
        return
    payload = cd.decode(query.data)
    view = _view(context, payload) if payload is not None else None
    if view is None:
        await _stale(update, context)
        return
    await query.answer()
    await query.edit_message_text(
        _fit(view[0]),
        parse_mode=ParseMode.HTML,
        reply_markup=view[1],
        disable_web_page_preview=True,
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Free text becomes a question; topic buttons; /indikator and its buttons."""
    set_default_text(app, ask)
    app.add_handler(CommandHandler(commands.INDICATORS, indicators))
    app.add_handler(CallbackQueryHandler(topic_button, pattern=cd.pattern_for(TopicShow)))
    app.add_handler(CallbackQueryHandler(detail_button, pattern=cd.pattern_for(TopicDetail)))
    app.add_handler(
        CallbackQueryHandler(
            indicators_button,
            pattern=cd.pattern_for(
                IndicatorRoot, IndicatorEdition, IndicatorDimension, IndicatorShow, IndicatorTopic
            ),
        )
    )
