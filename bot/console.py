"""`python -m bot chat`: talk to the real handlers in a terminal, with no token and no network.

A BaseRequest implementation answers the Bot API calls in process and prints what the bot sends;
typed lines become updates fed through Application.process_update, exactly as from Telegram.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 1,
    "is_bot": True,
    "first_name": "Pendamping Kepatuhan",
    "username": "pendamping_console_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_TAG = re.compile(r"<[^>]+>")


def html_to_text(text: str) -> str:
    """Telegram HTML to plain terminal text."""
    return html.unescape(_TAG.sub("", text))


class ConsoleRequest(BaseRequest):
    """Answers Bot API methods locally and prints messages with numbered buttons."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self._out = out
        self._ids = itertools.count(1)
        self.messages: dict[int, dict[str, Any]] = {}
        # (message_id, label, callback data); callback data None: the label is sent as text
        self.buttons: list[tuple[int, str, str | None]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = {
            k: _decode(v)
            for k, v in (request_data.json_parameters if request_data else {}).items()
        }
        handler: Callable[[dict[str, Any]], Any] = getattr(self, f"_m_{name}", self._m_default)
        result = handler(params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- methods ---------------------------------------------------------------------------

    def _m_getMe(self, params: dict[str, Any]) -> Any:  # noqa: N802 - Bot API method names
        return BOT_USER

    def _m_default(self, params: dict[str, Any]) -> Any:
        return True

    def _message(
        self, params: dict[str, Any], text: str, message_id: int | None = None
    ) -> dict[str, Any]:
        message_id = message_id or next(self._ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
            "from": BOT_USER,
            "text": text,
        }
        markup = params.get("reply_markup")
        # A Message carries only inline keyboards; reply keyboards, their removal and
        # force_reply are instructions to the client and never come back in the result.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[message_id] = message
        self._print(text, params.get("reply_markup"), message_id)
        return message

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(params, str(params.get("text", "")))

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(params, str(params.get("text", "")), int(params["message_id"]))

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:  # noqa: N802
        old = self.messages.get(int(params["message_id"]), {})
        return self._message(params, str(old.get("text", "")), int(params["message_id"]))

    def _m_sendPhoto(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(params, "[gambar] " + str(params.get("caption", "")))

    def _m_sendDocument(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._message(params, "[berkas] " + str(params.get("caption", "")))

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:  # noqa: N802
        if params.get("text"):
            self._out.write(f"  (i) {params['text']}\n")
        return True

    # --- output ----------------------------------------------------------------------------

    def _print(self, text: str, markup: Any, message_id: int) -> None:
        self._out.write("\n🤖 " + html_to_text(text).replace("\n", "\n   ") + "\n")
        markup = markup if isinstance(markup, dict) else {}
        inline, keyboard = markup.get("inline_keyboard"), markup.get("keyboard")
        if inline or keyboard:
            self.buttons = []
            for row in inline or []:
                for btn in row:
                    if "callback_data" in btn:
                        self.buttons.append((message_id, btn["text"], btn["callback_data"]))
                    elif "url" in btn:
                        self._out.write(f"   [tautan] {btn['text']}: {btn['url']}\n")
            for row in keyboard or []:
                for btn in row:
                    label = btn if isinstance(btn, str) else str(btn.get("text", ""))
                    self.buttons.append((message_id, label, None))
            for number, (_, label, _data) in enumerate(self.buttons, start=1):
                self._out.write(f"   [{number}] {label}\n")
        elif markup.get("remove_keyboard"):
            self.buttons = []
        elif markup.get("force_reply"):
            self._out.write("   (balas pesan ini)\n")
        self._out.flush()


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


class ConsoleUser:
    """Builds the updates a real Telegram client would send for one person."""

    def __init__(self, user_id: int, first_name: str, language_code: str = "id") -> None:
        self.user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}
        self._update_ids = itertools.count(int(time.time() * 1000))
        self._message_ids = itertools.count(1_000_000)

    def text(self, text: str) -> dict[str, Any]:
        """A text message (commands get their bot_command entity)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": next(self._update_ids), "message": message}

    def press(self, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A button press on `message`."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user,
                "chat_instance": "console",
                "message": message,
                "data": data,
            },
        }


async def run_console(
    app: Any,
    request: ConsoleRequest,
    user: ConsoleUser,
    lines: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> None:
    """Read lines until EOF or /keluar; numbers press buttons, anything else is a message."""
    out.write("Ketik pesan untuk bot. Angka = tekan tombol bernomor. /keluar untuk berhenti.\n")
    out.write("(Type a message; a number presses that button; /keluar quits.)\n")
    out.flush()
    async with app:
        while True:
            out.write("\n> ")
            out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text in {"/keluar", "/exit", "/quit"}:
                break
            if text.isdigit() and request.buttons:
                number = int(text)
                if not 1 <= number <= len(request.buttons):
                    out.write(f"(tidak ada tombol nomor {number})\n")
                    continue
                message_id, label, data = request.buttons[number - 1]
                out.write(f"(menekan: {label})\n")
                if data is None:  # a reply-keyboard button sends its label as a message
                    payload = user.text(label)
                else:
                    payload = user.press(request.messages[message_id], data)
            else:
                payload = user.text(text)
            await app.process_update(Update.de_json(payload, app.bot))
