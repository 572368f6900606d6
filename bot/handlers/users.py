"""/pengguna (admins): list users by unit, promote, demote, deactivate (service checks roles)."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.errors import InvalidInput
from bot.domain.units import Role
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from bot.handlers import commands, menu
from bot.handlers.context import BotContext
from bot.handlers.members import expired
from bot.handlers.render import role_name
from bot.i18n import Translator

_ROLES = {"c": Role.COORDINATOR, "a": Role.ADMIN, "m": Role.MEMBER}


async def users_list(update: Update, context: BotContext) -> None:
    """An admin sees everyone, grouped by unit, with a button per person."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    users = await context.services.users.list_users(member)
    text, markup, _page = view.user_page(context.translator, users, 0, member.timezone)
    await message.reply_html(text, reply_markup=markup)


async def users_page(update: Update, context: BotContext) -> None:
    """‹ › in the user list."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.UsersPage):
        return
    users = await context.services.users.list_users(member)
    await query.answer()
    text, markup, _page = view.user_page(context.translator, users, payload.page, member.timezone)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


async def user_show(update: Update, context: BotContext) -> None:
    """A person's details and the actions on them."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.UserShow):
        return
    user = await context.services.users.get_user(member, payload.user_id)
    await query.answer()
    text, markup = view.user_detail(context.translator, user, member.timezone, payload.page)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


async def user_role(update: Update, context: BotContext) -> None:
    """Promote to coordinator or admin, or demote to member."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.UserRole):
        return
    role = _ROLES.get(payload.role)
    if role is None:
        await expired(update, context)
        return
    _ = context.translator
    try:
        user = await context.services.users.set_role(member, payload.user_id, role)
    except InvalidInput as exc:
        await query.answer(_refusal(_, exc.reason), show_alert=True)
        return
    note = _.gettext("Done: {name} is now {role}.").format(
        name=escape(user.display_name), role=role_name(_, user.role.value)
    )
    await query.answer(_.gettext("Role changed."))
    text, markup = view.user_detail(_, user, member.timezone, payload.page, note)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    # Their "/" menu follows the new role (private chat id = Telegram id; forgotten: none).
    await menu.publish(
        context.bot,
        context.catalogs,
        chat_id=user.telegram_id if user.telegram_id > 0 else None,
        role=user.role,
        language=None,  # their language is not in the summary: the default catalog
    )


async def user_active(update: Update, context: BotContext) -> None:
    """Deactivate (no more messages) or reactivate a user."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.UserActive):
        return
    _ = context.translator
    try:
        user = await context.services.users.set_active(member, payload.user_id, payload.active)
    except InvalidInput as exc:
        await query.answer(_refusal(_, exc.reason), show_alert=True)
        return
    note = (
        _.gettext("{name} is active again.")
        if user.active
        else _.gettext("{name} is deactivated and will get no more messages.")
    ).format(name=escape(user.display_name))
    await query.answer()
    text, markup = view.user_detail(_, user, member.timezone, payload.page, note)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


def _refusal(_: Translator, reason: str) -> str:
    if reason == "settings_admin":
        return _.gettext(
            "This admin is set in the server settings (BOT_ADMIN_IDS) and cannot be "
            "demoted or deactivated from Telegram."
        )
    if reason == "no_unit":
        return _.gettext(
            "This person has not registered to a unit yet, so they cannot coordinate one."
        )
    return _.gettext("This person's data was erased; their role cannot change.")


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/pengguna and its buttons (tag pg1.)."""
    app.add_handler(CommandHandler([commands.USERS, "users"], users_list))
    app.add_handler(CallbackQueryHandler(users_page, pattern=cd.pattern_for(view.UsersPage)))
    app.add_handler(CallbackQueryHandler(user_show, pattern=cd.pattern_for(view.UserShow)))
    app.add_handler(CallbackQueryHandler(user_role, pattern=cd.pattern_for(view.UserRole)))
    app.add_handler(CallbackQueryHandler(user_active, pattern=cd.pattern_for(view.UserActive)))
