"""The one global error handler: log with context, answer kindly, tell the operators."""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.errors import NotAllowed, NotFound, RepeatedUpdate, StaleAction
from bot.handlers.context import BotContext
from bot.handlers.members import expired, refuse

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Never leak internals to users; the traceback goes to the log (and operators' chat).

    Expected domain refusals are not errors: a role refusal (already audited by the service) gets
    the polite refusal, and a button whose target is gone gets "this button has expired", so
    handlers need not catch them one by one.
    """
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, RepeatedUpdate):
        # Another process took this update over and handled it; its answer is the one.
        log.info("dropping repeated update %s (handled by another process)", update_id)
        return
    if isinstance(update, Update) and isinstance(error, NotAllowed):
        await refuse(update, context, error.reason, error.action)
        return
    if (
        isinstance(update, Update)
        and update.callback_query is not None
        and isinstance(error, NotFound | StaleAction)
    ):
        await expired(update, context)
        return
    log.error("error while handling update %s: %r", update_id, error, exc_info=error)
    if not isinstance(update, Update):
        return
    _ = context.translator
    text = _.gettext("Sorry, something went wrong on our side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except TelegramError:
        log.warning("could not tell the user about the error in update %s", update_id)
    operators = context.application.bot_data.get("operators_chat_id")
    if operators:
        try:
            await context.bot.send_message(
                operators,
                f"⚠️ update {update_id}: <code>{html.escape(repr(error))[:500]}</code>",
                parse_mode="HTML",
            )
        except TelegramError:
            log.warning("could not notify the operators' chat")


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Install the global error handler."""
    app.add_error_handler(on_error)
