"""Scenario libraries: the built-in one plus folders given with --library / NEXUS_TTX_LIBRARY.

Listing reads each file's header and runs the schema's fast check, not the whole validation:
`list` and the library screen stay quick, and a file that is structurally broken is reported
("skipped FILE: ...") instead of listed. Reference errors surface when the scenario is opened,
with full diagnostics.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.core.diagnostics import did_you_mean
from engine.core.resources import builtin_library
from engine.load.files import yaml_files
from engine.load.yamlload import load_file

SCENARIO_FORMAT = "nexus-ttx/1"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LibraryEntry:
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
        }


class ScenarioNotFound(LookupError):
    """A scenario reference that is neither a file nor an id in the libraries."""


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_entry(path: Path) -> LibraryEntry | None:
    """The entry for one file; None when it is not a scenario at all (the toolkit catalog)."""
    loaded = load_file(path)
    data = loaded.data
    if not loaded.ok or not isinstance(data, dict):
        first = loaded.diagnostics[0] if loaded.diagnostics else None
        return _broken(path, f"line {first.line}: {first.message}" if first else "unreadable")
    if data.get("format") != SCENARIO_FORMAT:
        if "scenes" in data:
            return _broken(path, f"format is {data.get('format')!r}, not {SCENARIO_FORMAT}")
        return None
    from engine.load.schema_check import is_valid

    parsed = is_valid(data, "scenario")
    duration = data.get("duration_minutes")
    return LibraryEntry(
        id=_text(data.get("id")) or path.stem,
        title=_text(data.get("title")) or path.stem,
        summary=_text(data.get("summary")),
        region=_text(data.get("region")),
        countries=_strs(data.get("countries")),
        environment=_text(data.get("environment")),
        manifestations=_strs(data.get("manifestations")),
        watch_points=_strs(data.get("watch_points")),
        good_practices=_strs(data.get("good_practices")),
        audience=_strs(data.get("audience")),
        duration_minutes=duration
        if isinstance(duration, int) and not isinstance(duration, bool)
        else None,
        path=path,
        parsed=parsed,
        problem=None if parsed else "does not match the scenario schema",
    )


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
    return files, [f"skipped {u.path}: {u.message}" for u in unreadable]


def discover(
    dirs: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> tuple[list[LibraryEntry], list[str]]:
    """Playable-looking scenarios sorted by id, and one line per file that was skipped."""
    entries: dict[str, LibraryEntry] = {}
    problems: list[str] = []
    for folder in library_folders(dirs, builtin):
        if not folder.is_dir():
            problems.append(f"skipped {folder}: no such folder")
            continue
        files, unreadable = scenario_files_and_problems(folder)
        problems.extend(unreadable)
        for path in files:
            entry = read_entry(path)
            if entry is None:
                continue
            if not entry.parsed:
                problems.append(
                    f"skipped {path}: not a valid scenario — run nexus-ttx validate {path}"
                )
            elif entry.id in entries:
                problems.append(
                    f"skipped {path}: scenario id '{entry.id}' is already used by "
                    f"{entries[entry.id].path}"
                )
            else:
                entries[entry.id] = entry
    return sorted(entries.values(), key=lambda e: e.id), problems


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
    for folder in library_folders(dirs, builtin):
        for file in scenario_files(folder):
            loaded = load_file(file)
            data = loaded.data
            if isinstance(data, dict) and data.get("format") == SCENARIO_FORMAT:
                sid = data.get("id")
                if isinstance(sid, str):
                    if sid == text:
                        return file
                    known.setdefault(sid, file)
    hint = did_you_mean(text, known)
    if hint:
        raise ScenarioNotFound(f"no scenario '{text}' in the library{hint}")
    listed = ", ".join(sorted(known)) if known else "none"
    raise ScenarioNotFound(
        f"no scenario '{text}' in the library (known ids: {listed}); give a "
        "file path, or add a folder with --library DIR"
    )
