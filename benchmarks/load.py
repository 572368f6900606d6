"""Load benchmark: simulated users against the real bot process(es) through the fake Bot API.

Usage (from the repository root)::

    python -m benchmarks.load [--users 500] [--duration 120] [--timeout 30]
                              [--postgres-url postgresql+asyncpg://USER@HOST:PORT/DB]
                              [--scenarios echo,sqlite,postgres,webhook2] [--json]

Every scenario starts a fresh fake Bot API (tests/fakes/bot_api.py) inside this process and a
fresh database, then runs `--users` users at once. Each user acts only when the bot's reply to
their previous update has arrived (closed loop) and runs one script of 25 updates:
/start, pick a unit, confirm; three questions; /cek, pick the edition, answer five indicators,
"Jeda"; /kuis, pick a drill, answer five questions (with "Lanjut" between them).

Scenarios:
    echo      benchmarks/echo_bot.py, a bare python-telegram-bot echo bot, same update pattern
    sqlite    `python -m bot run` (long polling) on SQLite
    postgres  the same on PostgreSQL (--postgres-url or BOT_BENCH_POSTGRES_URL; skipped if unset)
    webhook2  two `python -m bot run --webhook` processes on one PostgreSQL database; updates go
              to their webhook ports alternately (round robin), as behind one reverse proxy

Figures per scenario: updates (replied / sent), updates/s (replied updates over the wall time of
the run), reply latency p50/p95/p99 (from handing the update over - queued for getUpdates or
POSTed to the webhook - until the last message the step waits for reached the fake), errors
(no reply within --timeout, an alert answer such as "button expired", or the error handler's
apology), peak memory (VmHWM of the bot process, summed over processes) and bot CPU time per
update. The ratio is a scenario's updates/s over the echo bot's (target >= 0.5).

The bots run with BOT_RATE_LIMIT=false: PTB's limiter (30 requests/s, Telegram's bulk limit)
would otherwise cap every scenario at 30 replies/s and hide what our code costs. Users who hit
an error stop their script; --duration stops every user after that many seconds. Processes are
always killed at the end, PostgreSQL benchmark databases dropped; everything is on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes.bot_api import Call, FakeBotAPI, callback_update, message_update

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242:BENCH-TOKEN"  # noqa: S105 - the fake server's token
SECRET = "bench_webhook-Secret"  # noqa: S105
WEBHOOK_URL = "https://bench.invalid/telegram"
QUESTIONS = (
    "apa itu standar pelayanan?",
    "berapa lama maklumat pelayanan harus dipajang?",
    "bagaimana cara menangani pengaduan masyarakat?",
    "sarana untuk penyandang disabilitas apa saja yang dinilai?",
    "apakah instagram dinas bisa jadi media publikasi standar pelayanan?",
    "kapan penilaian kepatuhan ombudsman dilakukan?",
)
SELFCHECK_ANSWERS = 5
QUIZ_QUESTIONS = 5
SCENARIOS = ("echo", "sqlite", "postgres", "webhook2")
Json = dict[str, Any]
Choose = Callable[[list[tuple[int, str, Any]]], tuple[int, str] | None]
Done = Callable[[list[Call]], bool]


# --------------------------------------------------------------------- the fake, with listeners


class BenchFakeAPI(FakeBotAPI):
    """The fake Bot API, routing each call to the simulated user it concerns.

    The transcript is not kept (a run makes tens of thousands of calls); only counts per method.
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(token=TOKEN, **kw)
        self.users: dict[int, SimUser] = {}
        self.counts: dict[str, int] = {}

    def _record(self, call: Call) -> None:
        self.counts[call.method] = self.counts.get(call.method, 0) + 1
        if call.method == "getUpdates":
            return
        if call.method in ("answerCallbackQuery",):
            owner = str(call.params.get("callback_query_id", "")).split(".")[0].lstrip("q")
            user = self.users.get(int(owner)) if owner.isdigit() else None
            if user is not None and call.params.get("show_alert"):
                user.alert(call)
            return
        chat = call.params.get("chat_id")
        user = (
            self.users.get(int(chat))
            if isinstance(chat, int | str) and str(chat).lstrip("-").isdigit()
            else None
        )
        if user is not None:
            user.receive(call)

    def _notify(self) -> None:
        # Only the long poll waits on the fake's condition; wake it only when it waits.
        if self.polls_waiting:
            super()._notify()


