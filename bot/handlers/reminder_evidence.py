"""Evidence sent from a reminder: the "📎 Kirim bukti" button, or a file sent as a reply to it.

The button starts a flow (kept in the database) that waits for a photo or document; /batal
stops it. A file sent as a reply to a reminder needs no button: the reminder is found by its
chat and message id, and when that message merged several deadlines the user picks one (the
file waits in the flow meanwhile). Which file goes where, in order:

1. a reply to one of the user's reminders: that reminder's deadline(s);
2. the "📎 Kirim bukti" flow: its deadline;
3. the /bukti flow (handled in evidence.py);
4. any other reply: a clear "that is not a reminder" message, never silence.

The service checks, for every file, that the deadline applies to the sender's own unit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.errors import InvalidInput, NotAllowed, NotFound, NotRegistered
from bot.domain.evidence import IncomingFile
from bot.handlers import admin_render, evidence
from bot.handlers import callback_data as cd
from bot.handlers import reminder_evidence_render as render
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_text
from bot.handlers.members import expired, registered
from bot.handlers.reminder_evidence_data import ReminderEvidence, ReminderEvidencePick

FLOW = "bukti_tenggat"


@registered
async def start(update: Update, context: BotContext) -> None:
    """ "📎 Kirim bukti": check the deadline is the member's unit's, then wait for the file."""
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, ReminderEvidence)
    if query is None or member is None or payload is None:
        return
    # NotFound (gone or archived) and NotAllowed (another unit's) go to the error handler.
    target = await context.services.evidence.deadline_target(member, payload.deadline_id)
    await context.services.flows.put(
        member.user_id, FLOW, "file", {"deadline_id": target.deadline_id}
    )
    await query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_html(
            render.ask_for_file(context.translator, target.title)
        )


async def attach(
    update: Update, context: BotContext, deadline_id: int, incoming: IncomingFile
) -> None:
    message, member = update.effective_message, context.member
    if message is None or member is None:
        return
    _ = context.translator
    flow = context.flow
    # Clear the flow only if this file was what it waited for (a reply to another reminder
    # leaves a pending "📎 Kirim bukti" for a different deadline alone).
    ours = (
        flow is not None
        and flow.name == FLOW
        and (flow.step == "pick" or flow.data.get("deadline_id") == deadline_id)
    )
    try:
        item, target = await context.services.evidence.attach_to_deadline(
            member,
            deadline_id=deadline_id,
            incoming=incoming,
            download=evidence.downloader(context, incoming.file_id),
        )
    except InvalidInput as exc:
        # A waiting "📎" flow stays (the user can send a better file, or /batal); a refused file
        # held for the deadline question is dropped.
        if ours and flow is not None and flow.step == "pick":
            await context.services.flows.clear(member.user_id)
        await message.reply_html(admin_render.refused_file(_, exc.reason))
        return
    except (NotFound, NotAllowed, NotRegistered):
        if ours:
            await context.services.flows.clear(member.user_id)
        await message.reply_html(render.closed(_))
        return
    if ours:
        await context.services.flows.clear(member.user_id)
    indicator = (
        context.services.evidence.indicator(target.indicator_id).name
        if target.indicator_id is not None
        else None
    )
    text, markup = render.stored(_, item, target, indicator)
    await message.reply_html(text, reply_markup=markup)


async def _reply_to_reminder(
    update: Update, context: BotContext, incoming: IncomingFile, reply_to: int
) -> bool:
    """A file sent as a reply: True if handled (attached, asked, or explained)."""
    message, member, chat = update.effective_message, context.member, update.effective_chat
    assert message is not None and member is not None and chat is not None
    _ = context.translator
    try:
        targets = await context.services.evidence.reminder_targets(
            member, chat_id=chat.id, message_id=reply_to
        )
    except NotAllowed:
        await message.reply_html(render.not_your_reminder(_))
        return True
    except NotFound as exc:
        if exc.entity != "reminder":
            await message.reply_html(render.closed(_))
            return True
        flow = context.flow
        if flow is not None and flow.step == "file" and flow.name in {FLOW, evidence.FLOW}:
            return False  # replying to the "send the file" prompt: the waiting flow takes it
        await message.reply_html(render.not_a_reminder(_))
        return True
    if len(targets) == 1:
        await attach(update, context, targets[0].deadline_id, incoming)
        return True
    flow = await context.services.flows.put(
        member.user_id,
        FLOW,
        "pick",
        {"file": dataclasses.asdict(incoming), "deadlines": [t.deadline_id for t in targets]},
    )
    text, markup = render.ask_which(_, targets, flow.revision)
    await message.reply_html(text, reply_markup=markup)
    return True


async def route_file(update: Update, context: BotContext, incoming: IncomingFile) -> bool:
    """Claim a photo/document that belongs to a reminder or to the "Kirim bukti" flow."""
    message, member, chat = update.effective_message, context.member, update.effective_chat
    if message is None or member is None or chat is None:
        return False
    reply = message.reply_to_message
    if reply is not None:
        if await _reply_to_reminder(update, context, incoming, reply.message_id):
            return True
    flow = context.flow
    if flow is None or flow.name != FLOW:
        return False
    if flow.step == "pick":
        await message.reply_html(render.pick_first(context.translator))
        return True
    await attach(update, context, int(flow.data["deadline_id"]), incoming)
    return True


@registered
async def pick(update: Update, context: BotContext) -> None:
    """Which deadline of a merged reminder the waiting file is for."""
    query, member, flow = update.callback_query, context.member, context.flow
    payload = cd.pressed(update, ReminderEvidencePick)
    if query is None or member is None or payload is None:
        return
    if (
        flow is None
        or flow.name != FLOW
        or flow.step != "pick"
        or flow.revision != payload.revision
        or payload.deadline_id not in flow.data.get("deadlines", [])
    ):
        await expired(update, context)
        return
    incoming = IncomingFile(**flow.data["file"])
    await query.answer()
    await query.edit_message_reply_markup(None)
    await attach(update, context, payload.deadline_id, incoming)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The reminder's 📎 button (rb1.s), the deadline choice (rb1.p) and replies with files."""
    app.add_handler(CallbackQueryHandler(start, pattern=cd.pattern_for(ReminderEvidence)))
    app.add_handler(CallbackQueryHandler(pick, pattern=cd.pattern_for(ReminderEvidencePick)))
    evidence.on_file(app, route_file)
    on_flow_text(app, FLOW, evidence.text_during_flow)
