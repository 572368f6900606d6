"""Last-resort handlers: unknown commands, stale or forged buttons, non-text messages."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.context import BotContext


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command we do not have: point to /bantuan."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_html(
        context.translator.gettext(
            "I don't know that command. Type /bantuan to see what I can do."
        )
    )


async def stale_button(update: Update, context: BotContext) -> None:
    """Every press is answered, even of buttons no handler recognises (old, forged)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(
        context.translator.gettext("This button has expired. Type /bantuan to see what I can do."),
        show_alert=True,
    )


async def other_message(update: Update, context: BotContext) -> None:
    """Stickers, locations and the like: explain what the bot understands."""
    message = update.effective_message
    if message is None or context.member is None:
        return
    await message.reply_html(
        context.translator.gettext(
            "I understand text messages and buttons. Type /bantuan to see what I can do."
        )
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registered last (after the text router) so they only see what nothing else took."""
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, other_message
        )
    )
