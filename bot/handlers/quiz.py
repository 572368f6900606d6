"""/kuis: a 5-question quick quiz by role drill, with explanations and mastery per topic."""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.choices import YES_WORDS, Choice
from bot.domain.errors import InvalidAnswer, InvalidInput, StaleAction
from bot.domain.quiz import DRILLS, QuizFeedback, QuizStep
from bot.handlers import callback_data as cd
from bot.handlers import commands
from bot.handlers import selfcheck_render as render
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_cancel, on_flow_text, read_choice
from bot.handlers.keyboards import button
from bot.handlers.members import registered_or_pending
from bot.handlers.selfcheck import topic_button
from bot.i18n import Translator
from bot.services.flows import Flow

EXPIRED = (StaleAction, InvalidAnswer, InvalidInput)
FLOW = "kuis"  # steps: "answer" (options on screen), "next" (explanation with "Lanjut")
NEXT = "next"


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
    await _waiting_answer(context, step)
    await query.edit_message_text(
        render.quiz_question(context.translator, step),
        parse_mode="HTML",
        reply_markup=_options(step),
    )


async def _waiting_answer(context: BotContext, step: QuizStep) -> None:
    """Remember that the question is on screen, so a typed letter answers it."""
    assert context.member is not None
    await context.services.flows.put(
        context.member.user_id,
        FLOW,
        "answer",
        {"attempt_id": step.attempt_id, "position": step.position, "question": step.question.id},
    )


@registered_or_pending
async def answer(update: Update, context: BotContext) -> None:
    """An option: show the verdict and explanation; after the last, the final score."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, QuizAnswer) or context.member is None:
        return
    await _answer(update, context, payload.attempt_id, payload.position, payload.choice)


async def _answer(
    update: Update, context: BotContext, attempt_id: int, position: int, choice: str
) -> None:
    """Record an option pressed or typed; edit the question (press) or reply (typed)."""
    member = context.member
    assert member is not None  # callers check
    _ = context.translator
    query = update.callback_query
    try:
        feedback = await context.services.quizzes.answer(
            member, attempt_id=attempt_id, position=position, choice=choice
        )
    except EXPIRED:
        await _expired(update, context)
        return
    if feedback.summary is None:
        await context.services.flows.put(
            member.user_id, FLOW, NEXT, {"attempt_id": attempt_id, "position": position}
        )
    else:
        await context.services.flows.clear(member.user_id)
    text = render.quiz_feedback(_, feedback)
    if query is not None:
        await query.answer(_.gettext("Correct!") if feedback.correct else _.gettext("Not quite."))
        await query.edit_message_text(
            text, parse_mode="HTML", reply_markup=_after(context, feedback)
        )
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=_after(context, feedback))
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
    if query is None or not isinstance(payload, QuizNext) or context.member is None:
        return
    await _next(update, context, payload.attempt_id, payload.position)


async def _next(update: Update, context: BotContext, attempt_id: int, position: int) -> None:
    member = context.member
    assert member is not None  # callers check
    try:
        step = await context.services.quizzes.next_question(
            member, attempt_id=attempt_id, position=position
        )
    except EXPIRED:
        await _expired(update, context)
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _waiting_answer(context, step)
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            render.quiz_question(context.translator, step),
            parse_mode="HTML",
            reply_markup=_options(step),
        )


async def typed(update: Update, context: BotContext) -> None:
    """Typed text during a round: an option ("D", "2", its words) or "lanjut"."""
    flow = context.flow
    if flow is None or context.member is None:
        return
    _ = context.translator
    attempt_id, position = int(flow.data["attempt_id"]), int(flow.data["position"])
    if flow.step == NEXT:
        words = YES_WORDS | {"next", "lanjutkan", "berikutnya"}
        choices = [Choice(NEXT, _.pgettext("quiz", "Next"), frozenset(words))]
        if await read_choice(update, context, choices) == NEXT:
            await _next(update, context, attempt_id, position)
        return
    question = context.services.quizzes.question(str(flow.data.get("question")))
    if question is None:
        await context.services.flows.clear(context.member.user_id)
        return
    options = [Choice(key, label, frozenset({key})) for key, label in question.options]
    key = await read_choice(update, context, options)
    if key is not None:
        await _answer(update, context, attempt_id, position, key)


async def _abandon(context: BotContext, flow: Flow) -> None:
    if context.member is not None:
        await context.services.quizzes.abandon(context.member)


async def _expired(update: Update, context: BotContext) -> None:
    query = update.callback_query
    text = context.translator.gettext("This button has expired. Type /kuis to start a new quiz.")
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        if context.member is not None:
            await context.services.flows.clear(context.member.user_id)
        await update.effective_message.reply_html(text)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/kuis and its buttons."""
    app.add_handler(CommandHandler(commands.QUIZ, quiz))
    app.add_handler(CallbackQueryHandler(pick_drill, pattern=cd.pattern_for(PickDrill)))
    app.add_handler(CallbackQueryHandler(answer, pattern=cd.pattern_for(QuizAnswer)))
    app.add_handler(CallbackQueryHandler(next_question, pattern=cd.pattern_for(QuizNext)))
    on_flow_text(app, FLOW, typed)
    on_flow_cancel(app, FLOW, _abandon)
