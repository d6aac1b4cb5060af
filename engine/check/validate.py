"""Validation pipeline: YAML -> schema -> semantic checks -> (model) -> analysis.

A pass is a function from a `PassContext` to diagnostics. `PIPELINE` is the one, fixed list of
passes, built here; a caller may run another sequence with `validate_file(..., passes=...)`.
A pass marked `needs_model=True` (the analysis pass: loops, dead ends, reachability) runs only
on a document with no errors so far, after the `Scenario` model is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from engine.analysis.statespace import Explorer
from engine.core.diagnostics import (
    Diagnostic,
    cap_per_code,
    did_you_mean,
    hint_budget,
    make,
    sorted_unique,
)
from engine.core.i18n import _
from engine.core.model import Scenario
from engine.load.schema_check import Issue
from engine.load.yamlload import SourceMap, load_file

SCENARIO_FORMAT = "nexus-ttx/1"
TOOLKIT_FORMAT = "nexus-ttx-toolkit/1"
YAML_SUFFIXES = (".yaml", ".yml")


class PassContext:
    """What a pass sees: the document, its positions, what earlier passes found."""

    def __init__(
        self,
        file: str,
        kind: str,
        data: Any,  # the document as loaded: really untyped until the schema pass
        source: SourceMap,
        diagnostics: list[Diagnostic],
        explorer: Explorer | None = None,  # the analysis pass explores with it
    ) -> None:
        self.file = file
        self.kind = kind
        self.data = data
        self.source = source
        self.diagnostics = diagnostics
        self.explorer = explorer if explorer is not None else Explorer()
        self.schema_issues: list[Issue] = []
        self.scenario: Scenario | None = None  # once built

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


class Pass(NamedTuple):
    """One step of validation, for the document kinds it applies to."""

    name: str
    run: Callable[[PassContext], Iterable[Diagnostic]]
    kinds: frozenset[str] = frozenset({"scenario"})
    needs_model: bool = False


class ValidationResult(NamedTuple):
    """Everything `validate` learnt about one file."""

    path: Path
    kind: str  # "scenario" | "toolkit" | "unknown"
    diagnostics: tuple[Diagnostic, ...]
    data: Any = None
    source: SourceMap | None = None
    scenario: Scenario | None = None  # when the file is a scenario without errors

    @property
    def file(self) -> str:
        """The path as given, as diagnostics show it."""
        return str(self.path)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


class ScenarioInvalid(Exception):
    """A scenario that cannot be played; `result.diagnostics` say why and where."""

    def __init__(self, result: ValidationResult) -> None:
        first = result.errors[0].format_text() if result.errors else str(result.path)
        super().__init__(first)
        self.result = result


# -- the passes ---------------------------------------------------------------------------------


def _schema_pass(ctx: PassContext) -> list[Diagnostic]:
    from engine.load import schema_check

    ctx.schema_issues = schema_check.issues_for(ctx.data, ctx.kind)
    return schema_check.locate(ctx.schema_issues, ctx.source, ctx.file)


# Schema problems that make the value at their path unusable for the semantic checks.
_MALFORMED = frozenset({"NTX102", "NTX103", "NTX104", "NTX105", "NTX109", "NTX199"})


def _semantic_pass(ctx: PassContext) -> list[Diagnostic]:
    from engine.check.semantic import check_scenario

    if any(i.code == "NTX019" for i in ctx.schema_issues):
        return []  # too broken to be worth cross-checking (and it would take long)

    skip = {i.path for i in ctx.schema_issues if i.code in _MALFORMED}
    return check_scenario(ctx.data, ctx.source, ctx.file, skip)


def _toolkit_pass(ctx: PassContext) -> list[Diagnostic]:
    from engine.toolkit.rules import check_toolkit

    skip = {i.path for i in ctx.schema_issues if i.code in _MALFORMED}
    return check_toolkit(ctx.data, ctx.source, ctx.file, skip)


def _analysis_pass(ctx: PassContext) -> list[Diagnostic]:
    from engine.analysis.findings import analysis_diagnostics

    if ctx.scenario is None:
        return []
    return analysis_diagnostics(ctx.scenario, ctx.source, ctx.file, ctx.explorer)


#: Every check `validate` makes, in order.
PIPELINE: tuple[Pass, ...] = (
    Pass("schema", _schema_pass, frozenset({"scenario", "toolkit"})),
    Pass("semantic", _semantic_pass),
    Pass("toolkit", _toolkit_pass, frozenset({"toolkit"})),
    Pass("analysis", _analysis_pass, needs_model=True),
)


# -- pipeline -----------------------------------------------------------------------------------


def detect_kind(data: dict[str, Any], source: SourceMap, file: str) -> tuple[str, list[Diagnostic]]:
    """Scenario or toolkit by `format`; a near miss is still checked as what it tries to be."""
    fmt = data.get("format")
    if fmt == SCENARIO_FORMAT:
        return "scenario", []
    if fmt == TOOLKIT_FORMAT:
        return "toolkit", []
    if isinstance(fmt, str) and fmt.startswith("nexus-ttx-toolkit"):
        return "toolkit", []  # the schema reports the wrong version
    if isinstance(fmt, str) and fmt.startswith("nexus-ttx/"):
        return "scenario", []
    if fmt is None and "scenes" in data:
        return "scenario", []  # the schema reports the missing `format`
    pos = source.locate(("format",)) if "format" in data else source.locate(())
    found = _("'format: {format}'").format(format=fmt) if "format" in data else _("no 'format' key")
    hint = did_you_mean(fmt, [SCENARIO_FORMAT, TOOLKIT_FORMAT]) if isinstance(fmt, str) else ""
    return "unknown", [
        make(
            "NTX014",
            file,
            pos.line,
            pos.column,
            _(
                "not a nexus-ttx file ({found}); a scenario starts with 'format: {scenario}', "
                "the toolkit catalog with 'format: {toolkit}'"
            ).format(found=found, scenario=SCENARIO_FORMAT, toolkit=TOOLKIT_FORMAT)
            + hint,
        )
    ]


def validate_file(
    path: str | os.PathLike[str],
    file: str | None = None,
    *,
    explorer: Explorer | None = None,
    passes: Sequence[Pass] = PIPELINE,
) -> ValidationResult:
    """Load and check one file; `file` is the name shown in diagnostics (default: as given).
    The analysis pass explores with `explorer` (its state bound; reuse it to analyse further).
    At most MAX_PER_CODE diagnostics per code are kept (the rest are counted)."""
    with hint_budget():
        return _validate_file(
            Path(path), str(path) if file is None else file, explorer or Explorer(), passes
        )


def _validate_file(
    path: Path, shown: str, explorer: Explorer, passes: Sequence[Pass]
) -> ValidationResult:
    loaded = load_file(path, shown)
    if not loaded.ok or loaded.source is None:
        return ValidationResult(path, "unknown", sorted_unique(loaded.diagnostics))
    data, source = loaded.data, loaded.source
    kind, found = detect_kind(data, source, shown)
    ctx = PassContext(shown, kind, data, source, list(found), explorer)
    model_tried = False
    for step in passes:
        if kind not in step.kinds:
            continue
        if step.needs_model:
            if not model_tried:
                model_tried = True
                _build_model(ctx)
            if ctx.scenario is None:
                continue
        ctx.diagnostics.extend(step.run(ctx))
    if not model_tried:
        _build_model(ctx)
    found = cap_per_code(sorted_unique(ctx.diagnostics))
    return ValidationResult(path, kind, sorted_unique(found), data, source, ctx.scenario)


def _build_model(ctx: PassContext) -> None:
    if ctx.kind == "scenario" and not ctx.has_errors:
        from engine.core.model import scenario_from_dict

        ctx.scenario = scenario_from_dict(ctx.data)


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders searched recursively for *.yaml / *.yml (sorted, hidden skipped)."""
    return collect_paths(paths)[0]


