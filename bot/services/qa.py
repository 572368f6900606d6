"""Q&A use cases: answer a question from the knowledge index, record gaps, browse indicators."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.repositories.qa_gaps import QaGapRepository
from bot.domain.knowledge import (
    Answer,
    Decision,
    DecisionKind,
    KnowledgeIndex,
    RankingConfig,
    Topic,
    to_answer,
)
from bot.domain.methodology import Methodology
from bot.domain.units import Member
from bot.services.clock import Clock

log = logging.getLogger(__name__)
GAP_CANDIDATES = 3  # best candidates kept with a gap


@dataclass(frozen=True, slots=True)
class Gap:
    """A question (normalised) the bot could not answer confidently, with how often it came."""

    normalized: str
    count: int
    last_asked: datetime
    example: str
    candidates: tuple[tuple[str, float], ...]
    kind: str


class QAService:
    """Answers questions; the index is built once, when the service is created."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession] | None,
        clock: Clock,
        content: ContentBundle,
        *,
        config: RankingConfig | None = None,
    ) -> None:
        """Build the knowledge index from the content bundle (well under a second)."""
        self._sessions = sessions
        self._clock = clock
        self._content = content
        start = time.perf_counter()
        self._index = KnowledgeIndex.build(
            content.topics, content.lexicon, config, gate=content.gate
        )
        self.build_ms = 1000 * (time.perf_counter() - start)
        log.info("knowledge index: %d topics in %.0f ms", len(content.topics), self.build_ms)

    @property
    def index(self) -> KnowledgeIndex:
        """The knowledge index (read-only)."""
        return self._index

    def decide(self, text: str) -> Answer:
        """Decide what to do with a question, without recording anything (pure)."""
        return to_answer(self._index.decide(text), self._index)

    async def answer(self, text: str, *, member: Member | None) -> Answer:
        """Answer a question; a DECLINE or CLARIFY with any words in it is recorded as a gap."""
        answer = self.decide(text)
        if answer.kind is not DecisionKind.ANSWER and answer.query and self._sessions is not None:
            candidates = [
                [hit.topic_id, round(hit.score, 4), round(hit.confidence, 4)]
                for hit in answer.hits[:GAP_CANDIDATES]
            ]
            async with self._sessions.begin() as session:
                await QaGapRepository(session).add(
                    asked_at=self._clock(),
                    text=text,
                    normalized=answer.query,
                    kind=answer.kind.value,
                    candidates=candidates,
                    unit_id=member.unit_id if member else None,
                    user_id=member.user_id if member else None,
                )
        return answer

    async def gaps(self, limit: int = 20) -> list[Gap]:
        """The most frequent unanswered or unsure questions, most frequent first."""
        if self._sessions is None:
            return []
        result = []
        async with self._sessions() as session:
            repository = QaGapRepository(session)
            for normalized, count, last in await repository.most_frequent(limit):
                row = await repository.latest(normalized)
                if row is None:
                    continue
                candidates = tuple(
                    (str(c[0]), float(c[1]))
                    for c in row.candidates
                    if isinstance(c, list) and len(c) >= 2
                )
                result.append(Gap(normalized, count, last, row.text, candidates, row.kind))
        return result

    def topic(self, topic_id: str) -> Answer | None:
        """A topic shown as an answer (from a button), or None if it no longer exists."""
        try:
            topic = self._index.topic(topic_id)
        except KeyError:
            return None
        return self.show(topic)

    def show(self, topic: Topic) -> Answer:
        """Present a known topic as an answer with full confidence."""
        return to_answer(Decision(DecisionKind.ANSWER, 1.0, "", topic=topic), self._index)

    def editions(self) -> list[Methodology]:
        """The methodology editions, newest first."""
        return [
            self._content.methodologies[k]
            for k in sorted(self._content.methodologies, reverse=True)
        ]

    def edition(self, edition: str) -> Methodology | None:
        """One methodology edition, or None."""
        return self._content.methodologies.get(edition)
