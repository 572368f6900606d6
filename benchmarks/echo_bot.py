"""A minimal python-telegram-bot echo bot: the framework-only baseline for benchmarks/load.py.

Usage: ``python -m benchmarks.echo_bot --token T --base-url http://127.0.0.1:PORT/bot``

Long polling like ``python -m bot run``, the same concurrency (256 updates at once) and no
rate limiter, database or content: a message is answered with its text, a button press with
``answerCallbackQuery`` and an edit of the message under the button.
"""

from __future__ import annotations

import argparse
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

ALLOWED_UPDATES = ["message", "callback_query", "edited_message"]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the message's text."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(message.text or "ok")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and edit the message under it."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text(f"pressed {query.data}")


def build(token: str, base_url: str, file_url: str) -> Application[Any, Any, Any, Any, Any, Any]:
    """The echo Application."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_url)
        .concurrent_updates(256)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


def main() -> None:
    """Poll until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--file-url", default="")
    args = parser.parse_args()
    file_url = args.file_url or args.base_url.replace("/bot", "/file/bot")
    build(args.token, args.base_url, file_url).run_polling(
        allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, timeout=5
    )


if __name__ == "__main__":
    main()
