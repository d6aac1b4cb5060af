"""Making and refreshing translation files: `nexus-ttx i18n extract` and `i18n update`.

Both walk the scenario with the one field rule (`scenario_fields`) and write a PO file with Babel. `update` is gettext's msgmerge keyed by
id: a translation whose base text is unchanged stays as it is; one whose base text changed keeps
its msgstr, gets the new msgid, the old one as `#| msgid` and the fuzzy mark (it is not used
until a translator reviews it); an entry whose id no longer exists is kept as an obsolete `#~`
entry, never dropped; an obsolete entry whose id comes back is revived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.load.scenario_text import scenario_fields
from engine.load.translation import Entry, Translation, render_translation
from engine.load.yamlload import SourceMap

GUIDE = 'docs/authoring.md, "Translating a scenario"'


@dataclass(frozen=True)
class Updated:
    """An updated translation's entries and what changed, for the command's summary."""

    entries: tuple[Entry, ...]
    obsolete: tuple[Entry, ...]
    added: int
    changed: int  # base text changed: now fuzzy with the previous msgid
    retired: int  # kept as obsolete
    revived: int


def template(data: Any, source: SourceMap | None, base_name: str) -> list[Entry]:
    """Every translatable text of a scenario as an untranslated entry, in file order, with a
    note for the translator saying where it is (`FILE:LINE scenes.briefing.text`)."""
    entries = []
    for f in scenario_fields(data).values():
        where = source.value(f.path) if source is not None else None
        shown = ".".join(str(p) for p in f.path)
        note = f"{base_name}:{where.line} {shown}" if where else shown
        entries.append(Entry(f.id, f.text, "", notes=(note,)))
    return entries


def _merged(fresh: Entry, old: Entry) -> tuple[Entry, bool]:
    """`old`'s translation on `fresh`'s text; True when the base text changed."""
    if old.msgid == fresh.msgid:
        return fresh._replace(
            msgstr=old.msgstr,
            fuzzy=old.fuzzy and bool(old.msgstr),
            previous_msgid=old.previous_msgid,
            comments=old.comments,
        ), False
    if not old.msgstr:
        return fresh._replace(comments=old.comments), False
    previous = old.previous_msgid if old.fuzzy and old.previous_msgid else old.msgid
    return (
        fresh._replace(
            msgstr=old.msgstr, fuzzy=True, previous_msgid=previous, comments=old.comments
        ),
        True,
    )


def update(fresh: list[Entry], existing: Translation | None) -> Updated:
    """Merge an existing translation into the fresh template (see the module's docstring)."""
    live = dict(existing.entries) if existing is not None else {}
    retired = {e.id: e for e in existing.obsolete} if existing is not None else {}
    entries: list[Entry] = []
    added = changed = revived = 0
    for entry in fresh:
        old = live.pop(entry.id, None)
        if old is None and entry.id in retired:
            old = retired.pop(entry.id)
            revived += 1
        if old is None:
            entries.append(entry)
            added += 1
            continue
        merged, moved = _merged(entry, old)
        entries.append(merged)
        changed += moved
    newly_retired = [e._replace(notes=()) for e in live.values() if e.msgstr or e.comments]
    obsolete = tuple(newly_retired) + tuple(retired.values())
    return Updated(tuple(entries), obsolete, added, changed, len(newly_retired), revived)


def header(title: str, base_name: str, language: str | None) -> str:
    what = f"{language} translation" if language else "Translation template"
    return (
        f"{what} of the scenario “{title}” ({base_name}).\n"
        "msgctxt is the id of the text, msgid the base text, msgstr the translation.\n"
        f"Edit with Poedit or Weblate; refresh with nexus-ttx i18n update; see {GUIDE}."
    )


def opening_comment(po_text: str) -> str | None:
    """A PO file's opening `#` comment as plain lines (without the `# `), or None if it has none.
    The scan stops at the first line that is not a plain comment (`#,` flags, `#.`, `msgid`)."""
    lines: list[str] = []
    for line in po_text.removeprefix("\ufeff").splitlines():
        if line == "#":
            lines.append("")
        elif line.startswith("# "):
            lines.append(line[2:])
        else:
            break
    text = "\n".join(lines).strip("\n")
    return text or None


TRANSLATOR_FIELDS = ("Last-Translator", "Language-Team", "PO-Revision-Date")


@dataclass(frozen=True)
class KeptHeader:
    """What `update` carries over from an existing translation's header, as gettext's msgmerge
    does: the opening comment (a glossary of the region's terms, credits, notes) and the
    translator's own fields (`TRANSLATOR_FIELDS`, which Poedit fills in on saving)."""

    comment: str | None = None
    translator: tuple[tuple[str, str], ...] = ()


def kept_header(po_text: str) -> KeptHeader:
    """The header parts of an existing PO file's text that `update` keeps (see `KeptHeader`)."""
    from io import BytesIO

    from babel.messages.pofile import read_po

    catalog = read_po(BytesIO(po_text.encode("utf-8")))
    fields = dict(catalog.mime_headers)
    kept = tuple((name, fields[name]) for name in TRANSLATOR_FIELDS if fields.get(name))
    return KeptHeader(opening_comment(po_text), kept)


def render(
    entries: list[Entry] | tuple[Entry, ...],
    language: str | None,
    data: Any,
    base: Path,
    obsolete: tuple[Entry, ...] = (),
    kept: KeptHeader | None = None,
) -> bytes:
    """The PO (or, with no language, POT) file for a base document; `kept` is what an existing
    file's header keeps (see `KeptHeader`), written instead of the defaults."""
    title = data.get("title", base.stem) if isinstance(data, Mapping) else base.stem
    project = data.get("id", base.stem) if isinstance(data, Mapping) else base.stem
    return render_translation(
        list(entries),
        language,
        obsolete=obsolete,
        project=str(project),
        header=(kept and kept.comment) or header(str(title), base.name, language),
        translator=dict(kept.translator) if kept else None,
    )
