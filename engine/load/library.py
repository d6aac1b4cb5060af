"""Scenario libraries: the built-in one plus folders given with --library / NEXUS_TTX_LIBRARY.

Listing reads each file's header and runs the schema's fast check, not the whole validation:
`list` stays quick, and a file that is structurally broken is reported ("skipped FILE: ...")
instead of listed (the library screen validates every file in a worker afterwards). One id in
two library files is an error everywhere it shows: both are listed and marked, `validate` says
NTX029, and opening the id is refused naming both files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from engine.core.diagnostics import Diagnostic, did_you_mean, make
from engine.core.i18n import _
from engine.core.resources import builtin_library
from engine.load.files import yaml_files
from engine.load.yamlload import load_file

SCENARIO_FORMAT = "nexus-ttx/1"
_SUFFIXES = (".yaml", ".yml")


class LibraryEntry(NamedTuple):
    """One scenario file as the library shows it. `parsed` is False when the file could not be
    read as a scenario; `problem` then says why in one line."""

    id: str
    title: str
    summary: str
    region: str
    countries: tuple[str, ...]
    environment: str
    manifestations: tuple[str, ...]
    watch_points: tuple[str, ...]
    good_practices: tuple[str, ...]
    audience: tuple[str, ...]
    duration_minutes: int | None
    path: Path
    parsed: bool = True
    problem: str | None = None
    conflicts: tuple[Path, ...] = ()  # other library files with the same id (an error)
    in_language: bool = True  # its title is in the language asked for (base or translated)

    def to_json(self) -> dict[str, Any]:
        """The stable `list --json` keys (README), plus summary, countries, audience and duration."""
        return {
            "id": self.id,
            "title": self.title,
            "environment": self.environment,
            "region": self.region,
            "manifestations": list(self.manifestations),
            "watch_points": list(self.watch_points),
            "good_practices": list(self.good_practices),
            "path": str(self.path),
            "summary": self.summary,
            "countries": list(self.countries),
            "audience": list(self.audience),
            "duration_minutes": self.duration_minutes,
            "conflicts": [str(p) for p in self.conflicts],
        }


class ScenarioNotFound(LookupError):
    """A scenario reference that is neither a file nor an id in the libraries (or an id that
    two library files claim)."""


def conflict_text(sid: str, paths: Sequence[Path]) -> str:
    """The one wording for an id that several library files use."""
    listed = _(" and ").join(str(p) for p in paths)
    return _(
        "scenario id '{id}' is used by {count} library files: {files}; give each "
        "scenario its own id (or open one by its file path)"
    ).format(id=sid, count=len(paths), files=listed)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


_SHOWN_TEXTS = ("title", "summary", "region")  # what a listing shows of a scenario's texts


def shown_texts(path: Path, data: dict[str, Any], language: str | None) -> dict[str, str]:
    """The title, summary, region and audience (`audience.0`, `audience.1`, ...) a listing
    shows, in `language` where the scenario's `NAME.LANGUAGE.po` translates them (each text on
    its own: an untranslated, fuzzy or stale one stays in the base language, as at load time).
    Only those entries are read."""
    from engine.load.translation import base_text, is_language, quick_entries, translation_path

    texts = {name: _text(data.get(name)) for name in _SHOWN_TEXTS}
    texts |= {f"audience.{n}": text for n, text in enumerate(_strs(data.get("audience")))}
    base_language = _text(data.get("language")) or "en"
    if not language or language == base_language or not is_language(language):
        return texts
    po = translation_path(path, language)
    if not po.is_file():
        return texts
    entries = quick_entries(po, [f"scenario.{name}" for name in texts])
    for name, text in texts.items():
        entry = entries.get(f"scenario.{name}")
        translated = entry.text_for(base_text(text)) if entry is not None and text else None
        if translated:
            texts[name] = translated
    return texts


def read_entry(path: Path, language: str | None = None) -> LibraryEntry | None:
    """The entry for one file; None when it is not a scenario at all (the toolkit catalog).
    With `language`, its title, summary and region as `shown_texts` gives them."""
    loaded = load_file(path)
    data = loaded.data
    if not loaded.ok or not isinstance(data, dict):
        first = loaded.diagnostics[0] if loaded.diagnostics else None
        problem = (
            _("line {line}: {message}").format(line=first.line, message=first.message)
            if first
            else _("unreadable")
        )
        return _broken(path, problem)
    if data.get("format") != SCENARIO_FORMAT:
        if "scenes" in data:
            return _broken(
                path,
                _("format is {found!r}, not {expected}").format(
                    found=data.get("format"), expected=SCENARIO_FORMAT
                ),
            )
        return None
    from engine.load.schema_check import is_valid

    parsed = is_valid(data, "scenario")
    duration = data.get("duration_minutes")
    texts = shown_texts(path, data, language)
    return LibraryEntry(
        id=_text(data.get("id")) or path.stem,
        title=texts["title"] or path.stem,
        summary=texts["summary"],
        region=texts["region"],
        countries=_strs(data.get("countries")),
        environment=_text(data.get("environment")),
        manifestations=_strs(data.get("manifestations")),
        watch_points=_strs(data.get("watch_points")),
        good_practices=_strs(data.get("good_practices")),
        audience=tuple(v for k, v in texts.items() if k.startswith("audience.")),
        duration_minutes=duration
        if isinstance(duration, int) and not isinstance(duration, bool)
        else None,
        path=path,
        parsed=parsed,
        problem=None if parsed else _("does not match the scenario schema"),
        in_language=_speaks(data, texts, language),
    )


def _speaks(data: dict[str, Any], texts: dict[str, str], language: str | None) -> bool:
    """The entry's title is shown in `language`: the base language, or translated."""
    base_language = _text(data.get("language")) or "en"
    return not language or language == base_language or texts["title"] != _text(data.get("title"))


