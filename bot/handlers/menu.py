"""The per-chat "/" command menu: each person sees the commands their role allows (transport)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.domain.units import Role
from bot.handlers import commands
from bot.i18n import Catalogs

log = logging.getLogger(__name__)


async def publish(
    bot: Any, catalogs: Catalogs, *, chat_id: int | None, role: Role, language: str | None
) -> None:
    """setMyCommands for one chat (BotCommandScopeChat): the commands of `role`.

    A failure only costs the menu, never the action that triggered it, so it is logged.
    """
    if chat_id is None:
        return
    _ = catalogs.for_locale(language)
    menu = [BotCommand(name, _.gettext(text)) for name, text in commands.menu_for(role)]
    try:
        await bot.set_my_commands(menu, scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        log.warning("could not set the command menu of a chat: %r", error)