# --------------------------------------------------------------------- one simulated user


@dataclass
class SimUser:
    """One person: what the bot sent them, and their latest keyboard."""

    uid: int
    calls: list[Call] = field(default_factory=list)
    alerts: list[Call] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    keyboard_message: int = 0
    keyboard: list[tuple[str, str]] = field(default_factory=list)
    presses: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def receive(self, call: Call) -> None:
        self.calls.append(call)
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            if "message_id" in call.params:
                self.keyboard_message = int(call.params["message_id"])
            elif isinstance(call.result, dict):
                self.keyboard_message = int(call.result["message_id"])
            self.keyboard = [
                (b["text"], b.get("callback_data", ""))
                for row in markup["inline_keyboard"]
                for b in row
            ]
        self.changed.set()

    def alert(self, call: Call) -> None:
        self.alerts.append(call)
        self.changed.set()


class StepFailed(Exception):
    """The bot did not give the expected reply (timeout, alert or apology)."""


@dataclass
class Results:
    """Figures of one scenario."""

    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    timeouts: int = 0
    alerts: int = 0
    apologies: int = 0
    users_done: int = 0
    started: float = 0.0
    finished: float = 0.0


class Driver:
    """Runs users' scripts; `deliver` hands one update to the bot."""

    def __init__(
        self,
        api: BenchFakeAPI,
        deliver: Callable[[Json], Any],
        *,
        echo: bool,
        timeout: float,
        deadline: float,
        apology: str,
        qa_chunks: dict[str, int],
    ) -> None:
        self.api = api
        self.deliver = deliver
        self.echo = echo
        self.timeout = timeout
        self.deadline = deadline
        self.apology = apology
        self.qa_chunks = qa_chunks
        self.results = Results()
        self._update_ids = itertools.count(1)

    async def _step(self, user: SimUser, update: Json, done: Done) -> None:
        if time.monotonic() > self.deadline:
            raise TimeoutError("duration over")
        update = {"update_id": next(self._update_ids), **update}
        seen, alerts = len(user.calls), len(user.alerts)
        user.changed.clear()
        self.results.sent += 1
        start = time.monotonic()
        result = self.deliver(update)
        if asyncio.iscoroutine(result):
            await result
        limit = start + self.timeout
        while True:
            new = user.calls[seen:]
            if len(user.alerts) > alerts:
                self.results.alerts += 1
                raise StepFailed("alert")
            if any(self.apology in str(c.params.get("text", "")) for c in new):
                self.results.apologies += 1
                raise StepFailed("apology")
            if new and (self.echo or done(new)):
                self.results.latencies.append(new[-1].at - start)
                return
            remaining = limit - time.monotonic()
            if remaining <= 0:
                self.results.timeouts += 1
                raise StepFailed("timeout")
            user.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(user.changed.wait(), remaining)

    async def say(self, user: SimUser, text: str, done: Done) -> None:
        """The user types `text`."""
        await self._step(user, message_update(user.uid, text), done)

    async def press(
        self,
        user: SimUser,
        want: type[Any] | None,
        done: Done,
        *,
        pick: Callable[[list[Any]], Any] | None = None,
    ) -> None:
        """The user presses a button whose payload is a `want` (the echo bot has no buttons)."""
        if self.echo:
            data = f"{getattr(want, '__name__', 'x')}:{user.uid}:{next(user.presses)}"
            message_id = 1
        else:
            from bot.handlers import callback_data as cd

            options = (
                [
                    (label, data)
                    for label, data in user.keyboard
                    if isinstance(cd.decode(data), want)
                ]
                if want
                else user.keyboard
            )
            if not options:
                raise StepFailed(f"no {want} button")
            payloads = [cd.decode(data) for _, data in options]
            chosen = pick(payloads) if pick else payloads[0]
            data, message_id = cd.encode(chosen), user.keyboard_message
        update = callback_update(
            user.uid,
            data,
            message_id=message_id,
            callback_query_id=f"q{user.uid}.{next(user.presses)}",
        )
        await self._step(user, update, done)

    async def run_user(self, user: SimUser) -> None:
        """The whole script; an error ends it."""
        from bot.handlers import callback_data as cd
        from bot.handlers.quiz import PickDrill, QuizAnswer, QuizNext
        from bot.handlers.selfcheck import Answer, Pause, PickEdition

        rng = random.Random(user.uid)

        def has(kind: type[Any]) -> Done:
            def check(calls: list[Call]) -> bool:
                markup = calls[-1].params.get("reply_markup") or {}
                return any(
                    isinstance(cd.decode(b.get("callback_data")), kind)
                    for row in markup.get("inline_keyboard", [])
                    for b in row
                )

            return check

        def count(n: int) -> Done:
            return lambda calls: len(calls) >= n

        try:
            await self.say(user, "/start", has(cd.RegisterPick))
            await self.press(user, cd.RegisterPick, has(cd.RegisterConfirm), pick=rng.choice)
            await self.press(user, cd.RegisterConfirm, count(1))
            for question in rng.sample(QUESTIONS, 3):
                await self.say(user, question, count(self.qa_chunks[question]))
            await self.say(user, "/cek", has(PickEdition))
            await self.press(user, PickEdition, has(Answer))
            for _ in range(SELFCHECK_ANSWERS):
                await self.press(user, Answer, has(Answer), pick=rng.choice)
            await self.press(user, Pause, count(1))
            await self.say(user, "/kuis", has(PickDrill))
            await self.press(user, PickDrill, has(QuizAnswer), pick=rng.choice)
            for position in range(QUIZ_QUESTIONS):
                last = position == QUIZ_QUESTIONS - 1
                # The last answer's explanation is followed by the score summary.
                await self.press(
                    user, QuizAnswer, count(2) if last else has(QuizNext), pick=rng.choice
                )
                if not last:
                    await self.press(user, QuizNext, has(QuizAnswer))
            self.results.users_done += 1
        except (StepFailed, TimeoutError):
            return

    async def run(self, users: Sequence[SimUser]) -> Results:
        """Run every user at once; return the figures."""
        for user in users:
            self.api.users[user.uid] = user
        self.results.started = time.monotonic()
        await asyncio.gather(*(self.run_user(user) for user in users))
        self.results.finished = time.monotonic()
        return self.results


