"""Route free text to the flow that is waiting for it, else to the question handler.

While a flow is in progress, typed text belongs to it: a flow that waits for a button reads the
text as one of its choices (`read_choice`) or answers one line pointing at the buttons and /batal;
it never reaches Q&A. A flow left idle for half an hour (`Flow.holds_text`) lets text through to
Q&A again, keeping its buttons and its place. /batal ends every flow and runs its own cancel
step (`on_flow_cancel`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.domain.choices import Choice, match_choice
from bot.handlers.context import BotContext
from bot.i18n import Translator
from bot.services.flows import Flow

TextStep = Callable[[Update, BotContext], Awaitable[None]]
CancelStep = Callable[[BotContext, Flow], Awaitable[None]]
TEXT_FLOWS_KEY = "text_flows"
CANCEL_KEY = "flow_cancel"


def on_flow_text(
    app: Application[Any, Any, Any, Any, Any, Any], flow: str, step: TextStep
) -> None:
    """Declare that typed text goes to `step` while a user is in `flow`."""
    app.bot_data.setdefault(TEXT_FLOWS_KEY, {})[flow] = step


def on_flow_cancel(
    app: Application[Any, Any, Any, Any, Any, Any], flow: str, step: CancelStep
) -> None:
    """Declare what /batal also ends for `flow` (e.g. the open quiz round)."""
    app.bot_data.setdefault(CANCEL_KEY, {})[flow] = step


async def cancel_flow(context: BotContext, flow: Flow) -> None:
    """Run the cancel step `flow` declared, if any (the flow row is cleared by the caller)."""
    steps: dict[str, CancelStep] = context.application.bot_data.get(CANCEL_KEY, {})
    if flow.name in steps:
        await steps[flow.name](context, flow)


def waiting_hint(_: Translator) -> str:
    """The one line for typed text a waiting flow cannot read."""
    return _.gettext(
        "Please choose with the buttons above (or type the letter or number), "
        "or type /batal to stop."
    )


async def read_choice(
    update: Update, context: BotContext, choices: Sequence[Choice]
) -> str | None:
    """The key of the choice the typed text names; else None, after answering the hint."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    key = match_choice(message.text, choices)
    if key is None:
        await message.reply_html(waiting_hint(context.translator))
    return key


def set_default_text(app: Application[Any, Any, Any, Any, Any, Any], step: TextStep) -> None:
    """What typed text does when no flow waits for it (the Q&A feature sets this)."""
    app.bot_data["default_text"] = step


async def route_text(update: Update, context: BotContext) -> None:
    """Send text to the waiting flow, else to the default text handler."""
    flows: dict[str, TextStep] = context.application.bot_data.get(TEXT_FLOWS_KEY, {})
    if context.flow is not None and context.flow.holds_text(context.services.clock()):
        step = flows.get(context.flow.name)
        if step is not None:
            await step(update, context)
        elif update.effective_message is not None:  # a flow that only takes buttons
            await update.effective_message.reply_html(waiting_hint(context.translator))
        return
    default: TextStep | None = context.application.bot_data.get("default_text")
    if default is not None:
        await default(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The catch-all text handler; app.py registers it after every feature."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, route_text))
