"""/cek (self-check, one indicator at a time) and /skor (the unit's predicted result)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain import units as unit_rules
from bot.domain.choices import Choice
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
from bot.handlers import commands, review
from bot.handlers import selfcheck_render as render
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_text, read_choice, waiting_hint
from bot.handlers.keyboards import button
from bot.handlers.members import registered_or_pending
from bot.i18n import Translator

UNITS_PER_PAGE = 8
EXPIRED = (StaleAction, InvalidAnswer, NotFound, InvalidInput)
FLOW = "cek"  # steps: "edition" (the edition picker), "answer" (an indicator on screen)

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


@cd.callback("ck1.r")
@dataclasses.dataclass(frozen=True, slots=True)
class ScoreEdition:
    """/skor: show the unit's result in another edition."""

    edition: str


@cd.callback("ck1.t")
@dataclasses.dataclass(frozen=True, slots=True)
class ShowTopic:
    """Show a Q&A topic in short (used by the result card and the quiz)."""

    topic: str


# --- keyboards ------------------------------------------------------------------------------


def topic_button(title: str, topic: str) -> InlineKeyboardButton:
    """A "📖 <title>" button to a Q&A topic."""
    return button("📖 " + title, ShowTopic(topic))


def _edition_keyboard(
    _: Translator, editions: list[str], default: str, in_force: str | None
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(render.edition_label(_, e, default, in_force), PickEdition(e))] for e in editions]
    )


