"""One structured log line per update: update id, hashed user, handler, latency; no text."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import Application

log = logging.getLogger("bot.updates")


@dataclass(slots=True)
class UpdateRecord:
    """What the instrumented handlers learn about the update being processed."""

    handler: str | None = None
    error: str | None = None


_current: ContextVar[UpdateRecord | None] = ContextVar("bot_update_record", default=None)


def user_hash(user_id: int, salt: str) -> str:
    """A short stable pseudonym for a Telegram user id (the raw id never goes to the log)."""
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:12]


def bot_id_salt(token: str) -> str:
    """The bot id part of the token (before the colon): stable across token rotation."""
    return token.split(":", 1)[0]


async def observe(update: object, coroutine: Awaitable[Any], *, salt: str) -> None:
    """Await the update's processing and log one INFO line about it, whatever happens."""
    record = UpdateRecord()
    reset = _current.set(record)
    started = time.perf_counter()
    outcome = "ok"
    try:
        await coroutine
    except BaseException as exc:
        outcome = "error"
        record.error = record.error or type(exc).__name__
        raise
    finally:
        _current.reset(reset)
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if record.error is not None:
            outcome = "error"
        update_id = update.update_id if isinstance(update, Update) else None
        user = update.effective_user if isinstance(update, Update) else None
        hashed = user_hash(user.id, salt) if user is not None else None
        handler = record.handler or "-"
        log.info(
            "update %s user=%s handler=%s latency_ms=%s outcome=%s",
            update_id,
            hashed,
            handler,
            latency_ms,
            outcome,
            extra={
                "update_id": update_id,
                "user": hashed,
                "handler": handler,
                "latency_ms": latency_ms,
                "outcome": outcome,
                "error": record.error,
            },
        )


def _name(callback: Callable[..., Any]) -> str:
    module = getattr(callback, "__module__", "") or ""
    return f"{module.removeprefix('bot.handlers.')}.{getattr(callback, '__qualname__', '?')}"


Callback = Callable[[Any, Any], Coroutine[Any, Any, Any]]


def _named(callback: Callable[..., Awaitable[Any]], name: str) -> Callback:
    @wraps(callback)
    async def wrapper(update: object, context: Any) -> Any:
        record = _current.get()
        if record is not None:
            record.handler = name
        return await callback(update, context)

    wrapper.__instrumented__ = True  # type: ignore[attr-defined]
    return wrapper


def _noting_error(callback: Callable[..., Awaitable[Any]]) -> Callback:
    @wraps(callback)
    async def wrapper(update: object, context: Any) -> Any:
        record = _current.get()
        if record is not None:
            record.error = type(context.error).__name__
        return await callback(update, context)

    wrapper.__instrumented__ = True  # type: ignore[attr-defined]
    return wrapper


def _done(callback: object) -> bool:
    return bool(getattr(callback, "__instrumented__", False))


def instrument(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    skip_groups: frozenset[int] = frozenset({-1}),
) -> None:
    """Make every handler name itself (pre-filter groups excepted) and errors mark the record.

    Call after every handler and error handler is registered; calling again only wraps
    what was added since.
    """
    for group, handlers in app.handlers.items():
        if group in skip_groups:
            continue
        for handler in handlers:
            callback = getattr(handler, "callback", None)
            if callback is not None and not _done(callback):
                handler.callback = _named(callback, _name(callback))
    for callback, block in list(app.error_handlers.items()):
        if _done(callback):
            continue
        app.remove_error_handler(callback)
        app.add_error_handler(_noting_error(callback), block=block)
