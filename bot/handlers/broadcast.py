"""/siaran (admins): type a message, choose the audience, preview, "Kirim"; a summary follows."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.domain.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.handlers import broadcast_render as render
from bot.handlers import callback_data as cd
from bot.handlers import commands
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_text, waiting_hint
from bot.handlers.members import refuse, registered
from bot.i18n import Catalogs
from bot.jobs import reminders as reminder_jobs

log = logging.getLogger(__name__)
FLOW = "broadcast"
SUMMARY_SECONDS = 30
Buttons = (
    render.ToAll,
    render.ToType,
    render.ToUnits,
    render.ToggleUnit,
    render.ShowPreview,
    render.ChangeAudience,
    render.Send,
    render.Cancel,
)


@registered
async def start(update: Update, context: BotContext) -> None:
    """Ask for the message text."""
    message, member = update.effective_message, context.member
    if message is None or member is None:
        return
    await context.services.broadcasts.begin(member)
    await context.services.flows.put(member.user_id, FLOW, "text")
    await message.reply_html(render.ask_text(context.translator))


async def text_typed(update: Update, context: BotContext) -> None:
    """The message text arrived: store the draft, ask for the audience."""
    message, member = update.effective_message, context.member
    if message is None or member is None or not message.text:
        return
    _ = context.translator
    if context.flow is not None and context.flow.step != "text":  # the audience buttons wait
        await message.reply_html(waiting_hint(_))
        return
    try:
        preview = await context.services.broadcasts.draft(member, message.text)
    except NotAllowed:
        await context.services.flows.clear(member.user_id)
        await refuse(update, context, action="broadcast.send")
        return
    except InvalidInput:
        await message.reply_html(
            _.gettext(
                "That message is empty or too long (at most 3500 "
                "characters). Type it again, or /batal."
            )
        )
        return
    await context.services.flows.put(
        member.user_id, FLOW, "audience", {"broadcast_id": preview.broadcast_id}
    )
    await message.reply_html(
        render.audience_text(_, preview), reply_markup=render.audience_keyboard(_, preview)
    )


async def _unit_name(context: BotContext) -> str | None:
    member = context.member
    if member is None or member.unit_id is None:
        return None
    try:
        return (await context.services.units.get(member.unit_id)).name
    except NotFound:
        return None


async def pressed(update: Update, context: BotContext) -> None:
    """Every /siaran button; the service checks the role and that the draft is still open."""
    query, member = update.callback_query, context.member
    if query is None or member is None:
        return
    _ = context.translator
    payload = cd.decode(query.data)
    service = context.services.broadcasts
    try:
        if isinstance(payload, render.Cancel):
            await service.cancel(member, payload.broadcast_id)
            await context.services.flows.clear(member.user_id)
            await query.answer()
            await _edit(query, _.gettext("Broadcast cancelled."), None)
            return
        if isinstance(payload, render.Send):
            signature = render.signature(_, member, await _unit_name(context))
            preview = await service.confirm(member, payload.broadcast_id, signature=signature)
            await context.services.flows.clear(member.user_id)
            await query.answer()
            await _edit(query, render.queued(_, preview), None)
            reminder_jobs.dispatcher(context.application).wake()
            return
        if isinstance(payload, render.ToAll):
            preview = await service.choose(member, payload.broadcast_id, {"all": True})
        elif isinstance(payload, render.ToType):
            preview = await service.choose(
                member, payload.broadcast_id, {"types": [payload.unit_type]}
            )
        elif isinstance(payload, render.ToUnits):
            preview = await service.choose(member, payload.broadcast_id, {"unit_ids": []})
            await query.answer()
            await _edit(query, render.audience_text(_, preview), render.units_keyboard(_, preview))
            return
        elif isinstance(payload, render.ToggleUnit):
            preview = await service.toggle_unit(member, payload.broadcast_id, payload.unit_id)
            await query.answer()
            await _edit(query, render.audience_text(_, preview), render.units_keyboard(_, preview))
            return
        elif isinstance(payload, render.ChangeAudience):
            preview = await service.preview(member, payload.broadcast_id)
            await query.answer()
            await _edit(
                query, render.audience_text(_, preview), render.audience_keyboard(_, preview)
            )
            return
        elif isinstance(payload, render.ShowPreview):
            preview = await service.preview(member, payload.broadcast_id)
        else:
            raise StaleAction()
    except StaleAction:
        await query.answer(_.gettext("This button has expired."), show_alert=True)
        return
    except InvalidInput:
        await query.answer(
            _.gettext("Nobody would receive it. Choose other recipients."), show_alert=True
        )
        return
    await query.answer()
    signature = render.signature(_, member, await _unit_name(context))
    await _edit(
        query, render.preview_text(_, preview, signature), render.preview_keyboard(_, preview)
    )


async def _edit(query: Any, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" and the like
        log.info("broadcast screen not edited: %s", exc)


async def report(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: tell admins about broadcasts whose delivery has finished."""
    await report_finished(context.application)


async def report_finished(app: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Send one summary per finished broadcast; return how many were sent."""
    catalogs: Catalogs = app.bot_data["catalogs"]
    sent = 0
    for result in await app.bot_data["services"].broadcasts.finished():
        if result.chat_id is None:
            continue
        _ = catalogs.for_locale(result.language)
        try:
            await app.bot.send_message(
                result.chat_id, render.summary(_, result), parse_mode="HTML"
            )
            sent += 1
        except Exception:  # the admin may have blocked the bot: nothing else to do
            log.exception("broadcast %s summary not delivered", result.broadcast_id)
    return sent


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/siaran, its typed text, its buttons and the summary job."""
    app.add_handler(CommandHandler(commands.BROADCAST, start))
    on_flow_text(app, FLOW, text_typed)
    app.add_handler(CallbackQueryHandler(registered(pressed), pattern=cd.pattern_for(*Buttons)))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            report,
            interval=SUMMARY_SECONDS,
            first=SUMMARY_SECONDS,
            name="broadcast-summaries",
            job_kwargs={"max_instances": 1, "coalesce": True},
        )
