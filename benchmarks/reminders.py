"""Benchmark: dispatch reminders to N people through a rate-limited fake Bot API.

Usage (from the repository root)::

    python -m benchmarks.reminders [--recipients 10000] [--questions-per-second 1] [--json]

The fake Telegram server runs in its own process (``python -m tests.fakes.bot_api --rate-limit``)
and answers 429 with retry_after when more than 30 messages per second overall or more than one
per second to one chat arrive. The bot runs in this process exactly as `python -m bot run` builds
it (services, Application, AIORateLimiter, the JobQueue sweep and the paced sender) on a fresh
SQLite database, with the real clock, at a lower CPU priority than the fake (see `run`). While
the reminders go out, other users send commands and questions; each one's latency is measured
from the moment the update is queued until its reply has been sent.

Figures:
    msgs_per_s      reminders delivered / time from the first to the last delivery
    ratio_to_30     msgs_per_s / 30 (Telegram's overall limit); target >= 0.85
    violations      429 answers the fake gave (target 0)
    duplicates      recipients who got the reminder more than once (target 0)
    missing         recipients who never got it (target 0)
    reply_p50/p99   seconds from a question arriving to its reply being sent (target p99 <= 2)
    plan_seconds    time of the sweep that planned the N reminders into the outbox
    peak_rss_mb     peak resident memory of the bot process
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH"
FIRST_RECIPIENT = 1_000_000
FIRST_ASKER = 2_000_000


def _stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_fake/stats", timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read())  # type: ignore[no-any-return]


async def _start_fake() -> tuple[asyncio.subprocess.Process, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.bot_api",
        "--rate-limit",
        "--token",
        TOKEN,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    port = int((await process.stdout.readline()).decode().strip())
    return process, port


async def _prepare(settings: Any, recipients: int, askers: int, now: datetime) -> None:
    """Users and one deadline whose reminder is due right now for every recipient."""
    from bot.app import build_services
    from bot.db.models import UserRow
    from bot.services.reminders import DeadlineDraft
    from tests.services.test_reminders import member

    earlier = now - timedelta(days=1)
    services = await build_services(settings, clock=lambda: earlier)
    try:
        units = {u.code: u.id for u in await services.units.list_units()}
        rows = [
            {
                "telegram_id": FIRST_RECIPIENT + i,
                "chat_id": FIRST_RECIPIENT + i,
                "display_name": f"P{i}",
                "unit_id": units["dinkes"],
                "timezone": "UTC",
                "reminder_hour": now.hour,
            }
            for i in range(recipients)
        ]
        rows += [
            {
                "telegram_id": FIRST_ASKER + i,
                "chat_id": FIRST_ASKER + i,
                "display_name": f"Q{i}",
                "unit_id": units["dinsos"],
                "timezone": "UTC",
                "reminder_hour": 8,
            }
            for i in range(askers)
        ]
        common = {
            "role": "member",
            "language": "id",
            "quiet_weekends": False,
            "muted": False,
            "active": True,
            "blocked": False,
            "created_at": earlier,
            "updated_at": earlier,
        }
        async with services.sessions.begin() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(
                    insert(UserRow), [{**row, **common} for row in rows[start : start + 5000]]
                )
        admin = await member(services, 900, None)
        await services.reminders.create_deadline(
            admin,
            DeadlineDraft(
                title="Maklumat pelayanan dipajang",
                due_at=now + timedelta(days=2),
                scope={"unit_ids": [units["dinkes"]]},
                offsets=(2,),
            ),
        )
    finally:
        await services.engine.dispose()


async def run(recipients: int, questions_per_second: float, askers: int) -> dict[str, Any]:
    """Run the whole benchmark; return the figures."""
    from telegram import Update
    from telegram.ext import TypeHandler

    from bot.app import build_application, build_services
    from bot.config import Settings
    from bot.jobs import reminders as reminder_jobs
    from bot.services.reminders import SendStatus
    from tests.fakes.bot_api import as_update, message_update

    fake, port = await _start_fake()
    # The fake stands in for Telegram's servers, which do not share our CPU: it counts
    # arrivals, so if the bot starved it of CPU its stamps would bunch up and show "violations"
    # the real service would not see. Give the bot (this process) the lower priority.
    os.nice(10)
    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    settings = Settings(
        token=TOKEN,
        api_base_url=f"http://127.0.0.1:{port}/bot",
        api_file_url=f"http://127.0.0.1:{port}/file/bot",
        database_url=f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}",
        content_dir=ROOT / "content",
        storage_dir=workdir / "files",
        admin_ids="900",
        timezone="Asia/Makassar",
        log_level="WARNING",
    )
    now = datetime.now(UTC)
    await _prepare(settings, recipients, askers, now)
    services = await build_services(settings)
    app = build_application(settings, services)
    sender = reminder_jobs.dispatcher(app)
    delivered_at: list[float] = []
    real_send = sender.notifier.send

    async def timed_send(message: Any) -> Any:
        result = await real_send(message)
        if result.status is SendStatus.SENT:
            delivered_at.append(time.monotonic())
        return result

    sender.notifier.send = timed_send  # type: ignore[method-assign]
    plan_seconds: list[float] = []
    real_tick = services.reminders.tick

    async def timed_tick() -> Any:
        started = time.monotonic()
        result = await real_tick()
        if result.messages:
            plan_seconds.append(time.monotonic() - started)
        return result

    services.reminders.tick = timed_tick  # type: ignore[method-assign]

    queued: dict[int, float] = {}
    latencies: list[float] = []

    async def done(update: object, _context: object) -> None:
        if isinstance(update, Update) and update.update_id in queued:
            latencies.append(time.monotonic() - queued.pop(update.update_id))

    app.add_handler(TypeHandler(Update, done), group=100)
    texts = ["/tenggat", "maklumat hrs ada apa aja?", "/bantuan", "/pengaturan"]
    started = time.monotonic()
    try:
        async with app:
            await app.start()
            asker = 0
            while len(delivered_at) < recipients:
                if time.monotonic() - started > recipients / 20 + 120:
                    break  # something is wrong; report what we have
                user = FIRST_ASKER + asker % askers
                update = as_update(
                    message_update(user, texts[asker % len(texts)], update_id=10_000_000 + asker),
                    app.bot,
                )
                queued[update.update_id] = time.monotonic()
                await app.update_queue.put(update)
                asker += 1
                await asyncio.sleep(1 / questions_per_second)
            while queued and time.monotonic() - started < recipients / 20 + 150:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            await app.stop()
        stats = await asyncio.to_thread(_stats, port)
    finally:
        fake.terminate()
        await fake.wait()
        await services.engine.dispose()

    per_chat = {int(k): v for k, v in stats["delivered_per_chat"].items()}
    got = [per_chat.get(FIRST_RECIPIENT + i, 0) for i in range(recipients)]
    span = (delivered_at[-1] - delivered_at[0]) if len(delivered_at) > 1 else float("nan")
    rate = (len(delivered_at) - 1) / span if len(delivered_at) > 1 else 0.0
    ordered = sorted(latencies)

    def quantile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "recipients": recipients,
        "delivered": len(delivered_at),
        "seconds": round(span, 2),
        "msgs_per_s": round(rate, 2),
        "ratio_to_30": round(rate / 30, 3),
        "violations": stats["rate_limit_violations"],
        "duplicates": sum(1 for n in got if n > 1),
        "missing": sum(1 for n in got if n == 0),
        "questions": len(latencies),
        "unanswered": len(queued),
        "reply_p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "reply_p99_s": round(quantile(0.99), 3),
        "reply_max_s": round(ordered[-1], 3) if ordered else None,
        "plan_seconds": round(plan_seconds[0], 2) if plan_seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--questions-per-second", type=float, default=1.0)
    parser.add_argument("--askers", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args.recipients, args.questions_per_second, args.askers))
    if args.json:
        print(json.dumps(figures))
    else:
        width = max(map(len, figures))
        for name, value in figures.items():
            print(f"{name:<{width}}  {value}")
    ok = (
        figures["ratio_to_30"] >= 0.85
        and figures["violations"] == 0
        and figures["duplicates"] == 0
        and figures["missing"] == 0
        and (figures["reply_p99_s"] or 99) <= 2
    )
    print("targets met" if ok else "targets NOT met", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
