"""Domain: parse due dates typed in Indonesian and resolve time-zone names (pure, stdlib only)."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import InvalidInput

__all__ = [
    "EXAMPLES",
    "MAX_INPUT_LENGTH",
    "MAX_YEARS_AHEAD",
    "ZONE_ALIASES",
    "DateErrorReason",
    "DateParseError",
    "UnknownZoneError",
    "add_months",
    "dated_examples",
    "parse_due",
    "resolve_zone",
]

#: Indonesia's three time zones as people write them (UU/Keppres 41/1987 zone names).
ZONE_ALIASES: Final[dict[str, str]] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}

#: Longer input is refused before any regex runs; real answers are short ("senin depan jam 9").
MAX_INPUT_LENGTH: Final = 100

#: A year further ahead than this is almost certainly a typo (e.g. 2206 for 2026).
MAX_YEARS_AHEAD: Final = 5

#: Inputs guaranteed to parse at any `now`; handlers may quote them in an error reply.
EXAMPLES: Final[tuple[str, ...]] = (
    "besok",
    "lusa jam 14.00",
    "senin depan",
    "3 hari lagi",
    "2 minggu lagi pukul 9",
)


class DateErrorReason(StrEnum):
    """Why `parse_due` refused an input; handlers map each value to a translated message."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNRECOGNISED = "unrecognised"
    INVALID_DATE = "invalid_date"  # e.g. "31 Februari", "15/13/2026"
    INVALID_TIME = "invalid_time"  # e.g. "25.00", "14.75"
    PAST = "past"  # e.g. "kemarin", or "hari ini 08.00" typed in the afternoon
    TOO_FAR = "too_far"  # more than MAX_YEARS_AHEAD years ahead


class DateParseError(InvalidInput, ValueError):
    """A due date could not be understood; carries data, never a user-facing sentence.

    An `InvalidInput` with ``field == "due"``, and a `ValueError` for code that only needs that.

    Attributes:
        text: the input (cut to 2 * MAX_INPUT_LENGTH characters so logs stay small).
        reason: a `DateErrorReason` (a `str`, so it compares equal to "invalid_date" etc.).
    """

    def __init__(self, text: str, reason: DateErrorReason) -> None:
        super().__init__("due", reason.value)
        self.text = text[: 2 * MAX_INPUT_LENGTH]
        self.reason: DateErrorReason = reason


class UnknownZoneError(InvalidInput, ValueError):
    """A zone name is neither WIB/WITA/WIT nor a known IANA name (``field == "zone"``)."""

    def __init__(self, name: str) -> None:
        super().__init__("zone", "unknown_zone")
        self.name = name[:MAX_INPUT_LENGTH]


def resolve_zone(name: str) -> ZoneInfo:
    """Return the zone for an alias ("WITA", case-insensitive) or an IANA name ("Asia/Makassar").

    Raises:
        UnknownZoneError: for anything else, including empty or malformed names.
    """
    key = name.strip()
    alias = ZONE_ALIASES.get(key.upper())
    if alias is not None:
        return ZoneInfo(alias)
    if not key or len(key) > MAX_INPUT_LENGTH:
        raise UnknownZoneError(name)
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # ValueError: "../etc", absolute paths
        raise UnknownZoneError(name) from exc


_MONTHS: Final[dict[str, int]] = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}

_WEEKDAYS: Final[dict[str, int]] = {  # date.weekday(): Monday == 0
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}

_RELATIVE_DAYS: Final[dict[str, int]] = {
    "hari ini": 0,
    "sekarang": 0,
    "today": 0,
    "besok": 1,
    "besuk": 1,  # common spelling in Java
    "esok": 1,
    "tomorrow": 1,
    "lusa": 2,
    "kemarin": -1,
    "yesterday": -1,
}

