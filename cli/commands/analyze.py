"""`nexus-ttx analyze SCENARIO [--json] [--max-states N]`: what every playable path can do.

Prints scenes, decisions, endings (and how many are reachable), unreachable scenes, the exact
best and worst alignment over all playable paths (with a path that achieves each), the best per
area, key actions recommended somewhere that no playable path can earn, coverage of the declared
good practices, the number of states explored, and the analysis findings (NTX3xx) at their
file:line:col. Exit 1 when a finding is an error (a loop, a dead end, a runtime error) or the
file is not a valid scenario; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.commands.common import add_library_options, fail, library_dirs

HELP = "analyse a scenario: reachability, loops, dead ends, exact best/worst alignment, coverage"

DEFAULT_MAX_STATES = (
    200_000  # engine.analysis.statespace.DEFAULT_MAX_STATES (not imported: start-up)
)


class LoadFailed(Exception):
    """Already reported on stderr; the command exits with `code`."""

    def __init__(self, code: int = 1) -> None:
        super().__init__(code)
        self.code = code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or a library id")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the analysis as JSON (DESIGN.md's `analyze --json` keys)",
    )
    add_max_states(parser)


def add_max_states(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-states",
        type=_positive,
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help="stop exploring after N play states and report the analysis "
        f"incomplete (default {DEFAULT_MAX_STATES:,})",
    )


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def load_checked(args: argparse.Namespace, explorer: Any = None) -> Any:
    """Find and validate SCENARIO; return the ValidationResult when it holds a model.

    Validation includes the analysis pass, which explores with `explorer` (an
    `engine.analysis.statespace.Explorer`: its state bound; pass the same one on to reuse the
    exploration). A file without a model (syntax, schema or reference errors) is reported on
    stderr as `file:line:col: error: ...` and raises LoadFailed.
    """
    from engine.check.validate import validate_file
    from engine.load.library import find_scenario

    try:
        path = Path(find_scenario(args.scenario, library_dirs(args)))
    except (LookupError, OSError, ValueError) as exc:
        fail(str(exc).strip("'\""))
        raise LoadFailed(1) from None
    result = validate_file(path, explorer=explorer)
    if result.scenario is None:
        for d in result.diagnostics:
            print(d.format_text(), file=sys.stderr)
        if result.ok:
            fail(f"{path} is a {result.kind} file, not a scenario")
        else:
            fail(f"{path} is not a valid scenario (see above); fix it and run again")
        raise LoadFailed(1)
    return result


def run(args: argparse.Namespace) -> int:
    from engine.analysis.statespace import Explorer

    explorer = Explorer(args.max_states)
    try:
        result = load_checked(args, explorer)
    except LoadFailed as exc:
        return exc.code
    from engine.analysis.findings import to_diagnostics
    from engine.analysis.summary import analyze
    from engine.exercise.exercise import catalog_area_of

    analysis = analyze(result.scenario, args.max_states, catalog_area_of(), explorer)
    diagnostics = to_diagnostics(analysis.findings, result.source, result.file)
    if args.json:
        data = analysis.to_json()
        data["file"] = result.file
        data["findings"] = [d.to_json() for d in diagnostics]
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(analysis, result.file, diagnostics))
    return 1 if any(d.is_error for d in diagnostics) else 0


def _pct(e: Any) -> str:
    return "n/a" if e is None else f"{e.percent:6.2f}% ({e.points}/{e.possible})"


def _path(e: Any) -> str:
    return " → ".join(f"{s}: {c}" for s, c in e.path) or "(no decision)"


LABEL = 16


def _row(label: str, text: str) -> str:
    return f"  {label:<{LABEL}}{text}"


def _more(text: str) -> str:
    return " " * (LABEL + 2) + text


def format_text(a: Any, file: str, diagnostics: list[Any]) -> str:
    sc = a.scenario
    js = a.to_json()
    out = [f"{sc.title} ({sc.id})  {file}", ""]
    out.append(
        _row(
            "scenes",
            f"{js['scenes']}: {js['decisions']} decision(s), {js['endings']} "
            f"ending(s), {js['endings_reachable']} ending(s) reachable",
        )
    )
    if a.unreachable is None:
        out.append(_row("unreachable", "unknown (exploration incomplete)"))
    else:
        out.append(_row("unreachable", ", ".join(a.unreachable) if a.unreachable else "none"))
    note = (
        "complete" if a.complete else f"INCOMPLETE: stopped at --max-states {a.space.max_states:,}"
    )
    out.append(_row("states", f"{a.states_explored:,} explored ({note})"))
    out.append("")
    if a.best is None:
        out.append(_row("alignment", f"n/a: {a.bounds_note}"))
    else:
        out.append(_row("best", _pct(a.best)))
        out.append(_more(_path(a.best)))
        out.append(_row("worst", _pct(a.worst)))
        out.append(_more(_path(a.worst)))
        width = max((len(k) for k in a.best_by_area), default=0)
        for i, (area, e) in enumerate(a.best_by_area.items()):
            out.append(
                (_row("best by area", "") if i == 0 else _more("")) + f"{area:<{width}}  {_pct(e)}"
            )
    out.append("")
    cov = js["coverage"]
    out.append(
        _row(
            "coverage",
            f"{cov['recommended']} of {cov['declared']} declared practices "
            f"recommended at some decision, {cov['enactable']} enactable on a "
            "playable path",
        )
    )
    for gp, c in cov["practices"].items():
        rec = ", ".join(c["recommended"]) or "never recommended"
        missing = [k for k in c["recommended"] if k not in c["enactable"]]
        line = f"{gp:<5} {rec}"
        if a.never_enactable is not None and missing:
            line += f"  (never enactable: {', '.join(missing)})"
        out.append(_more(line))
    if a.never_enactable is not None:
        out.append(
            _row("never enactable", ", ".join(a.never_enactable) or "none")
            + ("  (recommended, but no playable path earns it)" if a.never_enactable else "")
        )
    out.append("")
    if diagnostics:
        errors = sum(1 for d in diagnostics if d.is_error)
        out.append(f"findings: {errors} error(s), {len(diagnostics) - errors} warning(s)")
        out.extend(d.format_text() for d in diagnostics)
    else:
        out.append("findings: none")
    return "\n".join(out) + "\n"
