"""/cek (self-check, one indicator at a time) and /skor (the unit's predicted result)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain import units as unit_rules
from bot.domain.errors import (
    InvalidAnswer,
    InvalidInput,
    NotFound,
    NotRegistered,
    StaleAction,
)
from bot.domain.selfcheck import Paused, Question, SelfCheckResult
from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.handlers import commands
from bot.handlers import selfcheck_render as render
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import registered
from bot.i18n import Translator

UNITS_PER_PAGE = 8
EXPIRED = (StaleAction, InvalidAnswer, NotFound, InvalidInput)

# --- payloads -------------------------------------------------------------------------------


@cd.callback("ck1.e")
@dataclasses.dataclass(frozen=True, slots=True)
class PickEdition:
    """An edition was picked."""

    edition: str


@cd.callback("ck1.p")
@dataclasses.dataclass(frozen=True, slots=True)
class UnitPage:
    """Coordinators/admins: a page of the unit list."""

    edition: str
    page: int


@cd.callback("ck1.u")
@dataclasses.dataclass(frozen=True, slots=True)
class PickUnit:
    """Coordinators/admins: the unit the self-check is for."""

    edition: str
    unit_id: int


@cd.callback("ck1.a")
@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    """An option of the indicator on screen; `step` ties it to that screen."""

    session_id: int
    step: int
    value: int


@cd.callback("ck1.k")
@dataclasses.dataclass(frozen=True, slots=True)
class Back:
    """ "Kembali"."""

    session_id: int
    step: int


@cd.callback("ck1.s")
@dataclasses.dataclass(frozen=True, slots=True)
class Skip:
    """ "Lewati"."""

    session_id: int
    step: int


@cd.callback("ck1.j")
@dataclasses.dataclass(frozen=True, slots=True)
class Pause:
    """ "Jeda"."""

    session_id: int
    step: int


@cd.callback("ck1.t")
@dataclasses.dataclass(frozen=True, slots=True)
class ShowTopic:
    """Show a Q&A topic in short (used by the result card and the quiz)."""

    topic: str


# --- keyboards ------------------------------------------------------------------------------


def topic_button(title: str, topic: str) -> InlineKeyboardButton:
    """A "📖 <title>" button to a Q&A topic."""
    return button("📖 " + title, ShowTopic(topic))


def _edition_keyboard(_: Translator, editions: list[str], current: str) -> InlineKeyboardMarkup:
    labels = [e + (" " + _.gettext("(current)") if e == current else "") for e in editions]
    return InlineKeyboardMarkup(
        [[button(label, PickEdition(e))] for label, e in zip(labels, editions, strict=True)]
    )


def _question_keyboard(_: Translator, q: Question) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                ("✓ " if option.value == q.current_value else "") + option.label,
                Answer(q.session_id, q.step, option.value),
            )
        ]
        for option in q.indicator.options
    ]
    rows.append(
        [
            button("‹ " + _.pgettext("selfcheck", "Back"), Back(q.session_id, q.step)),
            button(_.pgettext("selfcheck", "Skip") + " ›", Skip(q.session_id, q.step)),
            button("⏸ " + _.pgettext("selfcheck", "Pause"), Pause(q.session_id, q.step)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def _result_keyboard(context: BotContext, result: SelfCheckResult) -> InlineKeyboardMarkup:
    rows = []
    for item in result.improvements:
        topic = context.services.content.topic(item.indicator.topic)
        if topic is not None:
            rows.append([topic_button(topic.title, topic.id)])
    return InlineKeyboardMarkup(rows)


# --- handlers -------------------------------------------------------------------------------


@registered
async def selfcheck(update: Update, context: BotContext) -> None:
    """/cek: resume the open self-check, else pick the edition (or /cek 2023 directly)."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    service = context.services.selfcheck
    step = await service.resume(member)
    if step is not None:
        await _show(update, context, step, edit=False)
        return
    editions = service.editions()
    wanted = context.args[0] if context.args else None
    if wanted in editions and member.role is Role.MEMBER:
        await _start(update, context, wanted, None, edit=False)
        return
    await message.reply_html(
        render.edition_picker(_, service.current_edition),
        reply_markup=_edition_keyboard(_, editions, service.current_edition),
    )


