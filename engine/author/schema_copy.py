"""The schema copy that travels with an author's scenarios, and the modeline that finds it.

An editor finds the scenario schema through the file's first line,
`# yaml-language-server: $schema=.nexus-ttx/scenario.schema.json`. Pointing it at a copy inside
the author's own folder (written by `nexus-ttx schema --write DIR` and by `new`) keeps it valid
when the folder is cloned elsewhere, when the Python environment is rebuilt, and for colleagues.
Pure functions: the commands read and write the files.
"""

from __future__ import annotations

import posixpath
import re
from enum import StrEnum
from typing import NamedTuple

from engine.core.i18n import _

COPY_DIR = ".nexus-ttx"
SCHEMA_NAME = "scenario.schema.json"
COPY_PATH = f"{COPY_DIR}/{SCHEMA_NAME}"
MODELINE_RE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(\S+)\s*$")
MAX_SCANNED_LINES = 40  # the modeline is a leading comment; no need to read a whole scenario
ENVIRONMENT_PARTS = ("site-packages", "dist-packages", "_data/schemas")


class Modeline(NamedTuple):
    """Where a file's `$schema=` reference is (1-based) and what it says."""

    line: int
    column: int
    ref: str


class CopyState(StrEnum):
    """How a scenario's schema reference stands against the installed schema."""

    CURRENT = "current"
    DIFFERENT = "different"  # NTX601: an older copy (or one from another version)
    MISSING = "missing"  # NTX602: the modeline points at no file
    IN_ENVIRONMENT = "in-environment"  # NTX603: a path into a Python environment


def modeline(ref: str) -> str:
    return f"# yaml-language-server: $schema={ref}"


def schema_ref(scenario_dir: str, copy_root: str) -> str:
    """The modeline's path from a scenario in `scenario_dir` to the copy under `copy_root`
    (both as POSIX paths relative to the same place)."""
    target = posixpath.join(copy_root, COPY_PATH)
    return posixpath.relpath(target, scenario_dir or ".")


def find_modeline(text: str) -> Modeline | None:
    """The scenario-schema modeline among the file's leading comment lines, if any."""
    for number, line in enumerate(text.splitlines()[:MAX_SCANNED_LINES], start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return None
        match = MODELINE_RE.match(stripped)
        if match and posixpath.basename(match.group(2)) == SCHEMA_NAME:
            column = line.index(match.group(2)) + 1
            return Modeline(number, column, match.group(2))
    return None


def is_local(ref: str) -> bool:
    """True for a path the file system resolves (not an http(s) URL or another scheme)."""
    return not re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", ref) or ref.startswith("file:")


def classify(ref: str, copy_text: str | None, installed_text: str) -> CopyState:
    """Compare what the modeline points at (None: no such file) with the installed schema.

    Only copies written by `schema --write` (`.../.nexus-ttx/scenario.schema.json`) are compared:
    that command is the fix the warnings name."""
    if any(part in ref.replace("\\", "/") for part in ENVIRONMENT_PARTS):
        return CopyState.IN_ENVIRONMENT
    if not ref.endswith(COPY_PATH):  # an author's own arrangement: not ours to judge
        return CopyState.CURRENT
    if copy_text is None:
        return CopyState.MISSING
    return CopyState.CURRENT if copy_text == installed_text else CopyState.DIFFERENT


def advice(state: CopyState, ref: str, folder: str) -> tuple[str, str] | None:
    """(code, message) for a warning about the modeline's schema, None when all is well."""
    fix = f"nexus-ttx schema --write {folder}"
    if state is CopyState.DIFFERENT:
        return (
            "NTX601",
            _(
                "the editor schema '{ref}' is not this nexus-ttx's (older, or from another "
                "version): completion and checks in your editor are out of date; refresh it: "
                "{fix}"
            ).format(ref=ref, fix=fix),
        )
    if state is CopyState.MISSING:
        return (
            "NTX602",
            _(
                "the editor schema '{ref}' named in the first line does not exist; write it: {fix}"
            ).format(ref=ref, fix=fix),
        )
    if state is CopyState.IN_ENVIRONMENT:
        return (
            "NTX603",
            _(
                "the editor schema '{ref}' lies inside a Python environment and breaks when it "
                "is moved or rebuilt, and for colleagues: run  {fix}  and change the first line "
                "to '{modeline}' (for a file in {folder})"
            ).format(ref=ref, fix=fix, modeline=modeline(COPY_PATH), folder=folder),
        )
    return None
