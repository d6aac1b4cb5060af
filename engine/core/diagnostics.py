"""Diagnostics: what `validate` reports, in one shape for text, JSON, the TUI and the tests.

Every diagnostic carries a stable code from the registry below; `docs/diagnostics.md` documents
each one with a failing example and the fix (a test keeps the two in step). Ranges:
NTX0xx the file and its YAML, NTX1xx the JSON Schema, NTX2xx references and meaning,
NTX3xx scenario analysis (loops, dead ends, reachability; added by the analysis pass),
NTX4xx toolkit catalog files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Code:
    """A registered diagnostic code: its default severity and a short title for the docs."""

    code: str
    severity: Severity
    title: str


@dataclass(frozen=True)
class Diagnostic:
    """One located problem. `line` and `column` are 1-based, like editors count them."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def format_text(self) -> str:
        """`file:line:col: error: NTX012 message`, the shape editors and CI annotate."""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.code} {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


CODES: dict[str, Code] = {}


def register(code: str, severity: Severity, title: str) -> Code:
    """Add a code to the registry (the analysis pass registers its NTX3xx codes the same way)."""
    if code in CODES and CODES[code] != Code(code, severity, title):
        raise ValueError(f"diagnostic code {code} registered twice")
    CODES[code] = Code(code, severity, title)
    return CODES[code]


# -- NTX0xx: the file and its YAML ---------------------------------------------------------
register("NTX001", "error", "file cannot be read")
register("NTX002", "error", "file too large")
register("NTX003", "error", "not UTF-8 text, or a forbidden control character")
register("NTX004", "error", "file is empty")
register("NTX005", "error", "YAML syntax error")
register("NTX006", "error", "tab used for indentation")
register("NTX007", "error", "duplicate key")
register("NTX008", "error", "anchors and aliases expand too far")
register("NTX009", "error", "more than one YAML document")
register("NTX010", "error", "top level is not a mapping")
register("NTX011", "error", "key is not a plain string")
register("NTX012", "error", "YAML tag not allowed")
register("NTX013", "error", "nesting too deep")
register("NTX014", "error", "not a nexus-ttx file")
# -- NTX015-NTX029: hostile input (sizes, special files, control characters) --------------------
register("NTX015", "error", "number too large")
register("NTX016", "error", "control character in quoted text")
register("NTX017", "error", "not a regular file")
register("NTX018", "error", "broken or looping link")
# -- NTX1xx: structure (JSON Schema) -------------------------------------------------------
register("NTX101", "error", "missing required key")
register("NTX102", "error", "unknown key")
register("NTX103", "error", "wrong type")
register("NTX104", "error", "value not allowed")
register("NTX105", "error", "badly formed id or value")
register("NTX106", "error", "too few or too many items, or empty text")
register("NTX107", "error", "number out of range")
register("NTX108", "error", "item listed twice")
register("NTX109", "error", "key not allowed for this kind of scene")
register("NTX199", "error", "other schema violation")
# -- NTX2xx: references and meaning ----------------------------------------------------------
register("NTX201", "error", "start scene does not exist")
register("NTX202", "error", "unknown scene")
register("NTX203", "error", "duplicate choice id")
register("NTX204", "error", "unknown key action")
register("NTX205", "error", "unknown watch point or indicator")
register("NTX207", "error", "undeclared variable")
register("NTX208", "error", "condition syntax error")
register("NTX209", "error", "condition names an unknown scene or choice")
register("NTX210", "error", "harmful choice without feedback")
register("NTX211", "warning", "recommended key action outside the declared practices")
register("NTX212", "error", "variable bounds inconsistent")
register("NTX213", "error", "reserved variable name")
register("NTX214", "error", "branch list misshapen")
register("NTX220", "error", "objective names an unknown practice")
register("NTX221", "warning", "objective practice never recommended")
register("NTX222", "error", "duplicate objective id")
register("NTX223", "warning", "objective practice not declared")
# -- NTX4xx: toolkit catalog files -----------------------------------------------------------
register("NTX401", "error", "toolkit catalog unavailable")
register("NTX402", "error", "duplicate id in the catalog")
register("NTX403", "error", "catalog id does not match its parent")
register("NTX404", "error", "catalog reference to an unknown id")


def make(
    code: str, file: str, line: int, column: int, message: str, severity: Severity | None = None
) -> Diagnostic:
    """Build a diagnostic for a registered code (its registered severity unless overridden)."""
    info = CODES[code]
    return Diagnostic(file, max(1, line), max(1, column), severity or info.severity, code, message)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.file, d.line, d.column, d.code)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sorted by position, exact repeats dropped (two passes may see the same thing)."""
    return tuple(sorted(set(diagnostics), key=sort_key))


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """` — did you mean 'x'?` for the closest candidate, or '' when nothing is close."""
    if not isinstance(word, str):
        return ""
    pool = list(candidates)
    folded = {c.casefold(): c for c in pool}
    if word.casefold() in folded and folded[word.casefold()] != word:
        return f" — did you mean '{folded[word.casefold()]}'?"
    match = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if not match:
        lowered = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
        match = [folded[lowered[0]]] if lowered else []
    return f" — did you mean '{match[0]}'?" if match else ""
