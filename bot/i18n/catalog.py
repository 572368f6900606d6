"""Load the committed .po catalogs once (no compile step) and translate per update."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SUPPORTED = ("id", "en")


class Translator:
    """gettext for one locale plus Babel formatting in that locale."""

    def __init__(self, locale: str, translations: gettext.NullTranslations) -> None:
        self.locale = locale
        self._t = translations

    def gettext(self, message: str) -> str:
        """Translate a message."""
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message that depends on a count."""
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """Translate a short word whose meaning depends on context."""
        return self._t.pgettext(context, message)

    def number(self, value: Decimal | float | int, digits: int = 2) -> str:
        """A number with the locale's separators and exactly `digits` decimals ("88,23")."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def datetime(self, value: datetime, zone: str, pattern: str | None = None) -> str:
        """A moment in the member's zone, e.g. "Kamis, 12 Juni 2025 pukul 08.00 WITA"."""
        local = value.astimezone(ZoneInfo(zone))
        if pattern is None:
            day = format_date(local.date(), format="EEEE, d MMMM y", locale=self.locale)
            clock = format_datetime(
                local,
                format="HH.mm" if self.locale == "id" else "HH:mm",
                tzinfo=ZoneInfo(zone),
                locale=self.locale,
            )
            # TRANSLATORS: {day} is a full date, {time} a clock time, {zone} e.g. WITA.
            return self.gettext("{day} at {time} {zone}").format(
                day=day, time=clock, zone=zone_abbreviation(zone, local)
            )
        return format_datetime(local, format=pattern, tzinfo=ZoneInfo(zone), locale=self.locale)

    def date(self, value: date) -> str:
        """A calendar date, e.g. "12 Juni 2025"."""
        return format_date(value, format="d MMMM y", locale=self.locale)


def zone_abbreviation(zone: str, moment: datetime) -> str:
    """WIB/WITA/WIT for Indonesian zones, else the zone's own abbreviation."""
    names = {
        "Asia/Jakarta": "WIB",
        "Asia/Pontianak": "WIB",
        "Asia/Makassar": "WITA",
        "Asia/Jayapura": "WIT",
    }
    return names.get(zone) or moment.tzname() or zone


@dataclass(frozen=True, slots=True)
class Catalogs:
    """All loaded translations; `for_locale` never fails (unknown → default)."""

    translations: dict[str, gettext.NullTranslations]
    default: str = "id"

    def for_locale(self, locale: str | None) -> Translator:
        """A translator for `locale` (a Telegram language_code like 'en-US' works too)."""
        code = (locale or self.default).split("-")[0].lower()
        if code not in self.translations:
            code = self.default
        return Translator(code, self.translations[code])


def _load_po(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parent.parent.name, domain=DOMAIN)
    buffer = BytesIO()
    # Fuzzy entries are not trusted: write_mo leaves them out unless use_fuzzy is set.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def load_catalogs(default: str = "id", directory: Path = LOCALES_DIR) -> Catalogs:
    """Read every committed .po file; English falls back to the (English) msgids."""
    translations: dict[str, gettext.NullTranslations] = {}
    for code in SUPPORTED:
        po = directory / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        translations[code] = _load_po(po) if po.exists() else gettext.NullTranslations()
    return Catalogs(translations, default)
