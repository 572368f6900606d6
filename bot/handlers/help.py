"""/bantuan and /help: what the bot does and the commands."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers import commands, menu, render
from bot.handlers.context import BotContext


async def show_help(update: Update, context: BotContext) -> None:
    """Explain the bot in plain Indonesian and list the commands."""
    message = update.effective_message
    if message is None or context.member is None:
        return
    member = context.member
    await message.reply_html(render.help_text(context.translator, role=member.role))
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await menu.publish(
            context.bot,
            context.catalogs,
            chat_id=chat.id,
            role=member.role,
            language=member.language,
        )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/bantuan and its English alias /help."""
    app.add_handler(CommandHandler([commands.HELP, commands.HELP_EN], show_help))