def _broken(path: Path, problem: str) -> LibraryEntry:
    return LibraryEntry(
        path.stem,
        path.stem,
        "",
        "",
        (),
        "",
        (),
        (),
        (),
        (),
        None,
        path,
        parsed=False,
        problem=problem,
    )


def library_folders(
    dirs: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> list[Path]:
    """Folders in search order: the ones given first (they may override), then the built-in."""
    folders = [Path(d) for d in dirs]
    if builtin:
        folders.append(builtin_library())
    return folders


def scenario_files(folder: Path) -> list[Path]:
    """YAML files under a folder, sorted, skipping hidden folders."""
    return scenario_files_and_problems(folder)[0]


def scenario_files_and_problems(folder: Path) -> tuple[list[Path], list[str]]:
    """`scenario_files`, and one line per thing in the folder that could not be read."""
    if not folder.is_dir():
        return [], []
    files, unreadable = yaml_files(folder)
    return files, [
        _("skipped {file}: {problem}").format(file=u.path, problem=u.message) for u in unreadable
    ]


def discover(
    dirs: Iterable[str | os.PathLike[str]] = (),
    builtin: bool = True,
    keep_broken: bool = False,
    language: str | None = None,
) -> tuple[list[LibraryEntry], list[str]]:
    """Scenarios sorted by id (then search order), and one line per problem; with `language`,
    titles, summaries and regions in that language where the scenarios translate them.

    A file that fails the quick check is a problem line, or with `keep_broken` an entry (marked
    not parsed, after the others: the library screen lists it so its author can open it). Two
    files with one id are both kept, each naming the other in `conflicts`, and the conflict is a
    problem line: neither silently replaces the other.
    """
    entries: list[LibraryEntry] = []
    broken: list[LibraryEntry] = []
    problems: list[str] = []
    for folder in library_folders(dirs, builtin):
        if not folder.is_dir():
            problems.append(_("skipped {folder}: no such folder").format(folder=folder))
            continue
        files, unreadable = scenario_files_and_problems(folder)
        problems.extend(unreadable)
        for path in files:
            entry = read_entry(path, language)
            if entry is None:
                continue
            if entry.parsed:
                entries.append(entry)
            elif keep_broken:
                broken.append(entry)
            else:
                problems.append(
                    _(
                        "skipped {file}: not a valid scenario — run nexus-ttx validate {file}"
                    ).format(file=path)
                )
    marked, conflicts = _mark_conflicts(entries)
    problems.extend(conflicts)
    return sorted(marked, key=lambda e: e.id) + broken, problems  # stable: search order kept


def _mark_conflicts(entries: list[LibraryEntry]) -> tuple[list[LibraryEntry], list[str]]:
    by_id: dict[str, list[Path]] = {}
    for entry in entries:
        by_id.setdefault(entry.id, []).append(entry.path)
    marked = [
        e._replace(conflicts=tuple(p for p in by_id[e.id] if p != e.path))
        if len(by_id[e.id]) > 1
        else e
        for e in entries
    ]
    said = [conflict_text(sid, paths) for sid, paths in by_id.items() if len(paths) > 1]
    return marked, said


# A top-level `id:` line as authors write it; a file where it is not found this way is parsed.
_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?[ \t]*(?:#.*)?\r?$", re.M)


_SCENARIO_LINE = re.compile(rb"^(?:format:[ \t]*['\"]?nexus-ttx/|scenes:)", re.M)


def _quick_id(path: Path) -> str | None:
    """The file's id from its one top-level `id:` line, without parsing (None: not found);
    "" for a file with neither a scenario's `format:` nor `scenes:` line (the toolkit)."""
    try:
        text = path.read_bytes()
    except OSError:
        return None
    if not _SCENARIO_LINE.search(text):
        return ""
    found = _ID_LINE.findall(text)
    return found[0].decode() if len(found) == 1 else None


def library_conflicts(
    dirs: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> list[LibraryEntry]:
    """What `conflicts_of` needs, cheaply: only the library files that may share an id are read
    as `discover` reads them (a file whose id the line scan cannot find counts as one that may).
    `validate` asks this for every run, and parsing every library file was most of its time."""
    dirs = list(dirs)
    by_id: dict[str | None, list[Path]] = {}
    for folder in library_folders(dirs, builtin):
        files, _unreadable = scenario_files_and_problems(folder)
        for path in files:
            sid = _quick_id(path)
            if sid != "":  # not a scenario: read_entry would skip it too
                by_id.setdefault(sid, []).append(path)
    if None in by_id:  # an id written another way could match any file: read them all
        suspects = [p for paths in by_id.values() for p in paths]
    else:
        suspects = [p for paths in by_id.values() if len(paths) > 1 for p in paths]
    if not suspects:
        return []
    entries = [e for e in map(read_entry, suspects) if e is not None and e.parsed]
    return _mark_conflicts(entries)[0]


def conflicts_of(path: Path, entries: Iterable[LibraryEntry]) -> tuple[Path, ...]:
    """The other library files that use the id of the library file at `path` (none when the
    file is not in the libraries)."""
    target = path.resolve()
    for entry in entries:
        if entry.conflicts and entry.path.resolve() == target:
            return entry.conflicts
    return ()


def conflict_diagnostic(path: Path, shown: str, others: Sequence[Path]) -> Diagnostic:
    """NTX029 at the file's `id`, naming every file involved."""
    loaded = load_file(path, shown)
    sid = loaded.data.get("id") if isinstance(loaded.data, dict) else None
    at = loaded.source.locate(("id",)) if loaded.source is not None else None
    return make(
        "NTX029",
        shown,
        at.line if at else 1,
        at.column if at else 1,
        conflict_text(str(sid), [path, *others]),
    )


def find_scenario(
    ref: str | os.PathLike[str], dirs: Sequence[str | os.PathLike[str]] = (), builtin: bool = True
) -> Path:
    """A scenario argument: a path to a file, or an id looked up in the libraries.

    The lookup reads only each file's `id`, so a scenario with errors is still found (and its
    diagnostics shown when it is opened).
    """
    path = Path(ref)
    if path.exists() and not path.is_dir():
        return path  # a pipe or device too: loading refuses it with a located message
    text = str(ref)
    if path.suffix.lower() in _SUFFIXES or os.sep in text or "/" in text:
        raise ScenarioNotFound(f"no such file: {text}")
    known: dict[str, Path] = {}
    found: list[Path] = []
    for folder in library_folders(dirs, builtin):
        for file in scenario_files(folder):
            loaded = load_file(file)
            data = loaded.data
            if isinstance(data, dict) and data.get("format") == SCENARIO_FORMAT:
                sid = data.get("id")
                if isinstance(sid, str):
                    if sid == text:
                        found.append(file)
                    known.setdefault(sid, file)
    if len(found) > 1:
        raise ScenarioNotFound(conflict_text(text, found))
    if found:
        return found[0]
    hint = did_you_mean(text, known)
    if hint:
        raise ScenarioNotFound(f"no scenario '{text}' in the library{hint}")
    listed = ", ".join(sorted(known)) if known else "none"
    raise ScenarioNotFound(
        f"no scenario '{text}' in the library (known ids: {listed}); give a "
        "file path, or add a folder with --library DIR"
    )
