"""Catalog maintenance: `python -m bot.i18n.tools extract|update|check` (Babel, no compile step).

extract  write bot/locales/messages.pot from the source (same options as the tests use)
update   merge the .pot into each locale's .po (new msgids appear untranslated)
check    list msgids that are missing, fuzzy or obsolete in the Indonesian catalog
fill F   set Indonesian translations from a JSON file {msgid: msgstr}; "context|msgid" keys for
         pgettext strings, a list of forms for plural strings
"""

from __future__ import annotations

import json
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog import DOMAIN, LOCALES_DIR, SUPPORTED

SOURCE_DIR = LOCALES_DIR.parent


def extract(source: Path = SOURCE_DIR) -> Catalog:
    """Extract every marked string under `source` (python method, TRANSLATORS comments)."""
    catalog = Catalog(
        project="pendamping-kepatuhan", copyright_holder="Pendamping Kepatuhan", charset="utf-8"
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=[("**.py", "python")],
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(catalog: Catalog, path: Path = LOCALES_DIR / f"{DOMAIN}.pot") -> None:
    """Write the template without locations or dates, so it only changes when strings change."""
    buffer = BytesIO()
    write_po(buffer, catalog, omit_header=True, no_location=True, sort_output=True)
    path.write_bytes(buffer.getvalue())


def read_catalog(locale: str) -> Catalog:
    """Read one locale's committed .po."""
    with (LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def update(template: Catalog) -> None:
    """Merge the template into every locale (keeps translations, drops obsolete ones)."""
    for locale in SUPPORTED:
        path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = read_catalog(locale) if path.exists() else Catalog(locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.project, catalog.version = "pendamping-kepatuhan", "0.1"
        catalog.copyright_holder = catalog.language_team = "Pendamping Kepatuhan"
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = BytesIO()
        write_po(buffer, catalog, no_location=True, sort_output=True, width=99)
        path.write_bytes(buffer.getvalue())


def problems(locale: str = "id") -> list[str]:
    """Msgids of a fresh extraction that are missing, fuzzy or untranslated in `locale`."""
    fresh = extract()
    catalog = read_catalog(locale)
    found = []
    for message in fresh:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            found.append(f"missing: {message.id!r}")
        elif entry.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
        elif not (all(entry.string) if isinstance(entry.string, tuple) else entry.string):
            found.append(f"untranslated: {message.id!r}")
    return found


def fill(translations: dict[str, str | list[str]], locale: str = "id") -> list[str]:
    """Write translations into a locale's .po; return the keys that matched no msgid."""
    catalog = read_catalog(locale)
    unused = set(translations)
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{message.context}|{key}" if message.context else key
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            unused.discard(key)
    buffer = BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, width=99)
    (LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po").write_bytes(buffer.getvalue())
    return sorted(unused)


def main(argv: list[str]) -> int:
    """Run one maintenance command."""
    command = argv[0] if argv else "check"
    if command == "extract":
        write_template(extract())
    elif command == "update":
        template = extract()
        write_template(template)
        update(template)
    elif command == "fill" and len(argv) == 2:
        unused = fill(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        if unused:
            print("no such msgid:", *unused, sep="\n  ")
            return 1
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalog complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
