"""Translations and locale-aware formatting (i18n layer): gettext catalogs and Babel."""

from bot.i18n.catalog import Catalogs, Translator, load_catalogs

__all__ = ["Catalogs", "Translator", "load_catalogs"]
