"""The reminder sweep: a JobQueue tick plans into the outbox; a paced background sender drains it.

Telegram allows about 30 messages per second overall and about one per second to one private
chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
python-telegram-bot's AIORateLimiter enforces the overall rate but does not space private chats,
and on a 429 it pauses *every* request, interactive replies included. So bulk sends are paced
here, below the overall limit (26/s by default, leaving headroom for replies), at least one
second apart per chat, concurrently but bounded, in a task of their own: update processing never
waits behind a batch. A 429 on a bulk send is not retried by the limiter (see
`BulkAwareRateLimiter`); the row goes back to the outbox with Telegram's retry_after instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, Application, ContextTypes

from bot.handlers import broadcast_render
from bot.handlers import reminders_render as render
from bot.i18n import Catalogs
from bot.services.reminders import (
    OUTBOX_STATUSES,
    REQUEST_START,
    Notifier,
    OutgoingMessage,
    Recovery,
    ReminderService,
    SendResult,
    SendStatus,
)

log = logging.getLogger(__name__)

TICK_SECONDS = 30
BULK = -1  # rate_limit_args marking a bulk send: never retried (nor stalling others) on a 429
DISPATCHER_KEY = "reminder_dispatcher"
# Requests that put a new message in a chat (what Telegram's 30/s counts); edits and
# answerCallbackQuery are left to AIORateLimiter alone.
SENDING_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendLocation",
        "forwardMessage",
        "copyMessage",
    }
)


class NotStarted(Exception):  # noqa: N818 - a signal, not an error
    """The outbox row was no longer this sender's at its turn: the request was not made."""


async def _request_starts() -> None:
    """Run the sender's REQUEST_START hook (once) right before an HTTP request leaves."""
    start = REQUEST_START.get()
    if start is None:
        return
    REQUEST_START.set(None)
    if not await start():
        raise NotStarted


