"""/batal: cancel any flow in progress."""

from __future__ import annotations

from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CommandHandler

from bot.handlers import commands
from bot.handlers.context import BotContext
from bot.handlers.flows import cancel_flow


async def cancel(update: Update, context: BotContext) -> None:
    """End whatever the user was doing; say so either way."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    had_flow = await context.services.flows.clear(member.user_id)
    if had_flow and context.flow is not None:
        await cancel_flow(context, context.flow)
    text = (
        _.gettext("Cancelled. Type /bantuan to see what I can do.")
        if had_flow
        else _.gettext("There is nothing to cancel.")
    )
    await message.reply_html(text, reply_markup=ReplyKeyboardRemove())


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/batal (and /cancel for English speakers)."""
    app.add_handler(CommandHandler([commands.CANCEL, "cancel"], cancel))
