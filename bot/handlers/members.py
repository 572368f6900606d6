"""Group -1 pre-filter: identify the member, load their flow and drop repeated updates."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.domain.roles import admin_only
from bot.handlers.context import BotContext

log = logging.getLogger(__name__)
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]


async def identify(update: Update, context: BotContext) -> None:
    """Fill context.member/flow/translator once per update; stop duplicates here."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    chat = update.effective_chat
    arrival = await context.services.members.arrive(
        update_id=update.update_id,
        telegram_id=user.id,
        chat_id=chat.id if chat and chat.type == "private" else None,
        display_name=user.full_name,
        language_code=user.language_code,
    )
    if arrival.duplicate:
        log.info("dropping repeated update %s", update.update_id)
        raise ApplicationHandlerStop
    context.member = arrival.member
    context.flow = arrival.flow
    context.translator = context.catalogs.for_locale(arrival.member.language)


def registered(handler: Handler) -> Handler:
    """Guide unregistered users to /start instead of running a feature (admins pass)."""
    return _guard(handler, pending_ok=False)


def registered_or_pending(handler: Handler) -> Handler:
    """Like `registered`, but someone waiting for a join request passes too (personal use)."""
    return _guard(handler, pending_ok=True)


def _guard(handler: Handler, *, pending_ok: bool) -> Handler:
    @wraps(handler)
    async def guarded(update: Update, context: BotContext) -> Any:
        member = context.member
        if member is None:
            return None
        waiting = pending_ok and member.pending_unit_id is not None
        if not member.registered and not waiting and member.role.value != "admin":
            _ = context.translator
            text = _.gettext("You are not registered yet. Type /start and pick your unit first.")
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_html(text)
            return None
        return await handler(update, context)

    return guarded


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Group -1 runs before every feature handler (block=True so context is filled first)."""
    app.add_handler(TypeHandler(Update, identify), group=-1)


async def refuse(
    update: Update, context: BotContext, reason: str | None = None, action: str | None = None
) -> None:
    """Tell the user, politely, that this is not allowed to them (the service audited it).

    `reason` (NotAllowed.reason) picks a more precise answer than the role refusal; `action`
    (NotAllowed.action) names the role needed: "khusus admin" for admin-only actions.
    """
    _ = context.translator
    texts = {
        "no_unit": _.gettext(
            "Evidence always belongs to a unit: register to your unit with /start first."
        ),
        "other_unit": _.gettext(
            "Sorry, this deadline is not for your unit: you can send evidence only for your "
            "own unit's deadlines."
        ),
    }
    if action is not None and admin_only(action):
        texts[""] = _.gettext("Sorry, this is for admins only.")
    text = texts.get(reason or "") or _.gettext(
        "Sorry, this is only for coordinators or admins of the unit concerned."
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)


async def expired(update: Update, context: BotContext, message: str | None = None) -> None:
    """Answer a stale, doubled or forged button press; every press gets an answer."""
    query = update.callback_query
    if query is not None:
        await query.answer(
            message or context.translator.gettext("This button has expired."), show_alert=True
        )