# --------------------------------------------------------------------- processes


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident memory) of a live process, in MiB; 0 if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process; 0 if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Processes:
    """Child processes of one scenario; all are stopped (then killed) on exit."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[asyncio.subprocess.Process] = []

    async def start(
        self, name: str, args: list[str], env: dict[str, str]
    ) -> asyncio.subprocess.Process:
        profile_dir = env.get("BENCH_PROFILE_DIR")
        if profile_dir and args[:2] == ["-m", "bot"] and "run" in args:
            args = ["-m", "cProfile", "-o", str(Path(profile_dir) / f"{name}.prof"), *args]
        log = (self.workdir / f"{name}.log").open("wb")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            env=env,
            cwd=self.workdir,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        log.close()
        self.children.append(process)
        return process

    async def stop(self) -> None:
        for process in self.children:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self.children:
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()


def bot_env(api: FakeBotAPI, database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment for `python -m bot`: only our BOT_ variables, nothing from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=api.base_url,
        BOT_API_FILE_URL=api.base_file_url,
        BOT_DATABASE_URL=database_url,
        BOT_CONTENT_DIR=str(ROOT / "content"),
        BOT_STORAGE_DIR=str(workdir / "files"),
        BOT_RATE_LIMIT="false",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


async def wait_polling(api: FakeBotAPI, process: asyncio.subprocess.Process, name: str) -> None:
    """Wait until the bot holds a long poll (it is initialised and migrated)."""
    for _ in range(600):
        if api.polls_waiting:
            return
        if process.returncode is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} (see its log)")
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{name} did not start polling within 60 s")


async def wait_healthy(
    session: aiohttp.ClientSession, port: int, process: asyncio.subprocess.Process
) -> None:
    """Wait until GET /healthz answers 200."""
    for _ in range(600):
        if process.returncode is not None:
            raise RuntimeError(f"webhook process on {port} exited with {process.returncode}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"webhook process on {port} not healthy within 60 s")


@contextlib.asynccontextmanager
async def postgres_database(base_url: str) -> AsyncIterator[str]:
    """A fresh database on the PostgreSQL server of `base_url`, dropped afterwards."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"bench_{uuid.uuid4().hex[:10]}"

    async def admin() -> Any:
        return await asyncpg.connect(
            user=url.username,
            password=url.password,
            host=url.host,
            port=url.port or 5432,
            database=url.database or "postgres",
        )

    conn = await admin()
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield url.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        conn = await admin()
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


