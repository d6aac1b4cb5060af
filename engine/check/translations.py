"""Checking translation files (`NAME.LANG.po`) against their base file.

One check serves `validate` (diagnostics NTX501-NTX509 located in the PO file) and
`nexus-ttx i18n check` (the counts per language). The base file's texts come from the one rule
for each kind of file: `scenario_fields` for a scenario, the catalog's text list for the
toolkit catalog, so a check can never disagree with what extraction and loading do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, NamedTuple

from engine.core.diagnostics import Diagnostic, cap_per_code, did_you_mean, hint_budget, make
from engine.core.i18n import _
from engine.load.scenario_text import scenario_fields
from engine.load.translation import (
    PO_SUFFIX,
    Translation,
    base_text,
    read_translation,
    split_translation_name,
)
from engine.load.yamlload import load_file

BASE_SUFFIXES = (".yaml", ".yml")
SCENARIO_FORMAT = "nexus-ttx/1"
TOOLKIT_FORMAT = "nexus-ttx-toolkit/1"


class Counts(NamedTuple):
    """What a translation covers: texts used, not translated, stale, and ids naming nothing."""

    total: int = 0
    translated: int = 0
    missing: int = 0
    stale: int = 0
    unknown: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "total": self.total,
            "translated": self.translated,
            "missing": self.missing,
            "stale": self.stale,
            "unknown": self.unknown,
        }


class TranslationCheck(NamedTuple):
    """One translation file checked: its language, counts and located diagnostics."""

    file: str
    language: str
    base: Path | None
    counts: Counts
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)


def base_of(po: Path) -> Path | None:
    """The base file a `NAME.LANG.po` translates (`NAME.yaml` or `NAME.yml` beside it)."""
    named = split_translation_name(po)
    if named is None:
        return None
    for suffix in BASE_SUFFIXES:
        candidate = po.with_name(named[0] + suffix)
        if candidate.exists():
            return candidate
    return None


def translations_beside(base: str | os.PathLike[str]) -> list[Path]:
    """The translation files of a base file: `NAME.*.po` beside `NAME.yaml`, sorted."""
    path = Path(base)
    if not path.parent.is_dir():
        return []
    out = []
    for candidate in path.parent.glob(f"{path.stem}.*{PO_SUFFIX}"):
        named = split_translation_name(candidate)
        if named is not None and named[0] == path.stem:
            out.append(candidate)
    return sorted(out)


def base_texts(data: Any) -> dict[str, str] | None:
    """id -> base text for a loaded base document (a scenario or the toolkit catalog); None
    when the document is neither, or the catalog cannot be built to list its texts."""
    if not isinstance(data, Mapping):
        return None
    if data.get("format") == SCENARIO_FORMAT:
        return {f.id: f.text for f in scenario_fields(data).values()}
    if data.get("format") == TOOLKIT_FORMAT:
        return _catalog_texts(data)
    return None


def _catalog_texts(data: Mapping[str, Any]) -> dict[str, str] | None:
    from engine.toolkit.catalog import build_catalog

    try:  # the catalog's own list of translatable texts (engine/toolkit/texts.py)
        catalog_texts = import_module("engine.toolkit.texts").catalog_texts
    except (ImportError, AttributeError):
        return None
    try:
        catalog = build_catalog(data)
    except Exception:  # a broken catalog: its own validation says why
        return None
    texts: dict[str, str] = catalog_texts(catalog)
    return {k: base_text(v) for k, v in texts.items() if v}


def _missing(file: str, field_id: str, language: str, line: int, column: int) -> Diagnostic:
    return make(
        "NTX507",
        file,
        line,
        column,
        _("{id} is not translated into {language} (the base text is shown)").format(
            id=field_id, language=language
        ),
    )


def compare(translation: Translation, texts: Mapping[str, str], language: str) -> TranslationCheck:
    """A read translation against the base texts (id -> text): counts and diagnostics."""
    file = translation.file
    found: list[Diagnostic] = list(translation.diagnostics)
    unknown = translated = missing = stale = 0
    with hint_budget():
        for entry in translation.entries.values():
            if entry.id not in texts:
                unknown += 1
                hint = did_you_mean(entry.id, texts)
                found.append(
                    make(
                        "NTX504",
                        file,
                        entry.line,
                        entry.column,
                        _("'{id}' names no text of the base file").format(id=entry.id) + hint,
                    )
                )
    for field_id, text in texts.items():
        known = translation.entries.get(field_id)
        if known is None or not known.msgstr:
            missing += 1
            where = (known.line, known.column) if known is not None else (1, 1)
            found.append(_missing(file, field_id, language, *where))
        elif known.text_for(text) is None:
            stale += 1
            why = (
                _("the base text changed since this was translated")
                if known.msgid != text
                else _("it is marked fuzzy (to be reviewed)")
            )
            found.append(
                make(
                    "NTX508",
                    file,
                    known.line,
                    known.column,
                    _(
                        "{id}: {why}; the base text is shown until the translation is "
                        "reviewed (nexus-ttx i18n update, then clear the fuzzy mark)"
                    ).format(id=field_id, why=why),
                )
            )
        else:
            translated += 1
    counts = Counts(len(texts), translated, missing, stale, unknown)
    return TranslationCheck(file, language, None, counts, tuple(cap_per_code(found)))


def check_translation_file(po: Path, file: str | None = None) -> TranslationCheck:
    """Read one `NAME.LANG.po` and check it against its base file beside it."""
    shown = file if file is not None else str(po)
    named = split_translation_name(po)
    language = named[1] if named else "?"
    base = base_of(po)
    if base is None:
        where = (
            _("no base file '{name}' beside this translation").format(name=f"{named[0]}.yaml")
            if named
            else _(
                "this file is not named NAME.LANG.po (e.g. my-scenario.fr.po), so it "
                "translates no file"
            )
        )
        d = make(
            "NTX503",
            shown,
            1,
            1,
            _(
                "{problem}: rename it after the file it translates (NAME.LANG.po beside "
                "NAME.yaml), or delete it"
            ).format(problem=where),
        )
        return TranslationCheck(shown, language, None, Counts(), (d,))
    translation = read_translation(po, shown)
    loaded = load_file(base)
    texts = base_texts(loaded.data) if loaded.ok else None
    if texts is None or not translation.ok:  # the base's own checks, or the syntax, say why
        return TranslationCheck(shown, language, base, Counts(), translation.diagnostics)
    result = compare(translation, texts, language)
    return TranslationCheck(shown, language, base, result.counts, result.diagnostics)


def translation_files(
    paths: Iterable[str | os.PathLike[str]], bases: Sequence[Path]
) -> tuple[list[Path], list[Diagnostic]]:
    """The PO files `validate` checks: those beside each base file, those under each folder
    (so a translation whose base is gone is found too), and PO files named directly."""
    from engine.load.files import files_named

    found: dict[Path, None] = {}
    problems: list[Diagnostic] = []
    for base in bases:
        found.update(dict.fromkeys(translations_beside(base)))
    for given in paths:
        p = Path(given)
        if p.is_dir():
            files, unreadable = files_named(p, (PO_SUFFIX,))
            found.update(dict.fromkeys(files))
            problems.extend(  # folders and links that loop: the YAML walk reports those
                make(u.code, str(u.path), 1, 1, u.message)
                for u in unreadable
                if u.path.name.lower().endswith(PO_SUFFIX)
            )
        elif p.name.lower().endswith(PO_SUFFIX):
            found[p] = None
    return sorted(found), problems
