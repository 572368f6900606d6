"""/pengaturan: language, time zone (WIB/WITA/WIT), reminder hour, quiet weekends and mute."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.config import ZONE_ALIASES
from bot.domain.errors import InvalidInput
from bot.domain.units import Member
from bot.handlers import callback_data as cd
from bot.handlers import commands, keyboards, reminders_render, render
from bot.handlers.context import BotContext
from bot.handlers.reminders_data import ReminderHour, ReminderMute, ReminderWeekends
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
    text, markup = await _view(context, member, _)
    await message.reply_html(text, reply_markup=markup)


async def _view(
    context: BotContext, member: Member, _: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    """Settings text and keyboard: language and zone, then the reminder preferences."""
    prefs = await context.services.reminders.prefs(member.user_id)
    text = (
        render.settings_text(_, member, _zone_label(member))
        + "\n\n"
        + reminders_render.prefs_text(_, prefs)
    )
    rows = [list(row) for row in keyboards.settings(_).inline_keyboard]
    rows += reminders_render.prefs_rows(_, prefs)
    return text, InlineKeyboardMarkup(rows)


async def _refresh(
    update: Update, context: BotContext, member: Member, _: Translator, note: str
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(note)
    text, markup = await _view(context, member, _)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


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


async def set_reminders(update: Update, context: BotContext) -> None:
    """Reminder hour, quiet weekends or mute."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None:
        return
    _ = context.translator
    reminders = context.services.reminders
    if isinstance(payload, ReminderHour):
        try:
            await reminders.set_prefs(member.user_id, reminder_hour=payload.hour)
        except InvalidInput:
            await query.answer(_.gettext("This button has expired."))
            return
    elif isinstance(payload, ReminderWeekends):
        await reminders.set_prefs(member.user_id, quiet_weekends=payload.on)
    elif isinstance(payload, ReminderMute):
        await reminders.set_prefs(member.user_id, muted=payload.on)
    else:
        return
    await _refresh(update, context, member, _, _.gettext("Reminder settings changed."))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/pengaturan (and /settings) and its buttons."""
    app.add_handler(CommandHandler([commands.SETTINGS, "settings"], show_settings))
    app.add_handler(
        CallbackQueryHandler(set_language, pattern=cd.pattern_for(cd.SettingsLanguage))
    )
    app.add_handler(CallbackQueryHandler(set_zone, pattern=cd.pattern_for(cd.SettingsZone)))
    app.add_handler(
        CallbackQueryHandler(
            set_reminders, pattern=cd.pattern_for(ReminderHour, ReminderWeekends, ReminderMute)
        )
    )
