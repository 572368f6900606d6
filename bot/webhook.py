"""Webhook mode (edge layer): an aiohttp server feeding PTB's update queue, plus GET /healthz.

PTB's own webhook server (tornado) cannot serve extra routes, so this follows PTB's
documented custom-webhook approach (examples/customwebhookbot.py): the web framework receives
the POST, checks the secret token and puts the Update on `application.update_queue`; the
Application started with `start()` (no updater) processes it like a polled update.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.services.container import Services
from bot.services.health import database_ok

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
HEALTH_PATH = "/healthz"
# Connections still open after this many seconds are closed when stopping.
SHUTDOWN_GRACE = 2.0
PTBApp = Application[Any, Any, Any, Any, Any, Any]
APP_KEY = web.AppKey("ptb_application", Application)
SETTINGS_KEY = web.AppKey("bot_settings", Settings)


class WebhookConfigError(Exception):
    """Webhook mode is asked for but not configured; the message is one operator line."""


def webhook_path(url: str) -> str:
    """The local path to serve: the path of the public URL (the proxy passes it through)."""
    return urlsplit(url).path or "/"


def check_settings(settings: Settings) -> tuple[str, str]:
    """Return (public url, secret) or raise WebhookConfigError naming what to set."""
    if not settings.webhook_url:
        raise WebhookConfigError(
            "BOT_WEBHOOK_URL is not set: set it to the public https:// address of this bot "
            "(e.g. https://bot.example.go.id/telegram), or run without --webhook for polling"
        )
    if settings.webhook_secret is None:
        raise WebhookConfigError(
            "BOT_WEBHOOK_SECRET is not set: choose a random string of A-Z a-z 0-9 _ - "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return settings.webhook_url, settings.webhook_secret.get_secret_value()


def build_web_app(application: PTBApp, settings: Settings) -> web.Application:
    """The aiohttp application: POST <webhook path> for Telegram, GET /healthz for operators."""
    url, secret = check_settings(settings)
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), expected):
            # Never log the header's value: a near miss would leak most of the secret.
            log.warning(
                "webhook: refused a request from %s (%s secret token)",
                request.remote,
                "missing" if given is None else "wrong",
                extra={"remote": request.remote, "refused": "secret"},
            )
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("webhook: ignored a malformed update (%s)", type(exc).__name__)
            return web.Response(status=400, text="bad update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    async def health(request: web.Request) -> web.Response:
        report = await health_report(application)
        return web.json_response(report, status=200 if report["ok"] else 503)

    web_app = web.Application()
    web_app[APP_KEY] = application
    web_app[SETTINGS_KEY] = settings
    web_app.router.add_post(webhook_path(url), receive)
    web_app.router.add_get(HEALTH_PATH, health)
    return web_app


async def health_report(application: PTBApp) -> dict[str, Any]:
    """Database reachable, content loaded (with its version), job queue and update loop alive."""
    services: Services | None = application.bot_data.get("services")
    database = services is not None and await database_ok(services.engine)
    content = services is not None and services.content is not None
    job_queue = application.job_queue
    scheduler = job_queue is not None and bool(job_queue.scheduler.running)
    report: dict[str, Any] = {
        "database": database,
        "content": content,
        "content_version": services.content.version if content and services else None,
        "scheduler": scheduler,
        "updates": application.running,
    }
    report["ok"] = all(report[k] for k in ("database", "content", "scheduler", "updates"))
    return report


class WebhookServer:
    """Starts the Application and the web server together; stops both within a few seconds."""

    def __init__(
        self, application: PTBApp, settings: Settings, *, port: int | None = None
    ) -> None:
        self.application = application
        self.settings = settings
        self._url, self._secret = check_settings(settings)
        self._port = settings.webhook_port if port is None else port
        self._runner: web.AppRunner | None = None
        self._initialized = False

    @property
    def port(self) -> int:
        """The port actually bound (useful when started on port 0)."""
        if self._runner is None or not self._runner.addresses:
            raise RuntimeError("server not started")
        return int(self._runner.addresses[0][1])

    async def start(self, *, allowed_updates: list[str] | None = None) -> None:
        """Initialize the bot, register the webhook with Telegram, start processing and serving."""
        app = self.application
        await app.initialize()
        self._initialized = True
        if app.post_init is not None:
            await app.post_init(app)
        # Pending updates are kept: Telegram delivers them to the new webhook.
        await app.bot.set_webhook(
            self._url,
            secret_token=self._secret,
            allowed_updates=allowed_updates,
            drop_pending_updates=False,
        )
        await app.start()
        self._runner = web.AppRunner(
            build_web_app(app, self.settings), access_log=None, shutdown_timeout=SHUTDOWN_GRACE
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.webhook_listen, self._port)
        await site.start()
        log.info(
            "webhook: listening on %s:%d%s, health at %s",
            self.settings.webhook_listen,
            self.port,
            webhook_path(self._url),
            HEALTH_PATH,
        )

    async def stop(self) -> None:
        """Stop serving, finish queued updates, shut the bot down (the webhook stays registered:
        another process behind the same proxy may still be serving it)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            log.debug("webhook: web server closed")
        app = self.application
        if app.running:
            await app.stop()
        if self._initialized:
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            self._initialized = False
        log.debug("webhook: application shut down")


async def serve_until_signalled(
    server: WebhookServer, *, allowed_updates: list[str] | None = None
) -> None:
    """Run the server until SIGINT or SIGTERM, then stop it cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start(allowed_updates=allowed_updates)
        await stop.wait()
        log.info("webhook: stopping")
    finally:
        await server.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
