"""Route free text to the flow that is waiting for it, else to the question handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.handlers.context import BotContext

TextStep = Callable[[Update, BotContext], Awaitable[None]]
TEXT_FLOWS_KEY = "text_flows"


def on_flow_text(
    app: Application[Any, Any, Any, Any, Any, Any], flow: str, step: TextStep
) -> None:
    """Declare that typed text goes to `step` while a user is in `flow`."""
    app.bot_data.setdefault(TEXT_FLOWS_KEY, {})[flow] = step


def set_default_text(app: Application[Any, Any, Any, Any, Any, Any], step: TextStep) -> None:
    """What typed text does when no flow waits for it (the Q&A feature sets this)."""
    app.bot_data["default_text"] = step


async def route_text(update: Update, context: BotContext) -> None:
    """Send text to the waiting flow, else to the default text handler."""
    flows: dict[str, TextStep] = context.application.bot_data.get(TEXT_FLOWS_KEY, {})
    if context.flow is not None and context.flow.name in flows:
        await flows[context.flow.name](update, context)
        return
    default: TextStep | None = context.application.bot_data.get("default_text")
    if default is not None:
        await default(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The catch-all text handler; app.py registers it after every feature."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, route_text))