def collect_paths(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[Path], list[Diagnostic]]:
    """`expand_paths`, plus one NTX001/NTX017/NTX018 error for each thing in a folder that could
    not be read (a folder that cannot be opened, a broken or looping link, a pipe or device
    named *.yaml): nothing is skipped without a word."""
    from engine.load.files import yaml_files

    out: list[Path] = []
    problems: list[Diagnostic] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found, unreadable = yaml_files(p)
            out.extend(found)
            problems.extend(make(u.code, str(u.path), 1, 1, u.message) for u in unreadable)
        else:
            out.append(p)
    return out, problems


def translated(path: Path, result: ValidationResult, language: str | None) -> Scenario:
    """A valid scenario's model with its `language` translation applied (same ids, logic and
    content hash: a session played in French resumes on the English file and the reverse).
    The base model when there is no such file or `language` is the base language."""
    from engine.core.model import scenario_from_dict
    from engine.load.scenario_text import apply_translation
    from engine.load.translation import is_language, read_translation, translation_path

    if result.scenario is None:
        raise ScenarioInvalid(result)
    if not language or language == result.scenario.language or not is_language(language):
        return result.scenario
    po = translation_path(path, language)
    if not (po.exists() or po.is_symlink()):
        return result.scenario
    translation = read_translation(po)
    if not translation.ok:
        errors = tuple(d for d in translation.diagnostics if d.is_error)
        raise ScenarioInvalid(ValidationResult(po, "translation", errors))
    applied = apply_translation(result.data, translation)
    model = scenario_from_dict(applied.data)
    return model._replace(content_hash=result.scenario.content_hash)


def validate_paths(paths: Sequence[str | os.PathLike[str]]) -> list[ValidationResult]:
    """Validate files and folders; results in the order of `expand_paths`."""
    return [validate_file(p) for p in expand_paths(paths)]


def load_scenario(path: str | os.PathLike[str], language: str | None = None) -> Scenario:
    """The `Scenario` in a file, or ScenarioInvalid with located diagnostics (for play/run/...).

    With `language`, the texts of `NAME.LANGUAGE.po` beside the file replace the base ones
    where the translation is usable (per-string fallback); a PO file that cannot be read is
    refused like an invalid scenario. No such file, or the base language: the base texts."""
    result = validate_file(path)
    if result.scenario is not None:
        return translated(Path(path), result, language)
    if result.ok:  # a valid file that is not a scenario (the toolkit catalog, say)
        result = ValidationResult(
            result.path,
            result.kind,
            result.diagnostics
            + (
                make(
                    "NTX014",
                    str(result.path),
                    1,
                    1,
                    _(
                        "this is not a scenario (it is a {kind} file); a scenario starts with "
                        "'format: {scenario}'"
                    ).format(kind=result.kind, scenario=SCENARIO_FORMAT),
                ),
            ),
            result.data,
            result.source,
        )
    raise ScenarioInvalid(result)
