"""/pengaturan: language (Indonesian/English) and time zone (WIB/WITA/WIT)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.config import ZONE_ALIASES
from bot.domain.units import Member
from bot.handlers import callback_data as cd
from bot.handlers import commands, keyboards, render
from bot.handlers.context import BotContext
from bot.i18n import Translator

_LABELS = {iana: abbr for abbr, iana in ZONE_ALIASES.items()}


def _zone_label(member: Member) -> str:
    abbr = _LABELS.get(member.timezone)
    return f"{abbr} ({member.timezone})" if abbr else member.timezone


async def show_settings(update: Update, context: BotContext) -> None:
    """Show current language and zone with buttons to change them."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    await message.reply_html(render.settings_text(_, member, _zone_label(member)),
                             reply_markup=keyboards.settings(_))


async def _refresh(update: Update, context: BotContext, member: Member, _: Translator,
                   note: str) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(note)
    await query.edit_message_text(render.settings_text(_, member, _zone_label(member)),
                                  parse_mode="HTML", reply_markup=keyboards.settings(_))


async def set_language(update: Update, context: BotContext) -> None:
    """Switch the UI language; the answer is already in the new language."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or context.member is None or not isinstance(payload, cd.SettingsLanguage):
        return
    if payload.language not in ("id", "en"):
        await query.answer(context.translator.gettext("This button has expired."))
        return
    member = await context.services.members.set_language(context.member.user_id, payload.language)
    _ = context.catalogs.for_locale(member.language)
    context.translator = _
    await _refresh(update, context, member, _, _.gettext("Language changed."))


async def set_zone(update: Update, context: BotContext) -> None:
    """Switch the time zone used for dates and reminders."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or context.member is None or not isinstance(payload, cd.SettingsZone):
        return
    _ = context.translator
    zone = ZONE_ALIASES.get(payload.zone)
    if zone is None:
        await query.answer(_.gettext("This button has expired."))
        return
    member = await context.services.members.set_timezone(context.member.user_id, zone)
    await _refresh(update, context, member, _, _.gettext("Time zone changed."))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/pengaturan (and /settings) and its buttons."""
    app.add_handler(CommandHandler([commands.SETTINGS, "settings"], show_settings))
    app.add_handler(CallbackQueryHandler(set_language, pattern=cd.pattern_for(cd.SettingsLanguage)))
    app.add_handler(CallbackQueryHandler(set_zone, pattern=cd.pattern_for(cd.SettingsZone)))
