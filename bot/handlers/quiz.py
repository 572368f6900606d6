"""/kuis: a 5-question quick quiz by role drill, with explanations and mastery per topic."""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.errors import InvalidAnswer, InvalidInput, StaleAction
from bot.domain.quiz import DRILLS, QuizFeedback, QuizStep
from bot.handlers import callback_data as cd
from bot.handlers import commands
from bot.handlers import selfcheck_render as render
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import registered_or_pending
from bot.handlers.selfcheck import topic_button
from bot.i18n import Translator

EXPIRED = (StaleAction, InvalidAnswer, InvalidInput)


@cd.callback("kz1.r")
@dataclasses.dataclass(frozen=True, slots=True)
class PickDrill:
    """A role drill (or "campur") was picked."""

    drill: str


@cd.callback("kz1.a")
@dataclasses.dataclass(frozen=True, slots=True)
class QuizAnswer:
    """An option of the question at `position` of attempt `attempt_id`."""

    attempt_id: int
    position: int
    choice: str


@cd.callback("kz1.n")
@dataclasses.dataclass(frozen=True, slots=True)
class QuizNext:
    """ "Lanjut" after the explanation of the question at `position`."""

    attempt_id: int
    position: int


def _drills(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(render.drill_name(_, d), PickDrill(d))] for d in DRILLS])


def _options(step: QuizStep) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(key.upper(), QuizAnswer(step.attempt_id, step.position, key))
                for key, _label in step.question.options
            ]
        ]
    )


def _after(context: BotContext, feedback: QuizFeedback) -> InlineKeyboardMarkup:
    _ = context.translator
    rows = []
    topic = context.services.content.topic(feedback.question.topic)
    if topic is not None:
        rows.append([topic_button(topic.title, topic.id)])
    if feedback.summary is None:
        rows.append(
            [
                button(
                    _.pgettext("quiz", "Next") + " ›",
                    QuizNext(feedback.attempt_id, feedback.position),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


@registered_or_pending
async def quiz(update: Update, context: BotContext) -> None:
    """/kuis: pick a role drill."""
    message = update.effective_message
    if message is None or context.member is None:
        return
    _ = context.translator
    await message.reply_html(render.drill_picker(_), reply_markup=_drills(_))


@registered_or_pending
async def pick_drill(update: Update, context: BotContext) -> None:
    """A drill button: draw five questions and show the first."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, PickDrill) or member is None:
        return
    try:
        step = await context.services.quizzes.start(member, drill=payload.drill)
    except EXPIRED:
        await _expired(update, context)
        return
    await query.answer()
    await query.edit_message_text(
        render.quiz_question(context.translator, step),
        parse_mode="HTML",
        reply_markup=_options(step),
    )


@registered_or_pending
async def answer(update: Update, context: BotContext) -> None:
    """An option: show the verdict and explanation; after the last, the final score."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, QuizAnswer) or member is None:
        return
    _ = context.translator
    try:
        feedback = await context.services.quizzes.answer(
            member, attempt_id=payload.attempt_id, position=payload.position, choice=payload.choice
        )
    except EXPIRED:
        await _expired(update, context)
        return
    await query.answer(_.gettext("Correct!") if feedback.correct else _.gettext("Not quite."))
    await query.edit_message_text(
        render.quiz_feedback(_, feedback),
        parse_mode="HTML",
        reply_markup=_after(context, feedback),
    )
    if feedback.summary is not None and update.effective_chat is not None:
        titles = {t.id: t.title for t in context.services.content.topics}
        await context.bot.send_message(
            update.effective_chat.id,
            render.quiz_summary(_, feedback.summary, titles),
            parse_mode="HTML",
        )


@registered_or_pending
async def next_question(update: Update, context: BotContext) -> None:
    """ "Lanjut": the next question, as a new message so the explanation stays readable.

    The old "Lanjut" button stays under the explanation; pressing it again is answered as
    expired by the service's position check.
    """
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, QuizNext) or member is None:
        return
    try:
        step = await context.services.quizzes.next_question(
            member, attempt_id=payload.attempt_id, position=payload.position
        )
    except EXPIRED:
        await _expired(update, context)
        return
    await query.answer()
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            render.quiz_question(context.translator, step),
            parse_mode="HTML",
            reply_markup=_options(step),
        )


async def _expired(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(
            context.translator.gettext("This button has expired. Type /kuis to start a new quiz."),
            show_alert=True,
        )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/kuis and its buttons."""
    app.add_handler(CommandHandler(commands.QUIZ, quiz))
    app.add_handler(CallbackQueryHandler(pick_drill, pattern=cd.pattern_for(PickDrill)))
    app.add_handler(CallbackQueryHandler(answer, pattern=cd.pattern_for(QuizAnswer)))
    app.add_handler(CallbackQueryHandler(next_question, pattern=cd.pattern_for(QuizNext)))
