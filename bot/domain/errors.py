"""Domain errors and validation problems (domain layer).

Errors carry data, never user-facing text; handlers map them to translated messages.

    DomainError
     +-- NotFound             an entity (unit, quiz, edition ...) does not exist or is not visible
     +-- NotAllowed           the member may not do this
     +-- InvalidAnswer        an answer value does not fit the question (indicator_id, value)
     +-- InvalidMethodology   a methodology document failed validation (problems)

Extend the tree here rather than raising bare exceptions from the domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One validation problem, located by its path inside the source document.

    The path holds mapping keys and list indexes, e.g.
    ``("dimensions", 1, "variables", 0, "indicators", 3, "weight")``; an empty path means the
    document as a whole. The content loader maps paths to ``file:line``.
    """

    path: tuple[str | int, ...]
    reason: str


class DomainError(Exception):
    """Base class of every error raised by the domain layer."""


class NotFound(DomainError):
    """Raised when an entity does not exist (or is not visible to the caller)."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class NotAllowed(DomainError):
    """Raised when the caller may not perform the action."""

    def __init__(self, action: str) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action


class InvalidAnswer(DomainError):
    """Raised when an answer value is not acceptable for its question or indicator."""

    def __init__(self, question_id: str, value: object) -> None:
        super().__init__(f"invalid answer {value!r} for {question_id!r}")
        self.question_id = question_id
        self.value = value


class InvalidMethodology(DomainError):
    """Raised when a methodology document does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0].reason if problems else "no details"
        super().__init__(f"{len(problems)} problem(s) in methodology, first: {first}")
        self.problems = problems
