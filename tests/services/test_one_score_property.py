"""Property: whatever several members do in /cek (answers, "Kembali", "Lewati", pauses, in any
interleaving, some of them still waiting for their join request), the unit's score is the score
of the latest given answer per indicator of the accepted members, and the result card, /skor and
the recap standings (what /rekap, Excel and the export read) all show that same figure.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.domain.membership import JoinPath
from bot.domain.scoring import score_unit
from bot.domain.selfcheck import Question, SelfCheckResult
from bot.domain.units import Role
from tests.builders import person, unit_id
from tests.conftest import CONTENT, SteppingClock

EDITION = "2024"
UNITS = ("dinkes", "dinsos")
ACTION = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 3)),
    st.tuples(st.just("skip"), st.just(0)),
    st.tuples(st.just("back"), st.just(0)),
)
# (member index, action) in the order they happen; members: (unit, accepted?)
HISTORY = st.tuples(
    st.lists(st.tuples(st.sampled_from(UNITS), st.booleans()), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 2), ACTION), max_size=40),
    st.lists(st.booleans(), min_size=3, max_size=3),  # who finishes (skipping the rest)
)


def test_card_skor_and_standings_agree_with_the_model(
    tmp_path: Path, shipped_content: Any
) -> None:
    from bot.app import build_services
    from bot.config import Settings

    loop = asyncio.new_event_loop()
    clock = SteppingClock(datetime(2025, 6, 12, tzinfo=UTC))
    configured = Settings(
        token="123456:TEST-TOKEN",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}",
        content_dir=CONTENT,
        storage_dir=tmp_path / "files",
        admin_ids="900",
        edition=EDITION,
    )
    services = loop.run_until_complete(
        build_services(configured, clock=clock, content=shipped_content)
    )
    ids = itertools.count(80_000)
    model: dict[str, dict[str, int]] = {unit: {} for unit in UNITS}

    unit_ids: dict[str, int] = {}

    async def setup() -> None:
        for unit in UNITS:
            unit_ids[unit] = await unit_id(
                services, unit
            )  # a coordinator per unit, so newcomers have to ask
            await person(services, next(ids), unit, Role.COORDINATOR, name="Koordinator")

    loop.run_until_complete(setup())
    methodology = shipped_content.methodologies[EDITION]

    async def run(history: Any) -> None:
        members_spec, actions, finishes = history
        members = []
        for unit, accepted in members_spec:
            if accepted:
                members.append(await person(services, next(ids), unit, name="Anggota"))
            else:
                newcomer = await person(services, next(ids), None, name="Tamu")
                outcome = await services.membership.join(newcomer, await unit_id(services, unit))
                assert outcome.path is JoinPath.REQUEST
                members.append(await services.members.get(newcomer.user_id))
        screens: dict[int, Any] = {}
        for index, member in enumerate(members):
            screens[index] = await services.selfcheck.start(member, edition=EDITION, unit_id=None)
        for who, (kind, value) in actions:
            if who >= len(members):
                continue
            await act(members, screens, who, kind, value)
        for who, finish in enumerate(finishes[: len(members)]):
            while finish and isinstance(screens[who], Question):
                await act(members, screens, who, "skip", 0)

    async def act(
        members: list[Any], screens: dict[int, Any], who: int, kind: str, value: int
    ) -> None:
        screen = screens[who]
        if not isinstance(screen, Question):
            return
        member = members[who]
        clock.advance(seconds=1)
        step = dict(session_id=screen.session_id, step=screen.step)
        if kind == "answer":
            option = screen.indicator.options[value % len(screen.indicator.options)]
            screens[who] = await services.selfcheck.answer(member, value=option.value, **step)
            if member.pending_unit_id is None:  # an accepted member speaks for the unit
                unit = next(u for u, i in unit_ids.items() if i == member.unit_id)
                model[unit][screen.indicator.id] = option.value
        elif kind == "skip":
            screens[who] = await services.selfcheck.skip(member, **step)
        else:
            screens[who] = await services.selfcheck.back(member, **step)
        if isinstance(screens[who], SelfCheckResult) and member.pending_unit_id is None:
            await agree(member, screens[who])

    async def agree(member: Any, card: SelfCheckResult) -> None:
        board = await services.selfcheck.scoreboard(member, edition=EDITION)
        standing = (await services.selfcheck.unit_standings([member.unit_id], edition=EDITION))[
            member.unit_id
        ]
        assert board.result is not None or card.result.score is None
        card_view = (card.result.score, card.result.coverage, card.result.answered)
        if board.result is not None:
            assert card_view == (board.result.score, board.result.coverage, board.result.answered)
        assert (standing.result.score if standing.result else None) == card.result.score

    @settings(
        max_examples=25,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(HISTORY)
    def check(history: Any) -> None:
        loop.run_until_complete(run(history))
        for unit in UNITS:
            uid = unit_ids[unit]
            standing = loop.run_until_complete(
                services.selfcheck.unit_standings([uid], edition=EDITION)
            )[uid]
            expected = score_unit(methodology, model[unit]) if model[unit] else None
            assert standing.values == model[unit]
            assert (standing.result.score if standing.result else None) == (
                expected.score if expected else None
            )

    try:
        check()
    finally:
        loop.run_until_complete(services.engine.dispose())
        loop.close()
