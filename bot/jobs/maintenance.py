"""Housekeeping jobs: forget processed update ids once Telegram can no longer redeliver them."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

log = logging.getLogger(__name__)
PRUNE_JOB = "prune-processed-updates"
PRUNE_EVERY = timedelta(hours=1)


async def prune_updates(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Delete processed update ids older than the redelivery window (MemberService decides)."""
    removed = await context.application.bot_data["services"].members.prune_updates()
    log.info("pruned %d processed update id(s)", removed, extra={"pruned": removed})


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Schedule the hourly prune (first run a minute after start)."""
    if app.job_queue is None:
        log.warning("no job queue (install python-telegram-bot[job-queue]); updates not pruned")
        return
    app.job_queue.run_repeating(
        prune_updates, interval=PRUNE_EVERY, first=timedelta(minutes=1), name=PRUNE_JOB
    )