@registered
async def pick_edition(update: Update, context: BotContext) -> None:
    """An edition button: staff pick the unit next, members start at once."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, PickEdition) or member is None:
        return
    if payload.edition not in context.services.selfcheck.editions():
        await _expired(update, context)
        return
    if member.role is Role.MEMBER:
        await _start(update, context, payload.edition, None, edit=True)
        return
    await _unit_page(update, context, payload.edition, 0)


@registered
async def unit_page(update: Update, context: BotContext) -> None:
    """‹ › in the staff unit list."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, UnitPage) or context.member is None:
        return
    await _unit_page(update, context, payload.edition, payload.page)


async def _unit_page(update: Update, context: BotContext, edition: str, page: int) -> None:
    query = update.callback_query
    member = context.member
    assert query is not None and member is not None  # guaranteed by the callers
    _ = context.translator
    units = await context.services.units.list_units()
    units.sort(key=lambda unit: unit.id != member.unit_id)  # own unit first
    shown, page, pages = unit_rules.page(units, page, UNITS_PER_PAGE)
    rows = [[button(unit.name, PickUnit(edition, unit.id))] for unit in shown]
    nav = []
    if page > 0:
        nav.append(button("‹ " + _.pgettext("pager", "Previous"), UnitPage(edition, page - 1)))
    if page < pages - 1:
        nav.append(button(_.pgettext("pager", "Next") + " ›", UnitPage(edition, page + 1)))
    if nav:
        rows.append(nav)
    await query.answer()
    await query.edit_message_text(
        render.unit_picker(_, edition), parse_mode="HTML", reply_markup=InlineKeyboardMarkup(rows)
    )


@registered
async def pick_unit(update: Update, context: BotContext) -> None:
    """Staff picked the unit: start (the service checks the role for another unit)."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, PickUnit) or context.member is None:
        return
    await _start(update, context, payload.edition, payload.unit_id, edit=True)


async def _start(
    update: Update, context: BotContext, edition: str, unit_id: int | None, *, edit: bool
) -> None:
    member = context.member
    assert member is not None  # guaranteed by the callers
    try:
        step = await context.services.selfcheck.start(member, edition=edition, unit_id=unit_id)
    except (*EXPIRED, NotRegistered):
        await _expired(update, context)
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _show(update, context, step, edit=edit)


@registered
async def act(update: Update, context: BotContext) -> None:
    """An answer, "Kembali", "Lewati" or "Jeda" under the question on screen."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None:
        return
    service = context.services.selfcheck
    step: Question | SelfCheckResult | Paused
    try:
        if isinstance(payload, Answer):
            step = await service.answer(
                member, session_id=payload.session_id, step=payload.step, value=payload.value
            )
        elif isinstance(payload, Skip):
            step = await service.skip(member, session_id=payload.session_id, step=payload.step)
        elif isinstance(payload, Back):
            step = await service.back(member, session_id=payload.session_id, step=payload.step)
        elif isinstance(payload, Pause):
            step = await service.pause(member, session_id=payload.session_id, step=payload.step)
        else:
            return
    except EXPIRED:
        await _expired(update, context)
        return
    await query.answer()
    await _show(update, context, step, edit=True)


async def _show(
    update: Update, context: BotContext, step: Question | SelfCheckResult | Paused, *, edit: bool
) -> None:
    _ = context.translator
    if isinstance(step, Question):
        text, markup = render.question(_, step), _question_keyboard(_, step)
    elif isinstance(step, Paused):
        text, markup = render.paused(_, step), None
    else:
        text, markup = render.result_card(_, step), _result_keyboard(context, step)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)
    if isinstance(step, SelfCheckResult) and update.effective_chat is not None:
        png = await asyncio.to_thread(_dimension_png, _, step)
        await context.bot.send_photo(
            update.effective_chat.id,
            png,
            caption=render.chart_caption(_, step.unit_name, step.edition),
            parse_mode="HTML",
        )


