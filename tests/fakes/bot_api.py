"""A fake Telegram Bot API server (aiohttp, 127.0.0.1 only) that records a transcript for tests."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import socket
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.factories import (  # noqa: F401 - re-exported: benchmarks build updates from here
    as_update,
    callback_update,
    document_update,
    message_update,
    photo_update,
)

if TYPE_CHECKING:
    from types import TracebackType


HOST = "127.0.0.1"

# Telegram accepts uploads up to 50 MB through the Bot API (https://core.telegram.org/bots/api#senddocument).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Methods that deliver a new message to a chat: these are rate limited and counted per chat.
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})

# PTB sends string parameters as they are and JSON-encodes everything else
# (telegram/request/_requestparameter.py, `json_value`). These parameters are strings in the
# Bot API, so they are never JSON-decoded: a message text "123" must stay "123".
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "secret_token",
        "ip_address",
        "action",
        "language_code",
        "business_connection_id",
        "message_effect_id",
    }
)

Json = dict[str, Any]


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part of a request."""

    field_name: str
    filename: str | None
    mime_type: str
    data: bytes

    @property
    def size(self) -> int:
        """Return the number of bytes uploaded."""
        return len(self.data)


@dataclass
class Call:
    """One request to the fake, as the bot sent it.

    `params` holds the parameters with JSON-encoded values decoded; `files` the multipart
    uploads by field name; `at` the `time.monotonic()` when the request arrived; `error_code`
    is None when the fake answered ok, else the error code it answered with.
    Indexing a call reads its params: `api.last("sendMessage")["text"]`.
    """

    method: str
    params: Json
    files: dict[str, UploadedFile] = field(default_factory=dict)
    at: float = 0.0
    error_code: int | None = None
    result: Any = None

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Return a parameter, or `default` when the bot did not send it."""
        return self.params.get(key, default)


class ApiError(Exception):
    """An error answer of the Bot API ({"ok": false, ...})."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> Json:
        """Return the JSON body Telegram sends for this error."""
        body: Json = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class _Fault:
    error_code: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class _StoredFile:
    file_id: str
    data: bytes
    file_path: str
    file_unique_id: str


