"""A small driver for end-to-end tests: send messages, press buttons, read the transcript."""

from __future__ import annotations

from typing import Any

from tests.factories import as_update, callback_update, message_update
from tests.fakes.bot_api import Call, FakeBotAPI


class Harness:
    """Feeds updates to a real Application and reads what it sent to the fake Bot API."""

    def __init__(self, app: Any, api: FakeBotAPI) -> None:
        self.app = app
        self.api = api

    async def send(self, user_id: int, text: str, **kw: Any) -> None:
        """The user types `text` (a command if it starts with /)."""
        await self.app.process_update(as_update(message_update(user_id, text, **kw), self.app.bot))

    async def press(
        self, user_id: int, data: str, *, message_id: int | None = None, **kw: Any
    ) -> None:
        """The user presses a button with callback `data` under `message_id` (default: latest)."""
        if message_id is None:
            message_id = self.last_message_id(user_id)
        payload = callback_update(user_id, data, message_id=message_id, **kw)
        await self.app.process_update(as_update(payload, self.app.bot))

    async def press_label(self, user_id: int, label: str) -> None:
        """Press the button whose text contains `label` on the latest keyboard sent to the user."""
        message_id, data = self.find_button(user_id, label)
        await self.press(user_id, data, message_id=message_id)

    def to(self, chat_id: int) -> list[Call]:
        """Everything sent or edited in a chat, in order."""
        return [
            c
            for c in self.api.calls
            if str(c.params.get("chat_id")) == str(chat_id)
            and c.method
            in {
                "sendMessage",
                "editMessageText",
                "editMessageReplyMarkup",
                "sendPhoto",
                "sendDocument",
            }
        ]

    def last_text(self, chat_id: int) -> str:
        """Text of the latest message sent or edited in the chat."""
        for call in reversed(self.to(chat_id)):
            if "text" in call.params or "caption" in call.params:
                return str(call.params.get("text") or call.params.get("caption"))
        raise AssertionError(f"nothing sent to {chat_id}")

    def texts(self, chat_id: int) -> list[str]:
        """All texts sent or edited in the chat."""
        return [str(c.params.get("text", c.params.get("caption", ""))) for c in self.to(chat_id)]

    def last_message_id(self, chat_id: int) -> int:
        """Message id of the latest message with a keyboard (sent or edited)."""
        for call in reversed(self.to(chat_id)):
            if call.params.get("reply_markup"):
                if "message_id" in call.params:
                    return int(call.params["message_id"])
                return int(call.result["message_id"]) if call.result else 0
        raise AssertionError(f"no keyboard sent to {chat_id}")

    def buttons(self, chat_id: int) -> list[tuple[str, str]]:
        """(label, callback data) of the latest keyboard in the chat."""
        for call in reversed(self.to(chat_id)):
            markup = call.params.get("reply_markup")
            if markup and "inline_keyboard" in markup:
                return [
                    (b["text"], b.get("callback_data", ""))
                    for row in markup["inline_keyboard"]
                    for b in row
                ]
        return []

    def find_button(self, chat_id: int, label: str) -> tuple[int, str]:
        """(message id, data) of the first button on the latest keyboard containing `label`."""
        for text, data in self.buttons(chat_id):
            if label in text:
                return self.last_message_id(chat_id), data
        raise AssertionError(f"no button {label!r} in {self.buttons(chat_id)}")

    def answers(self) -> list[Call]:
        """All answerCallbackQuery calls."""
        return self.api.calls_to("answerCallbackQuery")
