"""Unit tests for bot.domain.dates: Indonesian due-date parsing and zone names."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.dates import (
    EXAMPLES,
    ZONE_ALIASES,
    DateErrorReason,
    DateParseError,
    UnknownZoneError,
    add_months,
    parse_due,
    resolve_zone,
)
from bot.domain.errors import InvalidInput

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
# Wednesday 20 May 2026, 10.00 in Bontang.
NOW = datetime(2026, 5, 20, 10, 0, tzinfo=WITA)


def parse(text: str, **kwargs: object) -> datetime:
    return parse_due(text, now=NOW, tz=WITA, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 Juni 2026", (2026, 6, 15, 23, 59)),
        ("15 jun 2026", (2026, 6, 15, 23, 59)),
        ("  15   JUNI   2026 ", (2026, 6, 15, 23, 59)),
        ("15-06-2026", (2026, 6, 15, 23, 59)),
        ("15/6/2026", (2026, 6, 15, 23, 59)),
        ("15.6.2026", (2026, 6, 15, 23, 59)),
        ("15/6/26", (2026, 6, 15, 23, 59)),
        ("15/6/2026 14.00", (2026, 6, 15, 14, 0)),
        ("15/6/2026 14:00", (2026, 6, 15, 14, 0)),
        ("2026-06-15", (2026, 6, 15, 23, 59)),
        ("2026-06-15T14:30", (2026, 6, 15, 14, 30)),
        ("15 Juni", (2026, 6, 15, 23, 59)),
        ("15/6", (2026, 6, 15, 23, 59)),
        ("1 Mei", (2027, 5, 1, 23, 59)),  # already passed this year: next year
        ("20 Mei", (2026, 5, 20, 23, 59)),  # today counts
        ("tanggal 17 Agustus 2026", (2026, 8, 17, 23, 59)),
        ("tgl 17 agt", (2026, 8, 17, 23, 59)),
        ("17 Agu 2026", (2026, 8, 17, 23, 59)),
        ("Senin, 15 Juni 2026 pukul 10.00", (2026, 6, 15, 10, 0)),
        ("1 Okt 2026", (2026, 10, 1, 23, 59)),
        ("1 Nop 2026", (2026, 11, 1, 23, 59)),
        ("1 Nov 2026", (2026, 11, 1, 23, 59)),
        ("1 Des 2026", (2026, 12, 1, 23, 59)),
        ("1 Pebruari 2027", (2027, 2, 1, 23, 59)),
        ("June 15 2026", (2026, 6, 15, 23, 59)),
        ("15 October 2026", (2026, 10, 15, 23, 59)),
        ("hari ini", (2026, 5, 20, 23, 59)),
        ("besok", (2026, 5, 21, 23, 59)),
        ("Besok jam 14.00", (2026, 5, 21, 14, 0)),
        ("lusa", (2026, 5, 22, 23, 59)),
        ("3 hari lagi", (2026, 5, 23, 23, 59)),
        ("2 minggu lagi", (2026, 6, 3, 23, 59)),
        ("seminggu lagi", (2026, 5, 27, 23, 59)),
        ("dalam 10 hari", (2026, 5, 30, 23, 59)),
        ("sebulan lagi", (2026, 6, 20, 23, 59)),
        ("bulan depan", (2026, 6, 20, 23, 59)),
        ("minggu depan", (2026, 5, 27, 23, 59)),  # same weekday (Wednesday) next week
        ("pekan depan", (2026, 5, 27, 23, 59)),
        ("senin depan", (2026, 5, 25, 23, 59)),
        ("jumat", (2026, 5, 22, 23, 59)),
        ("Jum'at", (2026, 5, 22, 23, 59)),
        ("rabu", (2026, 5, 20, 23, 59)),  # today is Wednesday: plain weekday includes today
        ("rabu depan", (2026, 5, 27, 23, 59)),  # "depan" is strictly after today
        ("hari minggu", (2026, 5, 24, 23, 59)),
        ("selasa", (2026, 5, 26, 23, 59)),
        ("jam 14.00", (2026, 5, 20, 14, 0)),
        ("15.06", (2026, 5, 20, 15, 6)),  # dots without a year read as a time, not 15 June
        ("pukul 16", (2026, 5, 20, 16, 0)),
        ("besok pukul 9", (2026, 5, 21, 9, 0)),
        ("besok pkl. 9.30", (2026, 5, 21, 9, 30)),
        ("besok jam 2 siang", (2026, 5, 21, 14, 0)),
        ("besok 7 malam", (2026, 5, 21, 19, 0)),
        ("besok jam 4 sore", (2026, 5, 21, 16, 0)),
        ("besok jam 9 pagi", (2026, 5, 21, 9, 0)),
        ("29 Feb", (2028, 2, 29, 23, 59)),  # next leap year
    ],
)
def test_parse_due_accepts(text: str, expected: tuple[int, int, int, int, int]) -> None:
    result = parse(text)
    assert result == datetime(*expected, tzinfo=WITA)
    assert result.tzinfo == WITA


@pytest.mark.parametrize(
    ("text", "zone", "local"),
    [
        ("15/6/2026 14.00 WIB", WIB, (2026, 6, 15, 14, 0)),
        ("15/6/2026 14.00 wita", WITA, (2026, 6, 15, 14, 0)),
        ("15 Juni 2026 pukul 14.00 WIT", WIT, (2026, 6, 15, 14, 0)),
        ("besok 09.00WIB", WIB, (2026, 5, 21, 9, 0)),
        ("15 Juni 2026 WIB", WIB, (2026, 6, 15, 23, 59)),
    ],
)
def test_zone_suffix_overrides_tz(
    text: str, zone: ZoneInfo, local: tuple[int, int, int, int, int]
) -> None:
    result = parse(text)
    assert result == datetime(*local, tzinfo=zone)
    assert result.tzinfo == zone


def test_same_wall_time_in_wib_is_one_hour_later_than_in_wita() -> None:
    assert parse("15/6/2026 14.00 WIB") - parse("15/6/2026 14.00 WITA") == timedelta(hours=1)


def test_default_time_is_used_when_no_time_given() -> None:
    assert parse("15 Juni 2026", default_time=time(16, 0)) == datetime(
        2026, 6, 15, 16, 0, tzinfo=WITA
    )


def test_today_is_taken_in_the_users_zone() -> None:
    # 23.30 on 20 May in Jakarta is already 21 May in Jayapura.
    now = datetime(2026, 5, 20, 23, 30, tzinfo=WIB)
    assert parse_due("besok", now=now, tz=WIT).date().isoformat() == "2026-05-22"
    assert parse_due("besok", now=now, tz=WIB).date().isoformat() == "2026-05-21"


def test_dst_gap_time_lands_on_a_real_instant() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 1, 12, 0, tzinfo=berlin)
    result = parse_due("29/3/2026 02.30", now=now, tz=berlin)  # 02.30 does not exist that day
    assert result.utcoffset() == timedelta(hours=2)
    assert result.hour == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", DateErrorReason.EMPTY),
        ("   ", DateErrorReason.EMPTY),
        ("x" * 5000, DateErrorReason.TOO_LONG),
        ("31 Februari 2027", DateErrorReason.INVALID_DATE),
        ("31 Februari", DateErrorReason.INVALID_DATE),
        ("31/4/2026", DateErrorReason.INVALID_DATE),
        ("15/13/2026", DateErrorReason.INVALID_DATE),
        ("29/2/2027", DateErrorReason.INVALID_DATE),
        ("kemarin", DateErrorReason.PAST),
        ("3 hari lalu", DateErrorReason.PAST),
        ("1 Januari 2026", DateErrorReason.PAST),
        ("hari ini jam 8.00", DateErrorReason.PAST),
        ("15/6/2099", DateErrorReason.TOO_FAR),
        ("25.00", DateErrorReason.INVALID_TIME),
        ("besok 14.75", DateErrorReason.INVALID_TIME),
        ("besok jam 12 malam", DateErrorReason.INVALID_TIME),
        ("asdfgh", DateErrorReason.UNRECOGNISED),
        ("kapan-kapan saja", DateErrorReason.UNRECOGNISED),
        ("15 Juno 2026", DateErrorReason.UNRECOGNISED),
        ("🎉📅", DateErrorReason.UNRECOGNISED),
        ("besok 🎉", DateErrorReason.UNRECOGNISED),
        ("WITA", DateErrorReason.UNRECOGNISED),
        ("١٥ juni", DateErrorReason.UNRECOGNISED),  # non-ASCII digits are not read as numbers
        ("09.15", DateErrorReason.PAST),  # a time earlier today
    ],
)
def test_parse_due_rejects(text: str, reason: DateErrorReason) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.reason is reason
    assert info.value.text == text[:200]


def test_error_carries_data_not_a_sentence() -> None:
    with pytest.raises(DateParseError) as info:
        parse("31 Februari")
    assert (info.value.text, info.value.reason) == ("31 Februari", "invalid_date")
    assert isinstance(info.value, InvalidInput) and info.value.field == "due"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_due("besok", now=datetime(2026, 5, 20), tz=WITA)  # noqa: DTZ001


@pytest.mark.parametrize("hour", [0, 9, 23])
def test_examples_always_parse(hour: int) -> None:
    for day in range(0, 7):  # every weekday, morning to late evening
        now = datetime(2026, 5, 18 + day, hour, 59, tzinfo=WITA)
        for example in EXAMPLES:
            assert parse_due(example, now=now, tz=WITA) > now


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("WIB", "Asia/Jakarta"),
        ("wita", "Asia/Makassar"),
        (" WIT ", "Asia/Jayapura"),
        ("Asia/Makassar", "Asia/Makassar"),
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_resolve_zone(name: str, key: str) -> None:
    assert resolve_zone(name).key == key


@pytest.mark.parametrize("name", ["", "WITB", "Mars/Olympus", "../../etc/passwd", "/etc/passwd"])
def test_resolve_zone_rejects_unknown(name: str) -> None:
    with pytest.raises(UnknownZoneError) as info:
        resolve_zone(name)
    assert (info.value.field, info.value.reason) == ("zone", "unknown_zone")


def test_zone_aliases_are_indonesian_zones() -> None:
    assert {ZoneInfo(v).utcoffset(NOW.replace(tzinfo=None)) for v in ZONE_ALIASES.values()} == {
        timedelta(hours=7),
        timedelta(hours=8),
        timedelta(hours=9),
    }


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ((2026, 1, 31), 1, (2026, 2, 28)),
        ((2028, 1, 31), 1, (2028, 2, 29)),
        ((2026, 12, 15), 1, (2027, 1, 15)),
        ((2026, 3, 31), -1, (2026, 2, 28)),
    ],
)
def test_add_months_clamps(
    start: tuple[int, int, int], months: int, expected: tuple[int, int, int]
) -> None:
    from datetime import date

    assert add_months(date(*start), months) == date(*expected)


def test_dated_examples_follow_today_and_parse() -> None:
    from bot.domain.dates import dated_examples

    now = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    first, second = dated_examples(now.date())
    assert (first, second) == ("15 Januari 2027", "15/1/2027 14.00")
    zone = resolve_zone("WITA")
    assert parse_due(first, now=now, tz=zone) > now
    assert parse_due(second, now=now, tz=zone).astimezone(UTC).hour == 6  # 14.00 WITA
