"""Shared wording and formatting of the recap files (Indonesian whatever the reader's language:
the files are documents for the regional secretary)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.methodology import Category, Zone

DISCLAIMER = "Perkiraan — bukan nilai resmi Ombudsman"
NOT_STARTED = "belum mulai"
ZONE_COLOURS = {
    Zone.HIJAU: "#cfe8d5",
    Zone.KUNING: "#fbeec1",
    Zone.MERAH: "#f6d0cf",
    None: "#eeeeee",
}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def local(moment: datetime | None, zone: str) -> datetime | None:
    """A UTC datetime as naive local time in `zone` (what a spreadsheet cell can hold)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def number(value: Decimal | None) -> float | None:
    """A Decimal as a float for a spreadsheet cell (None stays empty)."""
    return float(value) if value is not None else None


def id_number(value: Decimal | float | None, places: int = 2, *, signed: bool = False) -> str:
    """Indonesian notation: 1.234,56 ("-" for None); `signed` writes +/- in front."""
    if value is None:
        return "-"
    text = f"{value:{'+' if signed else ''},.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def zone_name(zone: str) -> str:
    """WIB/WITA/WIT for the Indonesian zones, else the IANA name."""
    return ZONE_NAMES.get(zone, zone)


def id_date(moment: datetime, zone: str, *, time: bool = True) -> str:
    """'6 Desember 2026 10:40 WITA' in the government's zone."""
    at = moment.astimezone(ZoneInfo(zone))
    text = f"{at.day} {MONTHS[at.month - 1]} {at.year}"
    return f"{text} {at:%H:%M} {zone_name(zone)}" if time else text


RANK_COLOURS = ("#cfe8d5", "#e2efc4", "#fbeec1", "#f9dcc0", "#f6d0cf")


def category_colour(categories: tuple[Category, ...], code: str | None) -> str:
    """The band colour of a category code: its zone's colour, else by rank (best = green,
    worst = red); grey when the code is unknown or None."""
    ranked = sorted(categories, key=lambda c: c.min, reverse=True)
    for rank, category in enumerate(ranked):
        if category.code == code:
            if category.zone is not None:
                return ZONE_COLOURS[category.zone]
            position = round(rank * (len(RANK_COLOURS) - 1) / max(len(ranked) - 1, 1))
            return RANK_COLOURS[position]
    return ZONE_COLOURS[None]


ABBREVIATIONS = {
    "dan": "&",
    "Kabupaten": "Kab.",
    "Kecamatan": "Kec.",
    "Kelurahan": "Kel.",
    "Masyarakat": "Masy.",
    "Pemberdayaan": "Pemb.",
    "Kependudukan": "Kependud.",
    "Pencatatan": "Pencat.",
    "Pendidikan": "Pend.",
    "Kebudayaan": "Keb.",
    "Kesehatan": "Kes.",
    "Pelayanan": "Pel.",
    "Penanaman": "Penan.",
    "Perizinan": "Perizin.",
    "Terpadu": "Terp.",
    "Puskesmas": "PKM",
    "Sekretariat": "Sekret.",
}


def short_name(name: str, width: int = 31) -> str:
    """A name within `width` characters, still readable: known long words abbreviated first
    (longest first), then other long words; then words in the middle left out, visibly."""
    words = name.split()
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))
    for index in order:
        if len(" ".join(words)) <= width:
            break
        words[index] = ABBREVIATIONS.get(words[index], words[index])
    for index in order:  # unknown long words: first five letters and a dot
        if len(" ".join(words)) <= width:
            break
        if len(words[index]) > 6 and not words[index].endswith("."):
            words[index] = words[index][:5] + "."
    text = " ".join(words)
    if len(text) <= width:
        return text
    # Still too long: leave out words in the middle, visibly ("…"), so the start and the end
    # (often a number) stay.
    left, right = words[: len(words) // 2], words[len(words) // 2 :]
    while len(" ".join([*left, "…", *right])) > width and len(left) + len(right) > 2:
        if len(left) > 1:
            left.pop()
        else:
            right.pop(0)
    text = " ".join([*left, "…", *right])
    return text if len(text) <= width else text[: width - 1] + "…"