_WEEKDAY_RE: Final = "|".join(_WEEKDAYS)
_ZONE_SUFFIX = re.compile(r"(?<![a-z])(wita|wib|wit)$")
_PERIOD = r"(?:\s*(pagi|siang|sore|malam))?"
_TIME_HM = re.compile(
    r"(?:^|\s)(?:(?:jam|pukul|pkl\.?)\s*)?([0-9]{1,2})[.:]([0-9]{2})" + _PERIOD + "$"
)
_TIME_KEYWORD_H = re.compile(r"(?:^|\s)(?:jam|pukul|pkl\.?)\s*([0-9]{1,2})" + _PERIOD + "$")
_TIME_PERIOD_H = re.compile(r"(?:^|\s)([0-9]{1,2})\s*(pagi|siang|sore|malam)$")
_DATE_PREFIX = re.compile(r"^(?:tanggal|tgl\.?)\s*")
_WEEKDAY_BEFORE_DATE = re.compile(rf"^(?:hari\s+)?(?:{_WEEKDAY_RE})\s+(?=[0-9])")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_NUMERIC_DATE = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4}|[0-9]{2}))?$")
_DAY_MONTH = re.compile(r"^([0-9]{1,2})\s*([a-z]+)\.?(?:\s+([0-9]{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+([0-9]{1,2})(?:\s+([0-9]{4}))?$")
_IN_N_UNITS = re.compile(
    r"^(?:dalam\s+)?(?:([0-9]{1,3})\s*|se)(hari|minggu|pekan|bulan)(\s+lagi|\s+(?:yang\s+)?lalu)?$"
)
_NEXT_UNIT = re.compile(r"^(minggu|pekan|bulan) depan$")
_WEEKDAY = re.compile(rf"^(?:hari\s+)?({_WEEKDAY_RE})(?:\s+(depan|ini))?$")


def parse_due(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time = time(23, 59),
) -> datetime:
    """Parse a due date and time typed in Indonesian (or plain numbers/English month names).

    Case and extra whitespace do not matter; commas are ignored. Accepted dates:

    - absolute: "15 Juni 2026", "15 jun 2026", "Juni 15 2026", "15-06-2026", "15/6/2026",
      "15/6/26", "2026-06-15"; an optional "tanggal"/"tgl" or weekday in front is ignored.
      Month names are Indonesian or English, full or short (Agu/Agt, Okt, Nop/Nov, Des ...).
    - without a year ("15 Juni", "15/6"): the next such date, today included.
    - relative: "hari ini", "besok", "lusa", "3 hari lagi", "2 minggu lagi", "sebulan lagi",
      "bulan depan" (same day next month, clamped to its last day).
    - "minggu depan"/"pekan depan": the same weekday one week from today (today + 7 days),
      not "some day next week".
    - weekdays: "jumat" or "jumat ini" is the nearest Friday, today included; "senin depan"
      is the nearest Monday strictly after today (1 to 7 days ahead).
    - "kemarin", "3 hari lalu" parse but fail with `DateErrorReason.PAST`.

    A time may follow: "14.00", "14:00", "jam 14.00", "pukul 9", "jam 2 siang", "7 malam";
    "pagi/siang/sore/malam" shift hours 1-11 into the afternoon where that is what people mean.
    Without a time, `default_time` is used (23:59: "due on the 15th" means by the end of it).
    A final "WIB", "WITA" or "WIT" overrides `tz`. Note "15.06" alone is a time, not a date.

    Args:
        text: what the user typed.
        now: the current instant (aware); "today" is `now`'s date in the effective zone.
        tz: the zone the user lives in.
        default_time: the time of day when the input names none.

    Returns:
        An aware datetime in `tz`, or in the zone named by a WIB/WITA/WIT suffix.

    Raises:
        DateParseError: with a `DateErrorReason` when the input is empty, too long, not
            understood, names an impossible date or time, is in the past, or too far ahead.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if len(text) > MAX_INPUT_LENGTH:
        raise DateParseError(text, DateErrorReason.TOO_LONG)
    rest = _normalise(text)
    if not rest:
        raise DateParseError(text, DateErrorReason.EMPTY)

    zone = tz
    zone_match = _ZONE_SUFFIX.search(rest)
    if zone_match is not None:
        zone = ZoneInfo(ZONE_ALIASES[zone_match.group(1).upper()])
        rest = rest[: zone_match.start()].strip()

    due_time, rest = _split_time(text, rest)
    if due_time is None and zone_match is not None and not rest:
        raise DateParseError(text, DateErrorReason.UNRECOGNISED)

    today = now.astimezone(zone).date()
    due_date = _parse_date(text, rest, today)
    if due_date.year > today.year + MAX_YEARS_AHEAD:
        raise DateParseError(text, DateErrorReason.TOO_FAR)

    local = datetime.combine(due_date, due_time or default_time, tzinfo=zone)
    # Round-trip through UTC so a wall time inside a DST gap lands on a real instant.
    result = local.astimezone(UTC).astimezone(zone)
    if result < now:
        raise DateParseError(text, DateErrorReason.PAST)
    return result


_MONTH_NAMES: Final = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def dated_examples(today: date) -> tuple[str, str]:
    """Two full-date examples ahead of `today` (the 15th of next month).

    "15 Januari 2027" and "15/1/2027 14.00" in December 2026: always future, always parseable.
    """
    day = add_months(today.replace(day=15), 1)
    return (
        f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}",
        f"{day.day}/{day.month}/{day.year} 14.00",
    )


def add_months(day: date, months: int) -> date:
    """Return `day` moved by `months` calendar months, clamped to the target month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _normalise(text: str) -> str:
    lowered = text.strip().lower().replace(",", " ")
    lowered = re.sub(r"['’`]", "", lowered)  # jum'at -> jumat
    lowered = re.sub(r"^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t", r"\1 ", lowered)  # ISO "T"
    return re.sub(r"\s+", " ", lowered).strip()


