"""Diagnostics: what `validate` reports, in one shape for text, JSON, the TUI and the tests.

Every diagnostic carries a stable code from the registry below; `docs/diagnostics.md` documents
each one with a failing example and the fix (a test keeps the two in step). Ranges:
NTX0xx the file and its YAML, NTX1xx the JSON Schema, NTX2xx references and meaning,
NTX3xx scenario analysis (loops, dead ends, reachability; found by the analysis pass),
NTX4xx toolkit catalog files, NTX5xx translation files (PO), NTX6xx authoring (the editor schema a scenario names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


def _one_line(text: str) -> str:
    from engine.core.safe_text import for_terminal

    return for_terminal(text).replace("\r", "\\r").replace("\n", "\\n")


class Code(NamedTuple):
    """A registered diagnostic code: its default severity and a short title for the docs."""

    code: str
    severity: Severity
    title: str


# Diagnostic is written out rather than made with @dataclass(frozen=True): every command imports
# this module, and `dataclasses` (with the `inspect` it imports) plus the generated methods cost
# more start-up time than a whole `validate` of a small file. The behaviour is a frozen
# dataclass's: fields by position or name, equality and hash over the fields (same class only),
# a repr naming them, no assignment.


class Diagnostic:
    """One located problem. `line` and `column` are 1-based, like editors count them."""

    __slots__ = ("code", "column", "file", "line", "message", "severity")
    _FIELDS = ("file", "line", "column", "severity", "code", "message")  # in order
    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def __init__(
        self, file: str, line: int, column: int, severity: Severity, code: str, message: str
    ) -> None:
        init = object.__setattr__
        init(self, "file", file)
        init(self, "line", line)
        init(self, "column", column)
        init(self, "severity", severity)
        init(self, "code", code)
        init(self, "message", message)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return Diagnostic._FIELDS

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Diagnostic)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._names())
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a diagnostic is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a diagnostic is immutable")

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        return (type(self), self._values())  # copy and pickle without assigning fields

    def format_text(self) -> str:
        """`file:line:col: error: NTX012 message`, the shape editors and CI annotate: always
        one line, with control characters in the file name or message escaped."""
        file, message = _one_line(self.file), _one_line(self.message)
        return f"{file}:{self.line}:{self.column}: {self.severity}: {self.code} {message}"

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


class MoreLikeThis(Diagnostic):
    """Stands for `count` further diagnostics of `code` in `file` that were counted, not built;
    placed where the first of them is."""

    __slots__ = ("count",)
    count: int

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        severity: Severity,
        code: str,
        message: str,
        count: int = 0,
    ) -> None:
        super().__init__(file, line, column, severity, code, message)
        object.__setattr__(self, "count", count)

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return (*Diagnostic._FIELDS, "count")


MAX_PER_CODE = 50  # messages of one code shown per file; the rest become one MoreLikeThis
MAX_HINTS_PER_FILE = 200  # "did you mean" lookups per file (each costs a fuzzy match)


class Collector:
    """Diagnostics of one file, at most `limit` per code: a list of a million bad items gives
    fifty messages and "… and 999,950 more like this", and the work past the cap is a count
    (callers ask `room()` before building a message, so no lookup is done for it)."""

    def __init__(self, limit: int = MAX_PER_CODE) -> None:
        self.limit = limit
        self._kept: list[Diagnostic] = []
        self._shown: dict[tuple[str, str], int] = {}
        self._extra: dict[tuple[str, str], int] = {}
        self._first_extra: dict[tuple[str, str], Diagnostic] = {}

    def room(self, code: str, file: str) -> bool:
        return self._shown.get((file, code), 0) < self.limit

    def add(self, d: Diagnostic) -> None:
        key = (d.file, d.code)
        if isinstance(d, MoreLikeThis):
            self._count(key, d.count, d)
        elif self._shown.get(key, 0) < self.limit:
            self._shown[key] = self._shown.get(key, 0) + 1
            self._kept.append(d)
        else:
            self._count(key, 1, d)

    def count(self, code: str, file: str, where: Callable[[], tuple[int, int]]) -> None:
        """One more of `code`, counted, not built; `where()` (line, column) is asked only for
        the first one past the cap."""
        key = (file, code)
        first = None
        if key not in self._first_extra:
            line, column = where()
            first = make(code, file, line, column, "")
        self._count(key, 1, first)

    def _count(self, key: tuple[str, str], n: int, where: Diagnostic | None) -> None:
        self._extra[key] = self._extra.get(key, 0) + n
        if where is not None and key not in self._first_extra:
            self._first_extra[key] = where

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    def diagnostics(self) -> list[Diagnostic]:
        """The kept diagnostics, then one MoreLikeThis per code that went over the cap."""
        out = list(self._kept)
        for (file, code), n in self._extra.items():
            where = self._first_extra[(file, code)]
            message = _more_like_this(n, self.limit, code)
            out.append(
                MoreLikeThis(file, where.line, where.column, where.severity, code, message, n)
            )
        return out


def _more_like_this(n: int, limit: int, code: str) -> str:
    from engine.core.formats import number
    from engine.core.i18n import ngettext

    return ngettext(
        "… and {n} more like this (only the first {limit} {code} messages of a file are shown)",
        "… and {n} more like this (only the first {limit} {code} messages of a file are shown)",
        n,
    ).format(n=number(n), limit=limit, code=code)


def cap_per_code(diagnostics: Iterable[Diagnostic], limit: int = MAX_PER_CODE) -> list[Diagnostic]:
    """At most `limit` diagnostics per file and code, in the order given, plus the counts."""
    collector = Collector(limit)
    collector.extend(diagnostics)
    return collector.diagnostics()


def weight(d: Diagnostic) -> int:
    """How many problems a diagnostic stands for (a MoreLikeThis stands for many)."""
    return d.count if isinstance(d, MoreLikeThis) else 1


_HINTS_LEFT: ContextVar[int | None] = ContextVar("nexus_ttx_hints_left", default=None)


@contextmanager
def hint_budget(lookups: int = MAX_HINTS_PER_FILE) -> Iterator[None]:
    """Within the block, at most `lookups` "did you mean" searches; later ones give ''.

    A fuzzy match costs milliseconds; a file with 100,000 bad references would otherwise spend
    minutes on suggestions nobody sees (messages past the per-code cap are only counted)."""
    token = _HINTS_LEFT.set(lookups)
    try:
        yield
    finally:
        _HINTS_LEFT.reset(token)


#: Every diagnostic code, its default severity and title: the one registry (the docs test
#: keeps docs/diagnostics.md in step with it). Add a code here, in its range.
ALL_CODES: tuple[Code, ...] = (
    # NTX0xx: the file and its YAML
    Code("NTX001", "error", "file cannot be read"),
    Code("NTX002", "error", "file too large"),
    Code("NTX003", "error", "not UTF-8 text, or a forbidden control character"),
    Code("NTX004", "error", "file is empty"),
    Code("NTX005", "error", "YAML syntax error"),
    Code("NTX006", "error", "tab used for indentation"),
    Code("NTX007", "error", "duplicate key"),
    Code("NTX008", "error", "anchors and aliases expand too far"),
    Code("NTX009", "error", "more than one YAML document"),
    Code("NTX010", "error", "top level is not a mapping"),
    Code("NTX011", "error", "key is not a plain string"),
    Code("NTX012", "error", "YAML tag not allowed"),
    Code("NTX013", "error", "nesting too deep"),
    Code("NTX014", "error", "not a nexus-ttx file"),
    # NTX015-NTX029: hostile input (sizes, special files, control characters)
    Code("NTX015", "error", "number too large"),
    Code("NTX016", "error", "control character in quoted text"),
    Code("NTX017", "error", "not a regular file"),
    Code("NTX018", "error", "broken or looping link"),
    Code("NTX019", "error", "too many problems to check further"),
    Code("NTX020", "error", "list too long"),
    Code("NTX029", "error", "scenario id used by another library file"),
    # NTX1xx: structure (JSON Schema)
    Code("NTX101", "error", "missing required key"),
    Code("NTX102", "error", "unknown key"),
    Code("NTX103", "error", "wrong type"),
    Code("NTX104", "error", "value not allowed"),
    Code("NTX105", "error", "badly formed id or value"),
    Code("NTX106", "error", "too few or too many items, or empty text"),
    Code("NTX107", "error", "number out of range"),
    Code("NTX108", "error", "item listed twice"),
    Code("NTX109", "error", "key not allowed for this kind of scene"),
    Code("NTX199", "error", "other schema violation"),
    # NTX2xx: references and meaning
    Code("NTX201", "error", "start scene does not exist"),
    Code("NTX202", "error", "unknown scene"),
    Code("NTX203", "error", "duplicate choice id"),
    Code("NTX204", "error", "unknown key action"),
    Code("NTX205", "error", "unknown watch point or indicator"),
    Code("NTX207", "error", "undeclared variable"),
    Code("NTX208", "error", "condition syntax error"),
    Code("NTX209", "error", "condition names an unknown scene or choice"),
    Code("NTX210", "error", "harmful choice without feedback"),
    Code("NTX211", "warning", "recommended key action outside the declared practices"),
    Code("NTX212", "error", "variable bounds inconsistent"),
    Code("NTX213", "error", "reserved variable name"),
    Code("NTX214", "error", "branch list misshapen"),
    Code("NTX220", "error", "objective names an unknown practice"),
    Code("NTX221", "warning", "objective practice never recommended"),
    Code("NTX222", "error", "duplicate objective id"),
    Code("NTX223", "warning", "objective practice not declared"),
    Code("NTX230", "error", "duplicate role id"),
    Code("NTX231", "error", "private text for an unknown role"),
    Code("NTX232", "error", "unknown tag on an identify option"),
    Code("NTX233", "error", "identify drill with no correct option"),
    Code("NTX234", "error", "identify drill with every option correct"),
    Code("NTX235", "error", "duplicate option id"),
    Code("NTX236", "error", "inject id is also a scene id"),
    Code("NTX237", "error", "duplicate inject id"),
    Code("NTX238", "error", "timing profiles out of order"),
    # NTX3xx: scenario analysis (engine/analysis/findings.py)
    Code("NTX301", "error", "the session can loop forever"),
    Code("NTX302", "error", "a decision can dead-end"),
    Code("NTX303", "warning", "scene never reached"),
    Code("NTX304", "warning", "choice never offered"),
    Code("NTX305", "warning", "ending never reached"),
    Code("NTX306", "warning", "scored decision where nothing recommended can be chosen"),
    Code("NTX307", "warning", "declared practice never recommended"),
    Code("NTX308", "error", "runtime error in a reachable state"),
    Code("NTX309", "warning", "analysis stopped at the state bound"),
    Code("NTX310", "warning", "best choice listed first in most scored decisions"),
    Code("NTX311", "warning", "best choice is the longest text in most scored decisions"),
    Code("NTX312", "warning", "a blind strategy reaches 50 % alignment or success"),
    Code("NTX313", "warning", "success reachable after two or more harmful choices"),
    Code("NTX314", "warning", "harmful choice credited with a key action, unexplained"),
    Code("NTX320", "warning", "branch never taken"),
    # NTX4xx: toolkit catalog files
    Code("NTX401", "error", "toolkit catalog unavailable"),
    Code("NTX402", "error", "duplicate id in the catalog"),
    Code("NTX403", "error", "catalog id does not match its parent"),
    Code("NTX404", "error", "catalog reference to an unknown id"),
    # NTX501-NTX519: translation files (NAME.LANG.po beside a scenario or the catalog)
    Code("NTX501", "error", "translation file: PO syntax error"),
    Code("NTX502", "error", "translation file is not UTF-8"),
    Code("NTX503", "error", "translation file without a base file"),
    Code("NTX504", "error", "translation names an unknown id"),
    Code("NTX505", "error", "id translated twice"),
    Code("NTX506", "error", "translation entry without an id"),
    Code("NTX507", "warning", "string not translated"),
    Code("NTX508", "warning", "stale translation (base text changed, or marked fuzzy)"),
    Code("NTX509", "warning", "translation's Language header disagrees with its file name"),
    # NTX601-NTX619: authoring (the editor schema a scenario's first line names)
    Code("NTX601", "warning", "editor schema copy out of date"),
    Code("NTX602", "warning", "editor schema not found"),
    Code("NTX603", "warning", "editor schema inside a Python environment"),
)
CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in ALL_CODES})


def make(
    code: str, file: str, line: int, column: int, message: str, severity: Severity | None = None
) -> Diagnostic:
    """Build a diagnostic for a registered code (its registered severity unless overridden)."""
    info = CODES[code]
    return Diagnostic(file, max(1, line), max(1, column), severity or info.severity, code, message)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.file, d.line, d.column, d.code)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sorted by position, exact repeats dropped (two passes may see the same thing). Those at
    one position keep the order the checks found them in (a set's order would change with the
    hash seed from run to run)."""
    return tuple(sorted(dict.fromkeys(diagnostics), key=sort_key))


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """` — did you mean 'x'?` for the closest candidate, or '' when nothing is close."""
    match = closest(word, candidates, cutoff)
    return suggestion(match) if match is not None else ""


def suggestion(word: str) -> str:
    """` — did you mean 'x'?`, in the interface language."""
    from engine.core.i18n import _

    return _(" — did you mean '{word}'?").format(word=word)


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to `word` (a different case first), or None when nothing is close
    or this file's budget of lookups is spent."""
    if not isinstance(word, str):
        return None
    left = _HINTS_LEFT.get()
    if left is not None:
        if left <= 0:
            return None
        _HINTS_LEFT.set(left - 1)
    import difflib  # only when a message needs a suggestion: not on every start-up

    pool = list(candidates)
    folded = {c.casefold(): c for c in pool}
    if word.casefold() in folded and folded[word.casefold()] != word:
        return folded[word.casefold()]
    match = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if not match:
        lowered = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
        match = [folded[lowered[0]]] if lowered else []
    return match[0] if match else None