class FakeBotAPI:
    """A Telegram Bot API stand-in bound to 127.0.0.1 on a free port.

    Use it as an async context manager in the test's event loop::

        async with FakeBotAPI(token="123:TEST") as api:
            bot = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)

    Every request becomes a `Call` in `api.calls`. Unknown methods answer 404 and are listed in
    `api.unknown_calls` so a fixture can fail the test on them.
    """

    def __init__(
        self,
        token: str = "123:TEST",  # noqa: S107 - a fake token for the fake server
        *,
        port: int = 0,
        bot_username: str = "fake_bot",
        rate_limit: bool = False,
        overall_per_second: int = 30,
        per_chat_per_second: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.rate_limit = rate_limit
        self.overall_per_second = overall_per_second
        self.per_chat_per_second = per_chat_per_second
        self.clock = clock  # what arrival times are stamped with (a test may step it)
        self._requested_port = port
        self.port = 0

        self.calls: list[Call] = []
        self.unknown_calls: list[Call] = []
        # Requests Telegram would refuse with 400 Bad Request (empty keyboard, empty text...).
        self.rejected_calls: list[Call] = []
        self.unauthorized_requests = 0
        self.polls_waiting = 0  # getUpdates requests currently held open (long polling)
        self.rate_limit_violations = 0
        self.delivered_per_chat: Counter[int | str] = Counter()

        self._updates: list[Json] = []
        self._next_update_id = 1
        self._messages: dict[tuple[int | str, int], Json] = {}
        self._message_ids: defaultdict[int | str, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, str] = {}
        self._file_counter = itertools.count(1)
        self._commands: dict[str, list[Json]] = {}
        self._webhook_url = ""
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._sent_overall: deque[float] = deque()
        self._sent_per_chat: defaultdict[int | str, deque[float]] = defaultdict(deque)

        # Replaced (and the old one set) on every change: waiters re-check their condition.
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[Json, dict[str, UploadedFile]], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._true,
            "deleteMessage": self._delete_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendChatAction": self._true,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getFile": self._get_file,
            "close": self._true,
            "logOut": self._true,
        }
        # Telegram matches method names case-insensitively.
        self._methods_by_lower = {name.lower(): name for name in self._handlers}

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """Return the value for PTB's `base_url` ("http://127.0.0.1:<port>/bot")."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the value for PTB's `base_file_url` ("http://127.0.0.1:<port>/file/bot")."""
        return f"http://{HOST}:{self.port}/file/bot"

    async def start(self) -> None:
        """Start serving in the running event loop."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_get("/_fake/stats", self._handle_stats)
        app.router.add_post("/_fake/updates", self._handle_push)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, self._requested_port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Wake pending long polls and stop serving."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ----------------------------------------------------------------- test controls

    def push_update(self, update: Json) -> Json:
        """Queue an update for getUpdates, assigning the next update_id if it has none."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        self._updates.sort(key=lambda queued: int(queued["update_id"]))
        self._notify()
        return update

    @property
    def pending_updates(self) -> list[Json]:
        """Return the updates not yet confirmed by an offset."""
        return list(self._updates)

    def add_file(self, file_id: str, data: bytes, *, file_path: str | None = None) -> str:
        """Register bytes for getFile and download; return the file_path."""
        path = file_path or f"documents/file_{next(self._file_counter)}"
        self._files[file_id] = _StoredFile(file_id, data, path, f"u-{file_id}")
        self._file_paths[path] = file_id
        return path

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with this error."""
        self._faults[method].append(_Fault(error_code, description, retry_after, times))

    def delay(self, method: str, seconds: float | None) -> None:
        """Hold every answer to `method` for `seconds` (None or 0 removes the delay)."""
        if seconds:
            self._delays[method] = seconds
        else:
            self._delays.pop(method, None)

    def clear(self) -> None:
        """Forget the transcript, counters and queued faults (not updates, files or messages)."""
        self.calls.clear()
        self.unknown_calls.clear()
        self.rejected_calls.clear()
        self.rate_limit_violations = 0
        self.delivered_per_chat.clear()
        self._faults.clear()
        self._sent_overall.clear()
        self._sent_per_chat.clear()

    # ----------------------------------------------------------------- transcript queries

    def calls_to(self, method: str) -> list[Call]:
        """Return the calls to `method`, oldest first."""
        return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        """Return the latest call to `method`; raise LookupError if there was none."""
        for call in reversed(self.calls):
            if call.method == method:
                return call
        called = sorted({call.method for call in self.calls})
        raise LookupError(f"no call to {method}; called: {called}")

    def messages_to(self, chat_id: int | str) -> list[Call]:
        """Return the successful sendMessage/sendPhoto/sendDocument calls to `chat_id`."""
        return [
            call
            for call in self.calls
            if call.method in SEND_METHODS
            and call.error_code is None
            and str(call.params.get("chat_id")) == str(chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5,  # noqa: ASYNC109 - a test helper; bounding the wait is its point
    ) -> list[Call]:
        """Wait until `method` has been called `count` times in total; return those calls.

        Raises:
            TimeoutError: with the methods seen so far, when `timeout` seconds pass first.
        """
        if not await self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout):
            seen = [call.method for call in self.calls]
            raise TimeoutError(
                f"{method} called {len(self.calls_to(method))}/{count} times; calls: {seen}"
            )
        return self.calls_to(method)[:count]

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = 5,  # noqa: ASYNC109
    ) -> bool:
        """Wait until `condition()` holds, re-checking after every request, pushed update or
        change of `polls_waiting`; return False if `timeout` seconds pass first."""
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True

    # ----------------------------------------------------------------- HTTP layer

    async def _handle_method(self, request: web.Request) -> web.Response:
        arrived = self.clock()
        if request.match_info["token"] != self.token:
            self.unauthorized_requests += 1
            return _error_response(ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized"))
        params, files = await _read_params(request)
        name = request.match_info["method"]
        method = self._methods_by_lower.get(name.lower(), name)
        call = Call(method, params, files, arrived)
        try:
            result = await self._answer(call)
        except ApiError as error:
            call.error_code = error.error_code
            self._record(call)
            await self._hold(method)
            return _error_response(error)
        call.result = result
        self._record(call)
        await self._hold(method)
        return web.json_response({"ok": True, "result": result})

    async def _answer(self, call: Call) -> Any:
        handler = self._handlers.get(call.method)
        if handler is None:
            self.unknown_calls.append(call)
            raise ApiError(HTTPStatus.NOT_FOUND, f"Not Found: method {call.method}")
        faults = self._faults.get(call.method)
        if faults:
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.popleft()
            raise ApiError(fault.error_code, fault.description, fault.retry_after)
        if self.rate_limit and call.method in SEND_METHODS:
            self._check_rate(_require(call.params, "chat_id"))
        try:
            _check_reply_markup(call.params)
            result = handler(call.params, call.files)
        except ApiError as error:
            # The bot sent something Telegram refuses (not a fault a test injected).
            if error.error_code == HTTPStatus.BAD_REQUEST:
                self.rejected_calls.append(call)
            raise
        if asyncio.iscoroutine(result):
            result = await result
        if call.method in SEND_METHODS:
            self.delivered_per_chat[call.params["chat_id"]] += 1
        return result

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._notify()

    async def _hold(self, method: str) -> None:
        seconds = self._delays.get(method)
        if seconds:
            await self.wait_until(lambda: self._closing, seconds)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.unauthorized_requests += 1
            return _error_response(ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized"))
        file_id = self._file_paths.get(request.match_info["file_path"])
        if file_id is None:
            return _error_response(ApiError(HTTPStatus.NOT_FOUND, "Not Found"))
        return web.Response(body=self._files[file_id].data)

    async def _handle_stats(self, request: web.Request) -> web.Response:
        """Report counters to a benchmark running in another process."""
        return web.json_response(
            {
                "calls": dict(Counter(call.method for call in self.calls)),
                "rate_limit_violations": self.rate_limit_violations,
                "delivered_per_chat": {str(k): v for k, v in self.delivered_per_chat.items()},
                "unknown_calls": [call.method for call in self.unknown_calls],
            }
        )

    async def _handle_push(self, request: web.Request) -> web.Response:
        """Queue one update (or a list of them) sent by another process."""
        body = await request.json()
        pushed = [self.push_update(update) for update in _as_list(body)]
        return web.json_response({"ok": True, "result": [u["update_id"] for u in pushed]})

    # ----------------------------------------------------------------- rate limiting

    def _check_rate(self, chat_id: int | str) -> None:
        now = self.clock()
        overall = self._sent_overall
        chat = self._sent_per_chat[chat_id]
        for window in (overall, chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        for window, allowed in (
            (overall, self.overall_per_second),
            (chat, self.per_chat_per_second),
        ):
            if len(window) >= allowed:
                self.rate_limit_violations += 1
                retry_after = max(1, math.ceil(window[0] + 1.0 - now))
                raise ApiError(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    f"Too Many Requests: retry after {retry_after}",
                    retry_after,
                )
        overall.append(now)
        chat.append(now)

    # ----------------------------------------------------------------- method handlers

    def _bot_user(self) -> Json:
        return {
            "id": int(self.token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Fake Bot",
            "username": self.bot_username,
        }

    def _true(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        return True

    def _get_me(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: Json, files: dict[str, UploadedFile]) -> list[Json]:
        if self._webhook_url:
            raise ApiError(
                HTTPStatus.CONFLICT,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        # An offset confirms every update below it; a negative one keeps only the last -offset.
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        if timeout > 0 and not self._updates and not self._closing:
            self.polls_waiting += 1
            self._notify()
            try:
                await self.wait_until(lambda: bool(self._updates) or self._closing, timeout)
            finally:
                self.polls_waiting -= 1
        return list(self._updates[:limit])

    def _chat(self, chat_id: Any) -> Json:
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Budi"}
        if isinstance(chat_id, int):
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            return {"id": chat_id, "type": kind, "title": "Grup Uji"}
        return {"id": -1001, "type": "channel", "title": "Kanal Uji", "username": str(chat_id)}

    def _new_message(self, chat_id: Any, params: Json, **content: Any) -> Json:
        message: Json = {
            "message_id": next(self._message_ids[chat_id]),
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        markup = params.get("reply_markup")
        # Telegram echoes only inline keyboards back in the sent message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _send_message(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        text = params.get("text")
        if not text:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message text is empty")
        if len(text) > 4096:  # https://core.telegram.org/bots/api#sendmessage
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message is too long")
        return self._new_message(_require(params, "chat_id"), params, text=text)

    def _stored_message(self, params: Json) -> tuple[tuple[int | str, int], Json]:
        chat_id = _require(params, "chat_id")
        message_id = int(_require(params, "message_id"))
        key = (chat_id, message_id)
        # Lenient: a message the fake never sent (e.g. from a built callback update) is created.
        message = self._messages.get(key) or {
            "message_id": message_id,
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        return key, message

    def _edit(self, params: Json, **changes: Any) -> Json | bool:
        if "inline_message_id" in params:
            return True
        key, old = self._stored_message(params)
        new = {k: v for k, v in old.items() if k != "reply_markup"}
        new.update(changes)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        if key in self._messages and {**new, "edit_date": 0} == {**old, "edit_date": 0}:
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        new["edit_date"] = int(time.time())
        self._messages[key] = new
        return new

    def _edit_message_text(self, params: Json, files: dict[str, UploadedFile]) -> Json | bool:
        return self._edit(params, text=_require(params, "text"))

    def _edit_message_reply_markup(
        self, params: Json, files: dict[str, UploadedFile]
    ) -> Json | bool:
        return self._edit(params)

    def _delete_message(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        self._messages.pop(
            (_require(params, "chat_id"), int(_require(params, "message_id"))), None
        )
        return True

    def _stored_upload(
        self, field_name: str, params: Json, files: dict[str, UploadedFile]
    ) -> Json:
        """Register an uploaded file (or look up a file_id the bot re-sends) and describe it."""
        upload = files.get(field_name)
        if upload is None:
            ref = str(params.get(field_name, ""))
            if ref.startswith("attach://"):
                upload = files.get(ref.removeprefix("attach://"))
        if upload is None:
            ref = _require(params, field_name)
            known = self._files.get(str(ref))
            size = len(known.data) if known else 0
            return {"file_id": str(ref), "file_unique_id": f"u-{ref}", "file_size": size}
        file_id = f"{field_name}-{next(self._file_counter)}"
        self.add_file(file_id, upload.data, file_path=f"{field_name}s/{file_id}")
        info: Json = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": upload.size,
        }
        if upload.filename:
            info["file_name"] = upload.filename
        info["mime_type"] = upload.mime_type
        return info

    def _send_photo(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        info = self._stored_upload("photo", params, files)
        size = {k: info[k] for k in ("file_id", "file_unique_id", "file_size")}
        content: Json = {"photo": [{**size, "width": 320, "height": 320}]}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(_require(params, "chat_id"), params, **content)

    def _send_document(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        content: Json = {"document": self._stored_upload("document", params, files)}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(_require(params, "chat_id"), params, **content)

    @staticmethod
    def _commands_key(params: Json) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        self._commands[self._commands_key(params)] = list(_require(params, "commands"))
        return True

    def _get_my_commands(self, params: Json, files: dict[str, UploadedFile]) -> list[Json]:
        return self._commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_webhook(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        self._webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _delete_webhook(self, params: Json, files: dict[str, UploadedFile]) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _get_file(self, params: Json, files: dict[str, UploadedFile]) -> Json:
        stored = self._files.get(str(_require(params, "file_id")))
        if stored is None:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


# --------------------------------------------------------------------- request decoding


def _decode(name: str, raw: str) -> Any:
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw  # a plain string such as "@channel" or "HTML"


async def _read_params(request: web.Request) -> tuple[Json, dict[str, UploadedFile]]:
    params: Json = {name: _decode(name, value) for name, value in request.query.items()}
    files: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            files[name] = UploadedFile(name, value.filename, value.content_type, value.file.read())
        elif isinstance(value, str):
            params[name] = _decode(name, value)
        else:
            params[name] = _decode(name, bytes(value).decode())
    return params, files


def _check_reply_markup(params: Json) -> None:
    """Refuse an inline keyboard without buttons, as Telegram does."""
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not rows or not all(rows):
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: inline keyboard expected")


def _require(params: Json, name: str) -> Any:
    if name not in params:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {name} is empty")
    return params[name]


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.payload(), status=error.error_code)


def _as_list(body: Any) -> list[Json]:
    return body if isinstance(body, list) else [body]


# --------------------------------------------------------------------- separate process


async def serve(port: int = 0, **kw: Any) -> None:
    """Serve a FakeBotAPI until cancelled, printing its port first (for benchmarks)."""
    async with FakeBotAPI(port=port, **kw) as api:
        print(api.port, flush=True)  # the parent process reads this line
        await asyncio.Event().wait()


def main() -> None:
    """Run `python -m tests.fakes.bot_api [--port N] [--token T] [--rate-limit]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="123:TEST")
    parser.add_argument("--rate-limit", action="store_true")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, token=args.token, rate_limit=args.rate_limit))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
