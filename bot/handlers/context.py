"""BotContext: our CallbackContext with typed services, member, flow and translator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.units import Member
from bot.i18n import Catalogs, Translator
from bot.services.flows import Flow

if TYPE_CHECKING:
    from bot.services.container import Services


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Filled once per update by the group -1 pre-filter (PTB shares one context across groups)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self.flow: Flow | None = None
        self._translator: Translator | None = None

    @property
    def services(self) -> Services:
        """The process-wide services (set by app.py)."""
        return self.application.bot_data["services"]  # type: ignore[no-any-return]

    @property
    def catalogs(self) -> Catalogs:
        """All loaded translations."""
        return self.application.bot_data["catalogs"]  # type: ignore[no-any-return]

    @property
    def translator(self) -> Translator:
        """The translator for this update's member (default locale before identification)."""
        if self._translator is None:
            self._translator = self.catalogs.for_locale(None)
        return self._translator

    @translator.setter
    def translator(self, value: Translator) -> None:
        self._translator = value

    def _(self, message: str) -> str:
        """Shortcut for translator.gettext."""
        return self.translator.gettext(message)