def _score_keyboard(
    _: Translator, editions: list[str], shown: str, default: str, in_force: str | None
) -> InlineKeyboardMarkup | None:
    others = [e for e in editions if e != shown]
    if not others:
        return None
    return InlineKeyboardMarkup(
        [[button(render.edition_label(_, e, default, in_force), ScoreEdition(e))] for e in others]
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


def _result_keyboard(context: BotContext, result: SelfCheckResult) -> InlineKeyboardMarkup | None:
    """Topic buttons of the "fix these first" lines; None when there is nothing to show.

    Telegram refuses an empty inline keyboard ("Inline keyboard expected"), which would lose
    the whole card (a perfect self-check has no improvements).
    """
    rows = []
    for item in result.improvements:
        topic = context.services.content.topic(item.indicator.topic)
        if topic is not None:
            rows.append([topic_button(topic.title, topic.id)])
    return InlineKeyboardMarkup(rows) if rows else None


# --- handlers -------------------------------------------------------------------------------


@registered_or_pending
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
    if wanted in editions and member.role is not Role.ADMIN:
        await _start(update, context, wanted, None, edit=False)
        return
    default, in_force = service.current_edition, service.edition_in_force
    await context.services.flows.put(member.user_id, FLOW, "edition", {"editions": editions})
    await message.reply_html(
        render.edition_picker(_, default, in_force),
        reply_markup=_edition_keyboard(_, editions, default, in_force),
    )


@registered_or_pending
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
    # Members and coordinators check their own unit (or, waiting to join, the unit they asked
    # for); only admins pick among all units.
    if member.role is not Role.ADMIN:
        await _start(update, context, payload.edition, None, edit=True)
        return
    await _unit_page(update, context, payload.edition, 0)


@registered_or_pending
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


@registered_or_pending
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


@registered_or_pending
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
    await _remember(context, step)
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


async def _remember(context: BotContext, step: Question | SelfCheckResult | Paused) -> None:
    """A question on screen waits for typed answers too; anything else ends the waiting."""
    member = context.member
    assert member is not None  # guaranteed by the callers
    if not isinstance(step, Question):
        if context.flow is not None and context.flow.name == FLOW:
            await context.services.flows.clear(member.user_id)
        return
    options = [[o.value, o.label] for o in step.indicator.options]
    data = {"session_id": step.session_id, "step": step.step, "options": options}
    await context.services.flows.put(member.user_id, FLOW, "answer", data)


def _typed_choices(_: Translator, options: list[list[Any]]) -> list[Choice]:
    choices = [Choice(str(value), str(label)) for value, label in options]
    for key, label, words in (
        ("back", _.pgettext("selfcheck", "Back"), {"kembali", "back", "sebelumnya"}),
        ("skip", _.pgettext("selfcheck", "Skip"), {"lewati", "lewat", "skip", "lompati"}),
        ("pause", _.pgettext("selfcheck", "Pause"), {"jeda", "pause", "nanti", "berhenti"}),
    ):
        choices.append(Choice(key, label, frozenset(words), numbered=False))
    return choices


async def typed(update: Update, context: BotContext) -> None:
    """Typed text while /cek waits: an option (number or its words), "lewati", an edition."""
    flow, member = context.flow, context.member
    if flow is None or member is None or update.effective_message is None:
        return
    _ = context.translator
    if flow.step == "edition":
        editions = [str(e) for e in flow.data.get("editions", [])]
        edition = await read_choice(update, context, [Choice(e, e) for e in editions])
        if edition is not None and member.role is not Role.ADMIN:  # members, coordinators
            await _start(update, context, edition, None, edit=False)
        elif edition is not None:  # admins pick the unit next, from the buttons
            await update.effective_message.reply_html(waiting_hint(_))
        return
    key = await read_choice(update, context, _typed_choices(_, flow.data.get("options", [])))
    if key is None:
        return
    service, session_id, at = (
        context.services.selfcheck,
        int(flow.data["session_id"]),
        int(flow.data["step"]),
    )
    step: Question | SelfCheckResult | Paused
    try:
        if key == "back":
            step = await service.back(member, session_id=session_id, step=at)
        elif key == "skip":
            step = await service.skip(member, session_id=session_id, step=at)
        elif key == "pause":
            step = await service.pause(member, session_id=session_id, step=at)
        else:
            step = await service.answer(member, session_id=session_id, step=at, value=int(key))
    except EXPIRED:
        await context.services.flows.clear(member.user_id)
        await _expired(update, context)
        return
    await _show(update, context, step, edit=False)


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


@registered_or_pending
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


@registered_or_pending
async def score(update: Update, context: BotContext) -> None:
    """/skor [edition]: the unit's latest predicted result, trend and government estimate."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    service = context.services.selfcheck
    edition = context.args[0] if context.args else service.current_edition
    if edition not in service.editions():
        await message.reply_html(
            _.gettext("Unknown edition. Editions with a self-check: {editions}.").format(
                editions=", ".join(service.editions())
            )
        )
        return
    await _scoreboard(update, context, edition)


@registered_or_pending
async def score_edition(update: Update, context: BotContext) -> None:
    """An edition button under /skor: the same card for that edition."""
    query = update.callback_query
    payload = cd.pressed(update, ScoreEdition)
    if query is None or payload is None or context.member is None:
        return
    if payload.edition not in context.services.selfcheck.editions():
        await query.answer(
            context.translator.gettext("This button has expired. Type /skor again."),
            show_alert=True,
        )
        return
    await _scoreboard(update, context, payload.edition)


async def _waiting_score(update: Update, context: BotContext, edition: str) -> None:
    """/skor while a join request waits: say so, with the personal result if there is one."""
    member = context.member
    assert member is not None  # guaranteed by the caller
    query, message = update.callback_query, update.effective_message
    request = await context.services.membership.pending(member)
    personal = await context.services.selfcheck.personal_result(member, edition=edition)
    text = render.waiting_score(
        context.translator, request.unit_name if request else None, personal
    )
    if query is not None:
        await query.answer()
    if message is not None:
        await message.reply_html(text)


async def _scoreboard(update: Update, context: BotContext, edition: str) -> None:
    """Reply with (or, from a button, edit into) the scoreboard of `edition`, then the trend."""
    member = context.member
    message = update.effective_message
    assert member is not None  # guaranteed by the callers
    _ = context.translator
    service = context.services.selfcheck
    query = update.callback_query
    if member.unit_id is None and member.pending_unit_id is not None:
        await _waiting_score(update, context, edition)
        return
    try:
        board = await service.scoreboard(member, edition=edition)
    except (NotRegistered, NotFound):
        text = _.gettext("You are not registered yet. Type /start and pick your unit first.")
        if query is not None:
            await query.answer(text, show_alert=True)
        elif message is not None:
            await message.reply_html(text)
        return
    text = render.scoreboard(_, board, member.timezone)
    markup = _score_keyboard(
        _, service.editions(), edition, service.current_edition, service.edition_in_force
    )
    if query is not None:
        await query.answer()
        try:
            await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
        except BadRequest as exc:  # a double press: "message is not modified"
            if "not modified" not in str(exc).lower():
                raise
    elif message is not None:
        await message.reply_html(text, reply_markup=markup)
        await review.show(update, context, board.edition)
    if len(board.trend) >= 2 and update.effective_chat is not None:
        labels = [_.datetime(p.at, member.timezone, pattern="d MMM") for p in board.trend]
        png = await asyncio.to_thread(
            _trend_png,
            labels,
            [render.points(p.score) for p in board.trend],
            _.gettext("{unit}, edition {edition}").format(
                unit=board.unit_name, edition=board.edition
            ),
            render.estimate_label(_),
        )
        await context.bot.send_photo(
            update.effective_chat.id, png, caption=render.estimate_label(_)
        )


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
    app.add_handler(CallbackQueryHandler(score_edition, pattern=cd.pattern_for(ScoreEdition)))
    on_flow_text(app, FLOW, typed)