def _dimension_png(_: Translator, result: SelfCheckResult) -> bytes:
    # Imported here, in the worker thread: matplotlib takes seconds to import, and the bot
    # should start (and answer everything else) without waiting for it.
    from bot.handlers import selfcheck_charts

    dims = result.result.dimensions
    return selfcheck_charts.dimension_chart(
        [d.name for d in dims],
        [render.points(d.unit_share * (d.score or 0) / 100) for d in dims],
        [render.points(d.unit_share) for d in dims],
        title=_.gettext("{unit}, edition {edition}").format(
            unit=result.unit_name, edition=result.edition
        ),
        note=render.estimate_label(_),
        earned_label=_.gettext("points earned"),
        maximum_label=_.gettext("maximum"),
        headline=_chart_headline(_, result),
    )


def _chart_headline(_: Translator, result: SelfCheckResult) -> str:
    """The total score and category written on the unit card's chart."""
    unit = result.result
    if unit.score is None:
        return ""
    category = unit.category
    return _.gettext("Total {score} · category {code} ({label})").format(
        score=_.number(unit.score),
        code=category.code if category else "-",
        label=category.label if category else "-",
    )


@registered
async def show_topic(update: Update, context: BotContext) -> None:
    """A topic button: the topic's title, short answer and sources."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, ShowTopic):
        return
    topic = context.services.content.topic(payload.topic)
    if topic is None:
        await _expired(update, context)
        return
    await query.answer()
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            render.topic_card(context.translator, topic),
            parse_mode="HTML",
        )


@registered
async def score(update: Update, context: BotContext) -> None:
    """/skor [edition]: the unit's latest predicted result, trend and government estimate."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    service = context.services.selfcheck
    edition = context.args[0] if context.args else None
    if edition is not None and edition not in service.editions():
        await message.reply_html(
            _.gettext("Unknown edition. Editions with a self-check: {editions}.").format(
                editions=", ".join(service.editions())
            )
        )
        return
    try:
        board = await service.scoreboard(member, edition=edition)
    except (NotRegistered, NotFound):
        await message.reply_html(
            _.gettext("You are not registered yet. Type /start and pick your unit first.")
        )
        return
    await message.reply_html(render.scoreboard(_, board, member.timezone))
    if len(board.trend) >= 2:
        labels = [_.datetime(p.at, member.timezone, pattern="d MMM") for p in board.trend]
        png = await asyncio.to_thread(
            _trend_png,
            labels,
            [render.points(p.score) for p in board.trend],
            board.unit_name,
            render.estimate_label(_),
        )
        await message.reply_photo(png, caption=render.estimate_label(_))


def _trend_png(labels: list[str], scores: list[float], title: str, note: str) -> bytes:
    from bot.handlers import selfcheck_charts  # lazily, see _dimension_png

    return selfcheck_charts.trend_chart(labels, scores, title=title, note=note)


async def _expired(update: Update, context: BotContext) -> None:
    query = update.callback_query
    text = context.translator.gettext(
        "This button has expired. Type /cek to continue your self-check."
    )
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/cek, /skor and their buttons."""
    app.add_handler(CommandHandler(commands.SELFCHECK, selfcheck))
    app.add_handler(CommandHandler(commands.SCORE, score))
    app.add_handler(CallbackQueryHandler(pick_edition, pattern=cd.pattern_for(PickEdition)))
    app.add_handler(CallbackQueryHandler(unit_page, pattern=cd.pattern_for(UnitPage)))
    app.add_handler(CallbackQueryHandler(pick_unit, pattern=cd.pattern_for(PickUnit)))
    app.add_handler(CallbackQueryHandler(act, pattern=cd.pattern_for(Answer, Back, Skip, Pause)))
    app.add_handler(CallbackQueryHandler(show_topic, pattern=cd.pattern_for(ShowTopic)))