class SlidingWindow:
    """At most `limit` requests *arriving* at Telegram in any `period` seconds.

    We cannot see when Telegram stamps a request, only that it happens between the moment we
    start sending it and the moment its answer is back; a busy event loop or network can bunch
    requests that left here evenly spaced. So a request counts from its start until `period`
    after its answer came back, and a new one may start only while fewer than `limit` are
    counted. Then any `period` seconds see at most `limit` arrivals, whatever the delays: of the
    requests arriving in one period, the last to start found all the others either in flight
    or answered less than `period` before it started. The price is a little throughput
    (limit / (period + latency)).

    An `urgent` request (a reply to someone waiting) goes first: others do not take a free slot
    while an urgent one is waiting for it.
    """

    def __init__(
        self,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._in_flight = 0
        self._ended: deque[float] = deque()  # answer times within the last period, in order
        self._released = asyncio.Event()
        self._urgent_waiting = 0

    def counted(self) -> int:
        """Requests in flight plus those answered within the last period."""
        now = self._clock()
        while self._ended and self._ended[0] <= now - self.period:
            self._ended.popleft()
        return self._in_flight + len(self._ended)

    @contextlib.asynccontextmanager
    async def slot(self, limit: int, *, urgent: bool = False) -> AsyncIterator[None]:
        """Wait for room under `limit`, hold it while the request runs, count it a period more."""
        await self._acquire(limit, urgent)
        try:
            yield
        finally:
            self._in_flight -= 1
            self._ended.append(self._clock())
            self._released.set()

    async def _acquire(self, limit: int, urgent: bool) -> None:
        if urgent:
            self._urgent_waiting += 1
        try:
            while True:
                counted = self.counted()
                if counted < limit and (urgent or not self._urgent_waiting):
                    self._in_flight += 1
                    return
                if counted < limit:  # yield the free slot to the urgent waiter
                    await self._sleep(0.005)
                elif self._ended and len(self._ended) > counted - limit:
                    # Enough answered requests will age out: wait for the one that frees room.
                    oldest = self._ended[counted - limit]
                    await self._sleep(oldest + self.period - self._clock() + 0.001)
                else:  # everything counted is in flight: wait for an answer
                    self._released.clear()
                    await self._released.wait()
        finally:
            if urgent:
                self._urgent_waiting -= 1


class ChatSpacing:
    """One request at a time per chat, the next starting `period` after the last one's answer.

    Telegram allows about one message a second to one private chat and, as for the overall
    window, counts arrivals we cannot see: so spacing runs from the previous answer, not from
    the previous start. Replies are noted (`begin`/`end`) but never made to wait; bulk sends wait.
    """

    def __init__(
        self,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._busy: Counter[int | str] = Counter()
        self._last: dict[int | str, float] = {}

    async def wait(self, chat: int | str) -> None:
        """Return when a request to `chat` may start; call `begin` right after (no await)."""
        while True:
            if self._busy[chat]:
                await self._sleep(self.period / 10)
                continue
            ready = self._last.get(chat, -math.inf) + self.period
            now = self._clock()
            if ready <= now:
                return
            await self._sleep(ready - now + 0.001)

    def begin(self, chat: int | str) -> None:
        """A request to `chat` starts."""
        self._busy[chat] += 1

    def end(self, chat: int | str) -> None:
        """Its answer is back (or it failed)."""
        self._busy[chat] -= 1
        if not self._busy[chat]:
            del self._busy[chat]
        now = self._clock()
        self._last[chat] = now
        if len(self._last) > 50_000:
            self._last = {c: t for c, t in self._last.items() if t > now - self.period}


class BulkAwareRateLimiter(AIORateLimiter):
    """AIORateLimiter with arrival-safe one-second windows over every message sent.

    All messages together stay at or below TOTAL_CEILING arrivals a second and bulk sends alone
    at or below BULK_CEILING (see `SlidingWindow`: counted from start to a second after the
    answer, so delays on the way cannot bunch them at Telegram's end); bulk sends to one chat
    are spaced a second apart from the previous answer (`ChatSpacing`). A reply takes the next
    free slot before any bulk send does (it never waits behind a batch) and the total keeps a
    slot under Telegram's 30/s for it. A bulk 429 is not retried here (the row goes back to the
    outbox with its retry_after) so it never makes the limiter hold every other request.
    """

    TOTAL_CEILING = 29
    BULK_CEILING = 28

    def __init__(
        self,
        *args: Any,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window = SlidingWindow(clock=clock, sleep=sleep)
        self.bulk_window = SlidingWindow(clock=clock, sleep=sleep)
        self.chats = ChatSpacing(clock=clock, sleep=sleep)

    async def process_request(
        self,
        callback: Callable[..., Any],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        bulk = rate_limit_args == BULK
        chat = data.get("chat_id")
        if bulk or (chat is not None and endpoint in SENDING_ENDPOINTS):
            # Taken last, right before the HTTP request, so waiting in AIORateLimiter's own
            # limiter cannot bunch requests after their slot in the window was counted.
            inner = callback

            async def callback(*call_args: Any, **call_kwargs: Any) -> Any:
                if chat is not None:
                    if bulk:
                        await self.chats.wait(chat)
                    self.chats.begin(chat)
                try:
                    async with contextlib.AsyncExitStack() as slots:
                        if bulk:
                            await slots.enter_async_context(
                                self.bulk_window.slot(self.BULK_CEILING)
                            )
                        await slots.enter_async_context(
                            self.window.slot(self.TOTAL_CEILING, urgent=not bulk)
                        )
                        if bulk:
                            # Our turn: the outbox row is marked "sending" (committed) now and
                            # not earlier, so a crash while waiting above loses nothing.
                            await _request_starts()
                        return await inner(*call_args, **call_kwargs)
                finally:
                    if chat is not None:
                        self.chats.end(chat)

        if bulk:
            return await self._run_request(
                chat=True,
                group=False,
                allow_paid_broadcast=False,
                callback=callback,
                args=args,
                kwargs=kwargs,
            )
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


class TelegramNotifier:
    """Words an outbox message in the person's language and sends it with the bot."""

    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self._bot = bot
        self._catalogs = catalogs

    async def send(self, message: OutgoingMessage) -> SendResult:
        """Send; map Telegram's answer to a SendResult (never raises for Telegram errors)."""
        _ = self._catalogs.for_locale(message.language)
        extra: dict[str, Any] = {}
        if isinstance(getattr(self._bot, "rate_limiter", None), BulkAwareRateLimiter):
            # The limiter calls REQUEST_START after the wait for our turn, right before the
            # HTTP request (a bulk send).
            extra["rate_limit_args"] = BULK
        else:
            try:
                await _request_starts()
            except NotStarted:
                return SendResult(SendStatus.NOT_STARTED)
        if message.broadcast_text is not None:
            text, markup = broadcast_render.announcement(_, message.broadcast_text), None
        else:
            text = render.reminder_text(_, message)
            markup = render.reminder_keyboard(_, message)
        try:
            sent = await self._bot.send_message(
                message.chat_id, text, parse_mode="HTML", reply_markup=markup, **extra
            )
        except NotStarted:
            return SendResult(SendStatus.NOT_STARTED)
        except RetryAfter as exc:
            seconds = exc._retry_after.total_seconds()  # noqa: SLF001 - avoids a deprecation
            return SendResult(SendStatus.RETRY_AFTER, retry_after=seconds, error=str(exc))
        except TimedOut as exc:  # before NetworkError: TimedOut is one
            return SendResult(SendStatus.TIMED_OUT, error=str(exc))
        except Forbidden as exc:
            return SendResult(SendStatus.FORBIDDEN, error=str(exc))
        except BadRequest as exc:  # before NetworkError: BadRequest is one too
            return SendResult(SendStatus.FAILED, error=str(exc))
        except NetworkError as exc:
            return SendResult(SendStatus.NETWORK, error=str(exc))
        except TelegramError as exc:
            return SendResult(SendStatus.FAILED, error=str(exc))
        return SendResult(SendStatus.SENT, message_id=sent.message_id)


class Pacer:
    """Token bucket for the overall rate plus a minimum spacing per chat.

    `wait(chat)` returns when one message to `chat` may go out. Reservations are made before
    sleeping, so concurrent waiters for one chat queue up one interval apart.
    """

    def __init__(
        self,
        rate: float,
        *,
        per_chat: float = 1.1,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.per_chat = per_chat
        self._burst = max(1.0, burst)
        self._clock = clock
        self._sleep = sleep
        self._next_overall = 0.0
        self._next_chat: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        """Wait for this chat's next slot, then for the next overall slot."""
        now = self._clock()
        chat_at = max(self._next_chat.get(chat_id, 0.0), now)
        self._next_chat[chat_id] = chat_at + self.per_chat
        if len(self._next_chat) > 50_000:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        if chat_at > now:
            await self._sleep(chat_at - now)
            now = self._clock()
        slot = max(self._next_overall, now - (self._burst - 1) / self.rate)
        self._next_overall = slot + 1 / self.rate
        if slot > now:
            await self._sleep(slot - now)


class Dispatcher:
    """Drains the outbox in the background: claim small batches, send paced and bounded."""

    def __init__(
        self,
        service: ReminderService,
        notifier: Notifier,
        pacer: Pacer,
        *,
        batch: int = 10,
        concurrency: int = 16,
    ) -> None:
        self.service = service
        self.notifier = notifier
        self.pacer = pacer
        self.batch = batch
        self.concurrency = concurrency
        self._task: asyncio.Task[int] | None = None
        self._stopping = False
        self._recovered = False
        self.sent_total = 0

    async def start_up(self) -> Recovery:
        """Once per process: settle the rows the last stop left claimed or in flight.

        Never-started rows go back to pending (and are sent by the drain that follows, not at
        the next planning); rows whose request had started become "unknown". One log line says
        how many of each, with the outbox counts per status.
        """
        if self._recovered:
            return Recovery()
        self._recovered = True
        recovery = await self.service.recover()
        counts = await self.service.outbox_counts()
        log.log(
            logging.WARNING if recovery.unknown else logging.INFO,
            "outbox recovery at start-up: %d claimed but never sent, back to pending; "
            "%d in flight at the last stop, recorded as unknown and not resent; outbox: %s",
            recovery.requeued,
            recovery.unknown,
            format_counts(counts),
            extra={
                "outbox_requeued": recovery.requeued,
                "outbox_unknown": recovery.unknown,
                "outbox": counts,
            },
        )
        return recovery

    def wake(self) -> None:
        """Start draining in the background unless a drain is already running."""
        if self._stopping or (self._task is not None and not self._task.done()):
            return
        # A fresh context: woken from a handler, the dispatch must not inherit that update's
        # processed-id tracking (its commits are not the update's effects).
        self._task = asyncio.create_task(
            self._background(), name="reminder-dispatch", context=contextvars.Context()
        )

    async def _background(self) -> int:
        handled = await self.drain(wait_for_retries=True)
        if handled:
            counts = await self.service.outbox_counts()
            log.info(
                "reminder dispatch: %d message(s) handled; outbox: %s",
                handled,
                format_counts(counts),
                extra={"handled": handled, "outbox": counts},
            )
        return handled

    async def drain(self, *, wait_for_retries: bool = False) -> int:
        """Send every due outbox row; return how many rows were handled.

        With `wait_for_retries` (the background task) rows put back by a 429 or a network
        error are waited for when they are due before the next sweep, instead of at it.
        """
        semaphore = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        handled = 0
        while not self._stopping:
            messages = await self.service.claim(self.batch)
            if not messages:
                if tasks:  # their outcome may put rows back soon
                    await asyncio.gather(*tasks, return_exceptions=True)
                    continue
                delay = await self.service.next_attempt_in() if wait_for_retries else None
                if delay is None or delay > TICK_SECONDS:
                    break
                await asyncio.sleep(delay)
                continue
            for message in messages:
                await semaphore.acquire()
                task = asyncio.create_task(self._send(message, semaphore))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                handled += 1
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        return handled

    async def _send(self, message: OutgoingMessage, semaphore: asyncio.Semaphore) -> None:
        try:
            await self.pacer.wait(message.chat_id)
            # The notifier marks the row "sending" once its request really starts.
            token = REQUEST_START.set(partial(self.service.start_request, message.outbox_id))
            try:
                result = await self.notifier.send(message)
            finally:
                REQUEST_START.reset(token)
            await self.service.record(message.outbox_id, result)
            if result.status is SendStatus.SENT:
                self.sent_total += 1
        except Exception as exc:
            # Never started: "failed"; started: "unknown" (Telegram may have it), not resent.
            log.exception("sending reminder outbox row %s failed", message.outbox_id)
            with contextlib.suppress(Exception):
                await self.service.abort(message.outbox_id, repr(exc))
        finally:
            semaphore.release()

    async def stop(self, timeout: float = 3.0) -> None:  # noqa: ASYNC109
        """Stop claiming; give in-flight sends `timeout` seconds, then cancel them."""
        self._stopping = True
        task = self._task
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def format_counts(counts: dict[str, int]) -> str:
    """Outbox counts per status for a log line, in lifecycle order ("pending=3 sent=120")."""
    order = [s for s in OUTBOX_STATUSES if s in counts] + sorted(
        set(counts) - set(OUTBOX_STATUSES)
    )
    return " ".join(f"{status}={counts[status]}" for status in order) or "empty"


def dispatcher(app: Application[Any, Any, Any, Any, Any, Any]) -> Dispatcher:
    """The application's dispatcher."""
    return app.bot_data[DISPATCHER_KEY]  # type: ignore[no-any-return]


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every TICK_SECONDS and at start-up: recover once, plan, then wake the sender."""
    sender = dispatcher(context.application)
    await sender.start_up()
    result = await sender.service.tick()
    if result.messages or result.skipped or result.abandoned or result.requeued:
        log.info(
            "reminder sweep: %d reminder(s), %d escalation(s) in %d message(s); "
            "%d skipped; expired leases: %d back to pending, %d unknown",
            result.reminders,
            result.escalations,
            result.messages,
            result.skipped,
            result.requeued,
            result.abandoned,
            extra={"outbox_requeued": result.requeued, "outbox_unknown": result.abandoned},
        )
    sender.wake()


def register(app: Application[Any, Any, Any, Any, Any, Any], *, rate: float = 26) -> None:
    """Create the dispatcher and the repeating sweep (first run right after start-up)."""
    services = app.bot_data["services"]
    app.bot_data[DISPATCHER_KEY] = Dispatcher(
        services.reminders, TelegramNotifier(app.bot, app.bot_data["catalogs"]), Pacer(rate)
    )
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            tick,
            interval=TICK_SECONDS,
            first=0.5,
            name="reminders",
            job_kwargs={"max_instances": 1, "coalesce": True},
        )


async def stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Application post_stop: let in-flight sends finish briefly, claim nothing new."""
    sender = app.bot_data.get(DISPATCHER_KEY)
    if sender is not None:
        await sender.stop()
