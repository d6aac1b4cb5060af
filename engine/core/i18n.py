"""The interface's language: gettext over the compiled catalogs shipped in `engine/locale/`.

One language is active per process. The edges (the command line, the TUI's launch, the web
server's start) choose it once with `choose_language` and call `set_language` before any text
is produced; everything else calls `_()`/`ngettext()`/`pgettext()` at the moment it builds a
string. Module-level constants are marked with `N_()` (which only marks them for extraction) and
translated where they are used, so importing a module never freezes a language
(docs/architecture.md, "Languages").

Codes, ids and JSON keys never go through these functions: only sentences people read do.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

DOMAIN = "nexus-ttx"
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"  # engine/locale/
ENV_VAR = "NEXUS_TTX_LANG"
# POSIX order: the first of these that is set (non-empty) names the locale for messages.
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


class LanguageChoice(NamedTuple):
    """The language chosen, where it came from, and a warning when a request was not met."""

    language: str
    source: str  # "option" | "environment" | "locale" | "default"
    warning: str | None = None


class _Active:
    """The process's one interface language (set at the edge by `set_language`)."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self.translations: gettext.NullTranslations = gettext.NullTranslations()


_ACTIVE = _Active()


@cache
def available_languages() -> tuple[str, ...]:
    """English (the source language) and every language with a compiled catalog."""
    found = {DEFAULT_LANGUAGE}
    if LOCALE_DIR.is_dir():
        for folder in LOCALE_DIR.iterdir():
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
                found.add(folder.name)
    return tuple(sorted(found))


def normalize(value: str) -> str | None:
    """The language a tag or POSIX locale names among ours ("fr_FR.UTF-8" -> "fr"), or None.

    "C" and "POSIX" name no language (None, quietly English). A region we have no catalog for
    falls back to its language ("fr-CA" -> "fr").
    """
    tag = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not tag or tag in ("C", "POSIX"):
        return None
    languages = available_languages()
    for candidate in (tag, tag.split("_", 1)[0].lower()):
        if candidate in languages:
            return candidate
    return None


def choose_language(cli_value: str | None, environ: Mapping[str, str]) -> LanguageChoice:
    """`--lang`, then NEXUS_TTX_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG), then English.

    An explicit request (the option or NEXUS_TTX_LANG) for a language we have no catalog for
    gives English and a warning; a locale we do not speak gives English quietly, since the
    person did not ask this program for it.
    """
    for value, source in ((cli_value, "option"), (environ.get(ENV_VAR), "environment")):
        if value:
            language = normalize(value)
            if language is not None:
                return LanguageChoice(language, source)
            warning = _(
                "unknown language {language!r} (available: {available}); using English"
            ).format(language=value, available=", ".join(available_languages()))
            return LanguageChoice(DEFAULT_LANGUAGE, "default", warning)
    for name in LOCALE_VARS:
        value = environ.get(name)
        if value:
            language = normalize(value)
            if language is None:
                break
            return LanguageChoice(language, "locale")
    return LanguageChoice(DEFAULT_LANGUAGE, "default")


@cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def set_language(language: str) -> None:
    """Make `language` the process's interface language (an unknown one means English)."""
    chosen = normalize(language) or DEFAULT_LANGUAGE
    _ACTIVE.translations = _translations(chosen)
    _ACTIVE.language = chosen


def current_language() -> str:
    """The active interface language, e.g. "en" or "fr"."""
    return _ACTIVE.language


def _(message: str) -> str:
    """The active language's translation of `message` (the message itself when none)."""
    return _ACTIVE.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, by the active language's plural rule."""
    return _ACTIVE.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`, for short words that read differently by use."""
    return _ACTIVE.translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` with a context."""
    return _ACTIVE.translations.npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; translate it with `_()` where it is used."""
    return message
