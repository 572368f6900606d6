"""Compact, versioned callback data, parsed in one place.

Each button payload is `<tag>:<field>:<field>...` where the tag names a frozen dataclass and
carries a version digit (e.g. "rg1.u" = registration v1, pick unit). Telegram allows 64 bytes.
Anything that does not decode exactly (old version, forged, truncated) becomes None, and the
caller answers "this button has expired".
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar, get_type_hints

if TYPE_CHECKING:
    from telegram import Update

MAX_BYTES = 64  # https://core.telegram.org/bots/api#inlinekeyboardbutton
_REGISTRY: dict[str, type[Any]] = {}
_TAGS: dict[type[Any], str] = {}
_HINTS: dict[type[Any], dict[str, Any]] = {}
T = TypeVar("T")


def callback(tag: str) -> Any:
    """Class decorator: register a frozen dataclass as a button payload under `tag`."""

    def wrap(cls: type[T]) -> type[T]:
        if tag in _REGISTRY or ":" in tag:
            raise ValueError(f"bad or duplicate callback tag {tag!r}")
        _REGISTRY[tag] = cls
        _TAGS[cls] = tag
        return cls

    return wrap


def encode(payload: Any) -> str:
    """Turn a registered dataclass instance into button data; raise if it would not fit."""
    tag = _TAGS[type(payload)]
    parts = [tag] + [_encode_value(getattr(payload, f.name)) for f in dataclasses.fields(payload)]
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long ({len(data.encode())} bytes): {data!r}")
    return data


def _encode_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if ":" in text:
        raise ValueError(f"callback field may not contain ':' ({text!r})")
    return text


def decode(data: str | None) -> Any | None:
    """Parse button data into its dataclass, or None if it is not exactly well-formed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    tag, *values = data.split(":")
    cls = _REGISTRY.get(tag)
    if cls is None:
        return None
    fields = dataclasses.fields(cls)
    if len(values) != len(fields):
        return None
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for field, raw in zip(fields, values, strict=True):
        kind = hints[field.name]
        try:
            if kind is int:
                if not raw.lstrip("-").isdigit() or len(raw) > 19:
                    return None
                kwargs[field.name] = int(raw)
            elif kind is bool:
                if raw not in {"0", "1"}:
                    return None
                kwargs[field.name] = raw == "1"
            else:
                if not raw or len(raw) > 40:
                    return None
                kwargs[field.name] = raw
        except ValueError:
            return None
    return cls(**kwargs)


def _hints(cls: type[Any]) -> dict[str, Any]:
    # Resolving string annotations compiles them: far too slow to repeat for every button press
    # (each CallbackQueryHandler pattern decodes the data once per update).
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = get_type_hints(cls)
    return hints


def pressed(update: Update, kind: type[T]) -> T | None:
    """The payload of the button pressed in `update`, if it is a `kind`; else None."""
    query = update.callback_query
    payload = decode(query.data if query else None)
    return payload if isinstance(payload, kind) else None


def pattern_for(*classes: type[Any]) -> Any:
    """A CallbackQueryHandler pattern (callable) that matches payloads of these classes."""
    wanted = tuple(classes)

    def match(data: object) -> bool:
        return isinstance(data, str) and isinstance(decode(data), wanted)

    return match


# --- payloads -------------------------------------------------------------------------------


@callback("rg1.p")
@dataclasses.dataclass(frozen=True, slots=True)
class RegisterPage:
    """Show page `page` of the unit list (keeps the current search)."""

    page: int


@callback("rg1.u")
@dataclasses.dataclass(frozen=True, slots=True)
class RegisterPick:
    """A unit was picked from the list."""

    unit_id: int


@callback("rg1.y")
@dataclasses.dataclass(frozen=True, slots=True)
class RegisterConfirm:
    """Confirm the picked unit; `revision` ties the button to the flow step that showed it."""

    unit_id: int
    revision: int


@callback("rg1.b")
@dataclasses.dataclass(frozen=True, slots=True)
class RegisterBack:
    """Back from confirmation to the unit list."""

    revision: int


@callback("rg1.c")
@dataclasses.dataclass(frozen=True, slots=True)
class RegisterChange:
    """A registered member wants to change unit."""


@callback("st1.l")
@dataclasses.dataclass(frozen=True, slots=True)
class SettingsLanguage:
    """Set the UI language."""

    language: str


@callback("st1.z")
@dataclasses.dataclass(frozen=True, slots=True)
class SettingsZone:
    """Set the time zone by its Indonesian abbreviation (WIB, WITA, WIT)."""

    zone: str
