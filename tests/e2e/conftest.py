"""End-to-end fixtures: the real Application against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.jobs.reminders import Dispatcher, Pacer, dispatcher
from tests.e2e.harness import Harness
from tests.fakes.bot_api import FakeBotAPI

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fresh fake Bot API; a call to an unknown method, or one Telegram would refuse with
    400 Bad Request (an empty inline keyboard, an unmodified edit...), fails the test."""
    async with FakeBotAPI(token=TOKEN) as api:
        yield api
        assert api.unknown_calls == [], [c.method for c in api.unknown_calls]
        assert api.rejected_calls == [], [(c.method, c.params) for c in api.rejected_calls]


@pytest.fixture
def api_settings(settings_factory: Any, bot_api: FakeBotAPI) -> Any:
    """Settings pointing the bot at the fake server."""
    return settings_factory(
        token=TOKEN, api_base_url=bot_api.base_url, api_file_url=bot_api.base_file_url
    )


@pytest.fixture
async def harness(api_settings: Any, services: Any, bot_api: FakeBotAPI) -> AsyncIterator[Harness]:
    """An initialized Application (getMe and setMyCommands already went to the fake)."""
    from bot.app import build_application

    app = build_application(api_settings, services)
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        yield Harness(app, bot_api)


@pytest.fixture
def sender(harness: Harness) -> Dispatcher:
    """The application's outbox sender with pacing off (tests never wait for wall-clock time)."""
    found = dispatcher(harness.app)
    found.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    return found
