"""Quiz questions for /kuis (domain layer): the content types; selection and scoring build on them."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("pimpinan", "penanggung-jawab", "pengelola-pengaduan", "front-office")


@dataclass(frozen=True, slots=True)
class QuizQuestion:
    """One multiple-choice question with its answer key and explanation."""

    id: str
    question: str
    options: tuple[tuple[str, str], ...]  # (key, label) in display order
    answer: str
    explanation: str
    topic: str
    roles: tuple[str, ...]
    difficulty: int
    sources: tuple[str, ...]
    theme: str

    def option(self, key: str) -> str | None:
        """The label of option `key`, if it exists."""
        return next((label for k, label in self.options if k == key), None)