# --------------------------------------------------------------------- scenarios


@dataclass
class Row:
    """One line of the table."""

    scenario: str
    processes: int
    users: int
    users_done: int
    sent: int
    replied: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    alerts: int
    apologies: int
    peak_rss_mb: float
    cpu_ms_per_update: float
    note: str = ""


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def to_row(name: str, processes: int, users: int, results: Results, rss: float, cpu: float) -> Row:
    seconds = max(results.finished - results.started, 1e-9)
    replied = len(results.latencies)
    errors = results.timeouts + results.alerts + results.apologies
    return Row(
        name,
        processes,
        users,
        results.users_done,
        results.sent,
        replied,
        round(seconds, 1),
        round(replied / seconds, 1),
        round(1000 * percentile(results.latencies, 50), 1),
        round(1000 * percentile(results.latencies, 95), 1),
        round(1000 * percentile(results.latencies, 99), 1),
        errors,
        results.timeouts,
        results.alerts,
        results.apologies,
        round(rss, 1),
        round(1000 * cpu / max(replied, 1), 2),
    )


class Bench:
    """Shared settings of every scenario."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.apology, self.qa_chunks = reply_facts()

    def driver(self, api: BenchFakeAPI, deliver: Callable[[Json], Any], *, echo: bool) -> Driver:
        return Driver(
            api,
            deliver,
            echo=echo,
            timeout=self.args.timeout,
            deadline=time.monotonic() + self.args.duration,
            apology=self.apology,
            qa_chunks=self.qa_chunks,
        )

    def users(self) -> list[SimUser]:
        return [SimUser(uid) for uid in range(700_001, 700_001 + self.args.users)]

    async def polling(self, name: str, args: list[str], database_url: str | None) -> Row:
        """One process long polling a fresh fake."""
        work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.workdir))
        processes = Processes(work)
        async with BenchFakeAPI() as api:
            try:
                env = bot_env(
                    api, database_url or f"sqlite+aiosqlite:///{work / 'bot.sqlite3'}", work
                )
                process = await processes.start(
                    name,
                    args
                    + (["--token", TOKEN, "--base-url", api.base_url] if name == "echo" else []),
                    env,
                )
                await wait_polling(api, process, name)
                cpu0 = cpu_seconds(process.pid)
                driver = self.driver(api, api.push_update, echo=name == "echo")
                results = await driver.run(self.users())
                rss, cpu = peak_rss_mb(process.pid), cpu_seconds(process.pid) - cpu0
                return to_row(name, 1, self.args.users, results, rss, cpu)
            finally:
                await processes.stop()

    async def webhook2(self, database_url: str) -> Row:
        """Two webhook processes on one PostgreSQL database, fed alternately."""
        work = Path(tempfile.mkdtemp(prefix="webhook2-", dir=self.workdir))
        processes = Processes(work)
        async with (
            BenchFakeAPI() as api,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session,
        ):
            try:
                env = bot_env(api, database_url, work)
                # Migrate once before both start (as an operator's `db upgrade` would).
                upgrade = await processes.start("upgrade", ["-m", "bot", "db", "upgrade"], env)
                if await upgrade.wait() != 0:
                    raise RuntimeError("db upgrade failed (see upgrade.log)")
                ports = [free_port(), free_port()]
                children = []
                for i, port in enumerate(ports):
                    children.append(
                        await processes.start(
                            f"webhook{i + 1}",
                            ["-m", "bot", "run", "--webhook"],
                            {
                                **env,
                                "BOT_WEBHOOK_URL": WEBHOOK_URL,
                                "BOT_WEBHOOK_SECRET": SECRET,
                                "BOT_WEBHOOK_LISTEN": "127.0.0.1",
                                "BOT_WEBHOOK_PORT": str(port),
                            },
                        )
                    )
                for port, child in zip(ports, children, strict=True):
                    await wait_healthy(session, port, child)
                turn = itertools.cycle(ports)
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

                async def deliver(update: Json) -> None:
                    url = f"http://127.0.0.1:{next(turn)}/telegram"
                    async with session.post(url, json=update, headers=headers) as response:
                        if response.status != 200:
                            raise StepFailed(f"webhook answered {response.status}")

                cpu0 = sum(cpu_seconds(c.pid) for c in children)
                results = await self.driver(api, deliver, echo=False).run(self.users())
                rss = sum(peak_rss_mb(c.pid) for c in children)
                cpu = sum(cpu_seconds(c.pid) for c in children) - cpu0
                return to_row("webhook2", 2, self.args.users, results, rss, cpu)
            finally:
                await processes.stop()


def reply_facts() -> tuple[str, dict[str, int]]:
    """The error handler's apology (Indonesian) and how many messages each question's answer is."""
    from bot.content.bundle import load_content
    from bot.handlers import qa_render
    from bot.i18n import load_catalogs
    from bot.services.clock import system_clock
    from bot.services.qa import QAService

    _ = load_catalogs("id").for_locale("id")
    apology = _.gettext("Sorry, something went wrong on our side. Please try again in a moment.")
    qa = QAService(None, system_clock, load_content(ROOT / "content"))  # type: ignore[arg-type]
    chunks = {q: len(qa_render.answer_chunks(_, qa.decide(q), q)) for q in QUESTIONS}
    return apology, chunks


async def run(args: argparse.Namespace) -> list[Row]:
    """Every asked-for scenario, one after the other."""
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(wanted) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tempfile.mkdtemp(prefix="bench-load-")) if args.keep_logs else Path(tmp)
        bench = Bench(args, workdir)
        for name in wanted:
            print(f"# running {name} ...", file=sys.stderr, flush=True)
            if name in ("postgres", "webhook2") and not args.postgres_url:
                rows.append(
                    Row(
                        name,
                        0,
                        args.users,
                        *([0] * 14),
                        note="skipped: no --postgres-url / BOT_BENCH_POSTGRES_URL",
                    )
                )
                continue
            if name == "echo":
                row = await bench.polling("echo", ["-m", "benchmarks.echo_bot"], None)
            elif name == "sqlite":
                row = await bench.polling("sqlite", ["-m", "bot", "run"], None)
            elif name == "postgres":
                async with postgres_database(args.postgres_url) as url:
                    row = await bench.polling("postgres", ["-m", "bot", "run"], url)
            else:
                async with postgres_database(args.postgres_url) as url:
                    row = await bench.webhook2(url)
            rows.append(row)
        if args.keep_logs:
            print(f"# logs kept in {workdir}", file=sys.stderr)
    return rows


def table(rows: list[Row]) -> str:
    """The figures as an aligned plain-text table, with ratios to the echo baseline."""
    echo = next((r.per_second for r in rows if r.scenario == "echo" and r.per_second), 0.0)
    head = (
        f"{'scenario':<9} {'proc':>4} {'users':>9} {'updates':>11} {'upd/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'peak MB':>8} "
        f"{'cpu ms/upd':>10} {'vs echo':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.note:
            lines.append(f"{r.scenario:<9} {r.note}")
            continue
        ratio = f"{r.per_second / echo:.2f}" if echo and r.scenario != "echo" else "-"
        lines.append(
            f"{r.scenario:<9} {r.processes:>4} {f'{r.users_done}/{r.users}':>9} "
            f"{f'{r.replied}/{r.sent}':>11} {r.per_second:>7.1f} {r.p50_ms:>7.1f} "
            f"{r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.errors:>6} {r.peak_rss_mb:>8.1f} "
            f"{r.cpu_ms_per_update:>10.2f} {ratio:>7}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500, help="simulated users (default 500)")
    parser.add_argument(
        "--duration",
        type=float,
        default=120,
        help="stop every user after this many seconds per scenario (default 120)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30,
        help="seconds to wait for a reply before counting an error (default 30)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BOT_BENCH_POSTGRES_URL"),
        help="PostgreSQL server for the postgres and webhook2 scenarios; a fresh "
        "database is created in it and dropped (default "
        "$BOT_BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the bots' logs and databases in a temporary folder",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration <= 0 or args.timeout <= 0:
        parser.error("--users, --duration and --timeout must be positive")
    rows = asyncio.run(run(args))
    print(table(rows))
    echo = next((r.per_second for r in rows if r.scenario == "echo" and r.per_second), 0.0)
    if args.json:
        print(
            json.dumps(
                {
                    "users": args.users,
                    "duration_limit_s": args.duration,
                    "scenarios": [r.__dict__ for r in rows],
                    "ratio_vs_echo": {
                        r.scenario: round(r.per_second / echo, 3)
                        for r in rows
                        if echo and r.scenario != "echo" and not r.note
                    },
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