def _split_time(text: str, rest: str) -> tuple[time | None, str]:
    """Cut a trailing time off `rest`; return it (or None) and what is left."""
    match = _TIME_HM.search(rest)
    if match is not None:
        hour, minute, period = int(match.group(1)), int(match.group(2)), match.group(3)
    else:
        match = _TIME_KEYWORD_H.search(rest) or _TIME_PERIOD_H.search(rest)
        if match is None:
            return None, rest
        hour, minute, period = int(match.group(1)), 0, match.group(2)
    hour = _apply_period(text, hour, period)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise DateParseError(text, DateErrorReason.INVALID_TIME)
    return time(hour, minute), rest[: match.start()].strip()


def _apply_period(text: str, hour: int, period: str | None) -> int:
    if period is None:
        return hour
    if not 1 <= hour <= 12 or (period == "malam" and hour == 12):
        # "jam 0 pagi" is odd and "12 malam" is ambiguous (which midnight?): ask again.
        raise DateParseError(text, DateErrorReason.INVALID_TIME)
    if period == "pagi":
        return 0 if hour == 12 else hour
    if period == "siang":
        return hour + 12 if hour <= 5 else hour  # jam 1 siang = 13.00, jam 11 siang = 11.00
    if period == "sore":
        return hour + 12 if hour < 12 else hour
    return hour + 12 if hour >= 6 else hour  # malam: jam 8 malam = 20.00, jam 2 malam = 02.00


def _parse_date(text: str, rest: str, today: date) -> date:
    """Turn the date part (time and zone already cut off) into a calendar date."""
    rest = _DATE_PREFIX.sub("", rest)
    if not rest:
        return today  # only a time was given: "jam 14.00"
    if rest in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[rest])

    match = _IN_N_UNITS.match(rest)
    if match is not None:
        count = int(match.group(1)) if match.group(1) else 1
        if match.group(3) and "lalu" in match.group(3):
            count = -count
        unit = match.group(2)
        if unit == "bulan":
            return add_months(today, count)
        return today + timedelta(days=count * (1 if unit == "hari" else 7))

    match = _NEXT_UNIT.match(rest)
    if match is not None:
        if match.group(1) == "bulan":
            return add_months(today, 1)
        return today + timedelta(days=7)

    match = _WEEKDAY.match(rest)
    if match is not None:
        ahead = (_WEEKDAYS[match.group(1)] - today.weekday()) % 7
        if match.group(2) == "depan" and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)

    rest = _WEEKDAY_BEFORE_DATE.sub("", rest)
    match = _ISO_DATE.match(rest)
    if match is not None:
        year, month, day = (int(group) for group in match.groups())
        return _make_date(text, year, month, day)

    match = _NUMERIC_DATE.match(rest)
    if match is not None:
        day, month = int(match.group(1)), int(match.group(2))
        return _date_with_optional_year(text, day, month, match.group(3), today)

    match = _DAY_MONTH.match(rest)
    if match is not None and match.group(2) in _MONTHS:
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        return _date_with_optional_year(text, day, month, match.group(3), today)

    match = _MONTH_DAY.match(rest)
    if match is not None and match.group(1) in _MONTHS:
        day, month = int(match.group(2)), _MONTHS[match.group(1)]
        return _date_with_optional_year(text, day, month, match.group(3), today)

    raise DateParseError(text, DateErrorReason.UNRECOGNISED)


def _date_with_optional_year(
    text: str, day: int, month: int, year_text: str | None, today: date
) -> date:
    if year_text is not None:
        year = int(year_text)
        return _make_date(text, year + 2000 if len(year_text) == 2 else year, month, day)
    _make_date(text, 2000, month, day)  # a leap year: rejects 31 Februari, accepts 29 Februari
    # No year: the next such date, today included; 29 Februari waits for the next leap year.
    year = today.year
    while True:
        try:
            candidate = date(year, month, day)
        except ValueError:
            year += 1
            continue
        if candidate >= today:
            return candidate
        year += 1


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateParseError(text, DateErrorReason.INVALID_DATE) from exc
