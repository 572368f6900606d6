"""Domain errors (domain layer). They carry data, never user-facing text.

DomainError
 ├── NotFound            an entity does not exist, or is not visible from the caller's unit
 ├── NotAllowed          the caller's role does not permit the action
 ├── NotRegistered       the user has not picked a unit yet
 ├── StaleAction         a button or flow step no longer matches the stored state
 ├── InvalidInput        a value the user typed cannot be used
 ├── InvalidAnswer       a self-check answer value does not fit its indicator's scale
 ├── InvalidMethodology  a methodology document failed validation (carries every Problem)
 └── RepeatedUpdate      another process handled this Telegram update first: drop it silently

Handlers map each class to a translated message; anything else is a bug and goes to the global
error handler.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base of all expected, user-explainable failures."""


class NotFound(DomainError):
    """An entity does not exist or belongs to another unit."""

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} not found")
        self.entity = entity
        self.key = key


class NotAllowed(DomainError):
    """The actor's role does not permit the action."""

    def __init__(self, action: str, role: str, reason: str | None = None) -> None:
        super().__init__(f"{role} may not {action}" + (f" ({reason})" if reason else ""))
        self.action = action
        self.role = role
        self.reason = reason  # why, when the role alone does not say it (e.g. "other_unit")


class NotRegistered(DomainError):
    """The user must register to a unit first."""


class StaleAction(DomainError):
    """A button press or flow step does not match the stored state (old, doubled or forged)."""


class InvalidInput(DomainError):
    """A typed value cannot be used; `reason` is a machine-readable code."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Problem:
    """One content problem at a location inside a document (path of keys and indexes)."""

    path: tuple[str | int, ...]
    reason: str


class InvalidAnswer(DomainError):
    """A self-check answer is not a whole number on the edition's scale."""

    def __init__(self, indicator_id: str, value: object) -> None:
        super().__init__(f"invalid answer {value!r} for indicator {indicator_id!r}")
        self.indicator_id = indicator_id
        self.value = value


class InvalidMethodology(DomainError):
    """A methodology document does not validate; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0].reason if problems else "no details"
        super().__init__(f"{len(problems)} problem(s) in methodology, first: {first}")
        self.problems = problems


class RepeatedUpdate(DomainError):
    """Another process took this update over and handled it: this handling is dropped."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was handled by another process")
        self.update_id = update_id
