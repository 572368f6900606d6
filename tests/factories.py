"""Telegram update payloads as users produce them: text messages, button presses, photos and
documents, and `as_update` to hand one to `app.process_update`. The fake server is in
tests/fakes/bot_api.py."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import telegram

Json = dict[str, Any]

_message_ids: Iterator[int] = itertools.count(100_000)  # user messages, clear of bot-sent ids
_callback_ids: Iterator[int] = itertools.count(1)


def _user(user_id: int, first_name: str, username: str | None, language_code: str | None) -> Json:
    user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _user_chat(user: Json, chat_id: int | None) -> Json:
    if chat_id is None or chat_id == user["id"]:
        chat: Json = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Grup Uji"}


def _user_message(
    user_id: int,
    *,
    chat_id: int | None,
    first_name: str,
    username: str | None,
    language_code: str | None,
    message_id: int | None,
    reply_to: Json | None,
    content: Json,
) -> Json:
    user = _user(user_id, first_name, username, language_code)
    message: Json = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": user,
        "chat": _user_chat(user, chat_id),
        "date": int(time.time()),
        **content,
    }
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return message


def _update(update_id: int | None, **body: Any) -> Json:
    # Without an update_id, FakeBotAPI.push_update numbers it; `as_update` does for process_update.
    return body if update_id is None else {"update_id": update_id, **body}


def message_update(
    user_id: int,
    text: str,
    *,
    chat_id: int | None = None,
    first_name: str = "Budi",
    username: str | None = None,
    language_code: str | None = "id",
    update_id: int | None = None,
    reply_to: Json | None = None,
    message_id: int | None = None,
) -> Json:
    """Build a text message update; a leading /command gets its bot_command entity."""
    content: Json = {"text": text}
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]  # includes an @botname suffix, as Telegram does
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    message = _user_message(
        user_id,
        chat_id=chat_id,
        first_name=first_name,
        username=username,
        language_code=language_code,
        message_id=message_id,
        reply_to=reply_to,
        content=content,
    )
    return _update(update_id, message=message)


def callback_update(
    user_id: int,
    data: str,
    *,
    message_id: int,
    chat_id: int | None = None,
    text: str = "...",
    first_name: str = "Budi",
    username: str | None = None,
    language_code: str | None = "id",
    update_id: int | None = None,
    callback_query_id: str | None = None,
    reply_markup: Json | None = None,
    bot_id: int = 123,
) -> Json:
    """Build a callback query update for a button under the bot's message `message_id`."""
    user = _user(user_id, first_name, username, language_code)
    message: Json = {
        "message_id": message_id,
        "from": {"id": bot_id, "is_bot": True, "first_name": "Fake Bot", "username": "fake_bot"},
        "chat": _user_chat(user, chat_id),
        "date": int(time.time()),
        "text": text,
    }
    if reply_markup is not None:
        message["reply_markup"] = reply_markup
    query: Json = {
        "id": callback_query_id or f"cbq-{next(_callback_ids)}",
        "from": user,
        "chat_instance": f"ci-{message['chat']['id']}",
        "message": message,
        "data": data,
    }
    return _update(update_id, callback_query=query)


def photo_update(
    user_id: int,
    *,
    file_id: str = "photo-in-1",
    caption: str | None = None,
    width: int = 1280,
    height: int = 960,
    file_size: int = 1024,
    chat_id: int | None = None,
    first_name: str = "Budi",
    username: str | None = None,
    language_code: str | None = "id",
    update_id: int | None = None,
    message_id: int | None = None,
    reply_to: Json | None = None,
) -> Json:
    """Build a photo message update with a thumbnail and the full size."""
    photo = [
        {
            "file_id": f"{file_id}-thumb",
            "file_unique_id": f"u-{file_id}-thumb",
            "width": 90,
            "height": max(1, 90 * height // width),
            "file_size": max(1, file_size // 20),
        },
        {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": width,
            "height": height,
            "file_size": file_size,
        },
    ]
    content: Json = {"photo": photo}
    if caption is not None:
        content["caption"] = caption
    message = _user_message(
        user_id,
        chat_id=chat_id,
        first_name=first_name,
        username=username,
        language_code=language_code,
        message_id=message_id,
        reply_to=reply_to,
        content=content,
    )
    return _update(update_id, message=message)


def document_update(
    user_id: int,
    *,
    file_id: str = "doc-in-1",
    file_name: str = "bukti.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 2048,
    caption: str | None = None,
    chat_id: int | None = None,
    first_name: str = "Budi",
    username: str | None = None,
    language_code: str | None = "id",
    update_id: int | None = None,
    message_id: int | None = None,
    reply_to: Json | None = None,
) -> Json:
    """Build a document message update."""
    content: Json = {
        "document": {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": file_size,
        }
    }
    if caption is not None:
        content["caption"] = caption
    message = _user_message(
        user_id,
        chat_id=chat_id,
        first_name=first_name,
        username=username,
        language_code=language_code,
        message_id=message_id,
        reply_to=reply_to,
        content=content,
    )
    return _update(update_id, message=message)


_update_ids: Iterator[int] = itertools.count(1)


def as_update(payload: Json, bot: telegram.Bot) -> telegram.Update:
    """Turn a built payload into a PTB Update bound to `bot` (for `app.process_update`)."""
    from telegram import Update

    if "update_id" not in payload:
        payload = {"update_id": next(_update_ids), **payload}
    update = Update.de_json(payload, bot)
    return update
