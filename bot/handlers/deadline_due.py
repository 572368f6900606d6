"""Typed due dates: read in the typer's zone, and a moved date is shown back before it is saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.choices import YES, yes_no
from bot.domain.dates import EXAMPLES, DateParseError, dated_examples, parse_due, resolve_zone
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.handlers import callback_data as cd
from bot.handlers import reminders_render as render
from bot.handlers.context import BotContext
from bot.handlers.flows import read_choice
from bot.handlers.members import expired, refuse, registered
from bot.handlers.reminders_data import DueCancel, DueSave
from bot.services.flows import Flow

EDIT_FLOW = "tenggat_edit"
CONFIRM = "due_confirm"  # the step that shows the new date with "Simpan" / "Batal"


def examples(context: BotContext) -> tuple[str, ...]:
    """Date examples for help texts: two full dates from today (member's zone), two phrases."""
    zone = resolve_zone(context.member.timezone) if context.member else None
    today = context.services.clock().astimezone(zone).date()
    return (*dated_examples(today), *EXAMPLES[:2])


def parse_typed(text: str, context: BotContext) -> datetime | str:
    """The typed due date, read in the typer's zone, or the reason it was refused."""
    member = context.member
    assert member is not None
    try:
        return parse_due(text, now=context.services.clock(), tz=resolve_zone(member.timezone))
    except DateParseError as exc:
        return exc.reason.value


async def due_typed(update: Update, context: BotContext) -> None:
    """A new date typed while editing: show it back and ask to save."""
    message, member, flow = update.effective_message, context.member, context.flow
    if message is None or not message.text or member is None or flow is None:
        return
    _ = context.translator
    due = parse_typed(message.text, context)
    if isinstance(due, str):
        await message.reply_html(render.date_error(_, due, examples(context)))
        return
    try:
        info = await context.services.reminders.get(member, int(flow.data["deadline_id"]))
    except NotFound:
        await context.services.flows.clear(member.user_id)
        await message.reply_html(_.gettext("This deadline can no longer be changed."))
        return
    flow = await context.services.flows.put(
        member.user_id, EDIT_FLOW, CONFIRM, {**flow.data, "due": due.isoformat()}
    )
    await message.reply_html(
        render.confirm_due(_, info.title, info.due_at, due, member.timezone),
        reply_markup=render.confirm_due_keyboard(_, flow.revision),
    )


async def confirm_typed(update: Update, context: BotContext) -> None:
    """ "ya" / "tidak" typed under the new date."""
    flow, member = context.flow, context.member
    if flow is None or member is None:
        return
    _ = context.translator
    choice = await read_choice(update, context, yes_no(_.gettext("Save"), _.gettext("Cancel")))
    if choice == YES:
        await _save(update, context, flow)
    elif choice is not None and update.effective_message is not None:
        await context.services.flows.clear(member.user_id)
        await update.effective_message.reply_html(_.gettext("Cancelled."))


def _current(context: BotContext, revision: int) -> Flow | None:
    flow = context.flow
    if flow is None or flow.name != EDIT_FLOW or flow.step != CONFIRM:
        return None
    return flow if flow.revision == revision else None


@registered
async def save_pressed(update: Update, context: BotContext) -> None:
    """ "✅ Simpan" under the new date."""
    query, payload = update.callback_query, cd.pressed(update, DueSave)
    if query is None or payload is None or context.member is None:
        return
    flow = _current(context, payload.revision)
    if flow is None:
        await expired(update, context)
        return
    await _save(update, context, flow)


@registered
async def cancel_pressed(update: Update, context: BotContext) -> None:
    """ "Batal" under the new date: the deadline keeps its date."""
    query, payload = update.callback_query, cd.pressed(update, DueCancel)
    if query is None or payload is None or context.member is None:
        return
    if _current(context, payload.revision) is None:
        await expired(update, context)
        return
    await context.services.flows.clear(context.member.user_id)
    await query.answer()
    await query.edit_message_text(context.translator.gettext("Cancelled."), parse_mode="HTML")


async def _save(update: Update, context: BotContext, flow: Flow) -> None:
    member, query = context.member, update.callback_query
    assert member is not None
    _ = context.translator
    await context.services.flows.clear(member.user_id)
    try:
        info = await context.services.reminders.edit_due(
            member, int(flow.data["deadline_id"]), datetime.fromisoformat(flow.data["due"])
        )
    except NotAllowed:
        await refuse(update, context)
        return
    except (NotFound, InvalidInput):
        text = _.gettext("This deadline can no longer be changed.")
        if query is not None:
            await expired(update, context, text)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(text)
        return
    text = render.saved(_, info.title, info.due_at, member.timezone)
    if query is not None:
        await query.answer(_.gettext("Saved."))
        await query.edit_message_text(text, parse_mode="HTML")
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The buttons under a moved date (typed text reaches this module through reminders.py)."""
    app.add_handler(CallbackQueryHandler(save_pressed, pattern=cd.pattern_for(DueSave)))
    app.add_handler(CallbackQueryHandler(cancel_pressed, pattern=cd.pattern_for(DueCancel)))
